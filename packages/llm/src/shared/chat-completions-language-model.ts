import type {
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
} from '@patchbay/core/adapter';
import type OpenAI from 'openai';
import type { z } from 'zod';
import { openaiApiError } from './chat-completions-error.js';
import { type ChatDialect, chatFinishReason, chatUsage, toChatParams } from './chat-completions-request.js';
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

export interface ChatModelInit<S extends ChatSettings> {
  id: string;
  vendor: 'openai' | 'openai-compatible';
  schema: z.ZodType<S>;
  settings: unknown;
  credentials: CredentialSpec<{ apiKey?: string | undefined }>;
  runtime: ProviderRuntime;
  dialect: ChatDialect;
  /** OpenAI always sends the usage chunk when asked; a stream without it was cut. */
  requireUsageChunk: boolean;
  capabilities: LanguageModelCapabilities;
}

/**
 * A language model over the Chat Completions API through the `openai` SDK.
 * Internal: the OpenAI and OpenAI-compatible adapters are configurations of it.
 */
export class ChatCompletionsLanguageModel<S extends ChatSettings> extends LanguageModelAdapter<
  S,
  { apiKey?: string | undefined }
> {
  readonly capabilities: LanguageModelCapabilities;
  readonly #dialect: ChatDialect;
  readonly #requireUsageChunk: boolean;
  readonly #clients = new ClientCache<OpenAI>();

  constructor(init: ChatModelInit<S>) {
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
  }

  /** One client per (settings snapshot, key): see `ClientCache`. */
  #client(settings: S, credentials: ResolvedCredentials<{ apiKey?: string | undefined }>): Promise<OpenAI> {
    const apiKey = credentials.values.apiKey;
    const { baseURL, organization, project, headers } = settings;
    return this.#clients.get([apiKey, baseURL, organization, project, JSON.stringify(headers)], async () => {
      const { default: OpenAIClient } = await sdk.load();
      return new OpenAIClient({
        // A key-less compatible server gets no Authorization header at all.
        apiKey: apiKey ?? 'unused',
        adminAPIKey: null,
        baseURL: baseURL ?? 'https://api.openai.com/v1',
        organization: organization ?? null,
        project: project ?? null,
        webhookSecret: null,
        maxRetries: 0,
        timeout: noTimeout,
        logLevel: 'off',
        ...(this.runtime.fetch ? { fetch: this.runtime.fetch } : {}),
        defaultHeaders: { ...headers, ...(apiKey === undefined ? { Authorization: null } : {}) },
      });
    });
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
      openaiApiError,
    );
  }

  protected async doGenerate(
    request: LanguageModelRequest,
    context: CallContext<S, { apiKey?: string | undefined }>,
  ): Promise<VendorResult> {
    const client = await this.#client(context.settings, context.credentials);
    const params = toChatParams(request, context.model, this.#dialect, context.warnings);
    const completion = await client.chat.completions.create(
      { ...params, stream: false as const },
      { signal: context.signal },
    );
    const choice = completion.choices?.[0];
    if (!choice) throw new SyntaxError('completion without choices');
    const message = choice.message;
    return {
      text: message.content ?? message.refusal ?? '',
      toolCalls: (message.tool_calls ?? [])
        .filter((call) => call.type === 'function')
        .map((call) =>
          toToolCall({
            toolCallId: call.id,
            toolName: call.function.name,
            input: parseToolInput(call.function.arguments),
          }),
        ),
      finishReason: chatFinishReason(choice.finish_reason),
      usage: chatUsage(completion.usage),
      model: completion.model ?? context.model,
      responseId: completion.id,
    };
  }

  protected async doStream(
    request: LanguageModelRequest,
    context: CallContext<S, { apiKey?: string | undefined }>,
  ): Promise<AsyncIterable<LanguageModelStreamPart>> {
    const client = await this.#client(context.settings, context.credentials);
    const params = toChatParams(request, context.model, this.#dialect, context.warnings);
    const stream = await client.chat.completions.create(
      { ...params, stream: true as const, stream_options: { include_usage: true } },
      { signal: context.signal },
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
    credentials: ResolvedCredentials<{ apiKey?: string | undefined }>;
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
