import type {
  CallWarning,
  LanguageModelCapabilities,
  LanguageModelRequest,
  LanguageModelStreamPart,
  LanguageModelUsage,
  PatchbayError,
} from '@patchbay/core';
import {
  ClientCache,
  type ConnectionCheck,
  type CredentialSpec,
  type ProviderRuntime,
  type ResolvedCredentials,
  relayingFetch,
} from '@patchbay/core/adapter';
import type OpenAI from 'openai';
import type { z } from 'zod';
import { openaiApiError } from './chat-completions-error.js';
import {
  type ChatDialect,
  type ChatParams,
  chatFinishReason,
  chatUsage,
  toChatParams,
} from './chat-completions-request.js';
import {
  type CallContext,
  LanguageModelAdapter,
  StreamEndedEarly,
  type VendorResult,
} from './language-model-adapter.js';
import { lazySdk, noTimeout } from './sdk.js';
import { parseToolInput, ToolCallCollector, toToolCall } from './tool-calls.js';
import { secretHeaderNames, stainlessError } from './vendor-errors.js';

/** The optional `openai` package, loaded on first use, once. */
const sdk = lazySdk('openai', () => import('openai'));

/** Settings both Chat Completions adapters share. */
export interface ChatSettings extends Record<string, unknown> {
  baseURL?: string | undefined;
  organization?: string | undefined;
  project?: string | undefined;
  model: string;
  headers?: Record<string, string> | undefined;
}

/** The credential fields of a Chat Completions vendor: at least an optional API key. */
export type ChatCredentials = { apiKey?: string | undefined } & Record<string, string | undefined>;

/** The `openai` module, as loaded lazily. */
export type OpenAIModule = typeof import('openai');

/**
 * How a vendor builds its SDK client (Azure OpenAI uses the SDK's `AzureOpenAI`).
 * `parts` identify the client in the cache: everything the client is built from.
 */
export interface ChatClientFactory<S, C extends ChatCredentials> {
  parts(settings: S, credentials: ResolvedCredentials<C>, runtime: ProviderRuntime): ReadonlyArray<string | undefined>;
  create(sdk: OpenAIModule, settings: S, credentials: ResolvedCredentials<C>, runtime: ProviderRuntime): OpenAI;
}

export interface ChatModelInit<S extends ChatSettings, C extends ChatCredentials = { apiKey?: string | undefined }> {
  id: string;
  vendor: string;
  schema: z.ZodType<S>;
  settings: unknown;
  credentials: CredentialSpec<C>;
  runtime: ProviderRuntime;
  dialect: ChatDialect;
  /** OpenAI always sends the usage chunk when asked; a stream without it was cut. */
  requireUsageChunk: boolean;
  capabilities: LanguageModelCapabilities;
  /** Default: the `OpenAI` client from `baseURL`, `organization`, `project`, `headers` and the key. */
  client?: ChatClientFactory<S, C> | undefined;
  /** The vendor's error table over the SDK's `APIError` (default: OpenAI's). */
  apiError?: typeof openaiApiError | undefined;
  /** Adjusts the body for the vendor (quirks), adding warnings for what it drops. */
  adjustParams?: ((params: ChatParams, warnings: CallWarning[]) => void) | undefined;
}

/**
 * A language model over the Chat Completions API through the `openai` SDK.
 * Internal: the OpenAI and OpenAI-compatible adapters are configurations of it.
 */
export class ChatCompletionsLanguageModel<
  S extends ChatSettings,
  C extends ChatCredentials = { apiKey?: string | undefined },
> extends LanguageModelAdapter<S, C> {
  readonly capabilities: LanguageModelCapabilities;
  readonly #dialect: ChatDialect;
  readonly #requireUsageChunk: boolean;
  readonly #clients = new ClientCache<OpenAI>();
  readonly #clientFactory: ChatClientFactory<S, C>;
  readonly #apiError: typeof openaiApiError;
  readonly #adjustParams: ChatModelInit<S, C>['adjustParams'];

  constructor(init: ChatModelInit<S, C>) {
    super({
      id: init.id,
      vendor: init.vendor,
      schema: init.schema,
      settings: init.settings,
      credentials: init.credentials,
      runtime: init.runtime,
      secretSettings: secretHeaderNames,
    });
    this.capabilities = init.capabilities;
    this.#dialect = init.dialect;
    this.#requireUsageChunk = init.requireUsageChunk;
    this.#clientFactory = init.client ?? openaiClientFactory;
    this.#apiError = init.apiError ?? openaiApiError;
    this.#adjustParams = init.adjustParams;
  }

  /** The client already made for these very objects, if any: what a call uses without an await. */
  #readyClient(context: CallContext<S, C>): OpenAI | undefined {
    return this.#clients.readyFor(context.settings, context.credentials);
  }

  /** One client per (settings snapshot, credentials): see `ClientCache`. */
  #client(settings: S, credentials: ResolvedCredentials<C>): Promise<OpenAI> {
    return this.#clients.getFor(
      settings,
      credentials,
      () => this.#clientFactory.parts(settings, credentials, this.runtime),
      async () => this.#clientFactory.create(await sdk.load(), settings, credentials, this.runtime),
    );
  }

  #params(request: LanguageModelRequest, context: CallContext<S, C>): ChatParams {
    const params = toChatParams(request, context.model, this.#dialect, context.warnings);
    this.#adjustParams?.(params, context.warnings);
    return params;
  }

  protected mapError(error: unknown, context: { signal: AbortSignal | undefined; secrets: string[] }): PatchbayError {
    return stainlessError(
      error,
      sdk.loaded,
      {
        provider: this.id,
        vendor: this.vendor,
        secrets: context.secrets,
        toError: (cause) => this.toError(cause, context.signal),
      },
      this.#apiError,
    );
  }

  protected doGenerate(request: LanguageModelRequest, context: CallContext<S, C>): Promise<VendorResult> {
    const client = this.#readyClient(context);
    return client === undefined
      ? this.#generateOnNewClient(request, context)
      : this.#generate(client, request, context);
  }

  async #generateOnNewClient(request: LanguageModelRequest, context: CallContext<S, C>): Promise<VendorResult> {
    return this.#generate(await this.#client(context.settings, context.credentials), request, context);
  }

  /**
   * `then` rather than an async function: the SDK's answer is parsed and mapped in one step, and a waiting call
   * keeps no frame here.
   */
  #generate(client: OpenAI, request: LanguageModelRequest, context: CallContext<S, C>): Promise<VendorResult> {
    // The params are this call's own object: `stream` is set on it rather than copied into another.
    const params = this.#params(request, context) as ChatParams & { stream: false };
    params.stream = false;
    // One response from a client without a timeout of its own (see `SignalRelay.responseFetchOptions`).
    const fetchOptions = context.relay.responseFetchOptions;
    const model = context.model;
    // The SDK sends the request and turns an error answer into its `APIError`; the completion's body is read here.
    // The SDK's own parse of a 200 (content-type sniffing, a request-id property defined on the parsed body, its
    // promise layers) costs ~3–4 µs of CPU per call, more than the router's own work, for nothing this adapter uses.
    // An unreadable body is a `SyntaxError` either way: malformed (see `stainlessError`).
    return client.chat.completions
      .create(params, fetchOptions && { fetchOptions })
      .asResponse()
      .then((response) => response.json() as Promise<OpenAI.Chat.Completions.ChatCompletion | null>)
      .then((completion) => generationOf(completion, model));
  }

  protected async doStream(
    request: LanguageModelRequest,
    context: CallContext<S, C>,
  ): Promise<AsyncIterable<LanguageModelStreamPart>> {
    const client = this.#readyClient(context) ?? (await this.#client(context.settings, context.credentials));
    const params = this.#params(request, context);
    const stream = await client.chat.completions.create(
      { ...params, stream: true as const, stream_options: { include_usage: true } },
      { fetchOptions: context.relay.fetchOptions },
    );
    return this.#parts(stream);
  }

  async *#parts(
    stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>,
  ): AsyncGenerator<LanguageModelStreamPart> {
    const tools = new ToolCallCollector();
    let finishReason: ReturnType<typeof chatFinishReason> | undefined;
    let usage: LanguageModelUsage | undefined;
    for await (const chunk of stream) {
      if (chunk.usage) {
        usage = chatUsage(chunk.usage);
        yield { type: 'usage', usage };
      }
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      if (choice.delta?.content) yield { type: 'text-delta', delta: choice.delta.content };
      for (const call of choice.delta?.tool_calls ?? []) {
        if (!tools.has(call.index)) {
          yield tools.start(call.index, call.id ?? `call_${call.index}`, call.function?.name ?? '');
        }
        const delta = tools.delta(call.index, call.function?.arguments ?? '');
        if (delta) yield delta;
      }
      if (choice.finish_reason) {
        finishReason = chatFinishReason(choice.finish_reason);
        yield* tools.finishAll();
      }
    }
    // The SDK ends quietly when the connection closes between two events; the terminal chunks tell.
    if (!finishReason) throw new StreamEndedEarly('its finish reason');
    if (this.#requireUsageChunk && !usage) throw new StreamEndedEarly('its usage chunk');
    yield { type: 'finish', finishReason, usage: usage ?? { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 } };
  }

  protected async checkConnection(context: {
    settings: S;
    credentials: ResolvedCredentials<C>;
    signal: AbortSignal | undefined;
  }): Promise<ConnectionCheck> {
    return this.mapFailures(context, async () => {
      const client = await this.#client(context.settings, context.credentials);
      // Listing models is free and proves the key and the base URL.
      const page = await client.models.list({ signal: context.signal });
      return { details: { models: page.data.length } };
    });
  }
}

/** A completion as the skeleton's result. */
function generationOf(completion: OpenAI.Chat.Completions.ChatCompletion | null, model: string): VendorResult {
  const choice = completion?.choices?.[0];
  if (!completion || !choice) throw new SyntaxError('completion without choices');
  const message = choice.message;
  const calls = message.tool_calls;
  return {
    text: message.content ?? message.refusal ?? '',
    toolCalls: calls?.length
      ? calls
          .filter((call) => call.type === 'function')
          .map((call) =>
            toToolCall({
              toolCallId: call.id,
              toolName: call.function.name,
              input: parseToolInput(call.function.arguments),
            }),
          )
      : [],
    finishReason: chatFinishReason(choice.finish_reason),
    usage: chatUsage(completion.usage),
    model: completion.model ?? model,
    responseId: completion.id,
  };
}

/** The plain `OpenAI` client (OpenAI itself and compatible servers). */
const openaiClientFactory: ChatClientFactory<ChatSettings, ChatCredentials> = {
  parts: (settings, credentials) => [
    credentials.values.apiKey,
    settings.baseURL,
    settings.organization,
    settings.project,
    JSON.stringify(settings.headers),
  ],
  create: ({ default: OpenAIClient }, settings, credentials, runtime) => {
    const apiKey = credentials.values.apiKey;
    return new OpenAIClient({
      // A key-less compatible server gets no Authorization header at all.
      apiKey: apiKey ?? 'unused',
      adminAPIKey: null,
      baseURL: settings.baseURL ?? 'https://api.openai.com/v1',
      organization: settings.organization ?? null,
      project: settings.project ?? null,
      webhookSecret: null,
      maxRetries: 0,
      timeout: noTimeout,
      logLevel: 'off',
      // The call's signal travels through fetch: see `SignalRelay`.
      fetch: relayingFetch(runtime.fetch),
      defaultHeaders: { ...settings.headers, ...(apiKey === undefined ? { Authorization: null } : {}) },
    });
  },
};
