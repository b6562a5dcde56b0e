import type Anthropic from '@anthropic-ai/sdk';
import type {
  CredentialStore,
  LanguageModelRequest,
  LanguageModelStreamPart,
  LanguageModelUsage,
  PatchbayError,
  Secret,
} from '@patchbay/core';
import {
  ClientCache,
  type ConnectionCheck,
  defineProviderFactory,
  type ProviderFactory,
  type ProviderRuntime,
  type ResolvedCredentials,
  relayingFetch,
} from '@patchbay/core/adapter';
import {
  type CallContext,
  LanguageModelAdapter,
  StreamEndedEarly,
  type VendorResult,
} from '../shared/language-model-adapter.js';
import { lazySdk, noTimeout } from '../shared/sdk.js';
import { ToolCallCollector, toToolCall } from '../shared/tool-calls.js';
import { secretHeaderNames, stainlessError } from '../shared/vendor-errors.js';
import { anthropicApiError } from './anthropic-error.js';
import { anthropicFinishReason, anthropicUsage, toMessageParams } from './anthropic-request.js';
import {
  type AnthropicLanguageModelSettings,
  anthropicCredentials,
  anthropicLanguageModelSettingsSchema,
} from './anthropic-settings.js';

type Credentials = { apiKey: string };

/** The optional `@anthropic-ai/sdk` package, loaded on first use, once. */
const sdk = lazySdk('@anthropic-ai/sdk', () => import('@anthropic-ai/sdk'));

export interface AnthropicLanguageModelOptions {
  /** Provider id within a configuration (default `anthropic`). */
  id?: string | undefined;
  apiKey?: string | Secret | undefined;
  baseURL?: string | undefined;
  model: string;
  maxOutputTokens?: number | undefined;
  headers?: Record<string, string> | undefined;
  fetch?: typeof globalThis.fetch | undefined;
  credentialStore?: CredentialStore | undefined;
  env?: Readonly<Record<string, string | undefined>> | false | undefined;
}

/** An Anthropic language model over the Messages API, through `@anthropic-ai/sdk` with its retries off. */
export class AnthropicLanguageModel extends LanguageModelAdapter<AnthropicLanguageModelSettings, Credentials> {
  readonly capabilities = { streaming: true, tools: true, images: true, jsonOutput: true };
  readonly #clients = new ClientCache<Anthropic>();

  constructor(id: string, settings: unknown, runtime: ProviderRuntime) {
    super({
      id,
      vendor: 'anthropic',
      schema: anthropicLanguageModelSettingsSchema,
      settings,
      credentials: anthropicCredentials,
      runtime,
      secretSettings: secretHeaderNames,
    });
  }

  /** One client per (settings snapshot, key), so key rotation applies on the next call. */
  #client(settings: AnthropicLanguageModelSettings, credentials: ResolvedCredentials<Credentials>): Promise<Anthropic> {
    const { apiKey } = credentials.values;
    const { baseURL, headers } = settings;
    return this.#clients.get([apiKey, baseURL, JSON.stringify(headers)], async () => {
      const { default: AnthropicClient } = await sdk.load();
      return new AnthropicClient({
        apiKey,
        baseURL: baseURL ?? 'https://api.anthropic.com',
        maxRetries: 0,
        timeout: noTimeout,
        logLevel: 'off',
        openTelemetry: false,
        // The call's signal travels through fetch: see `SignalRelay`.
        fetch: relayingFetch(this.runtime.fetch),
        ...(headers ? { defaultHeaders: headers } : {}),
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
      anthropicApiError,
    );
  }

  protected async doGenerate(
    request: LanguageModelRequest,
    context: CallContext<AnthropicLanguageModelSettings, Credentials>,
  ): Promise<VendorResult> {
    const client = await this.#client(context.settings, context.credentials);
    const params = toMessageParams(request, context.model, context.settings.maxOutputTokens, context.warnings);
    // One response from a client without a timeout of its own (see `SignalRelay.responseFetchOptions`). The SDK
    // sends it and turns an error answer into its `APIError`; a 200's body is read here, skipping the SDK's own
    // parse (see the Chat Completions `#generate`). An unreadable body is a `SyntaxError`: malformed.
    const response = await client.messages
      .create({ ...params, stream: false }, { fetchOptions: context.relay.responseFetchOptions })
      .asResponse();
    const message = (await response.json()) as Anthropic.Message | null;
    if (!message || !Array.isArray(message.content)) throw new SyntaxError('message without content');
    let text = '';
    const toolCalls = [];
    for (const block of message.content) {
      if (block.type === 'text') text += block.text;
      else if (block.type === 'tool_use')
        toolCalls.push(toToolCall({ toolCallId: block.id, toolName: block.name, input: block.input }));
    }
    return {
      text,
      toolCalls,
      finishReason: anthropicFinishReason(message.stop_reason),
      usage: anthropicUsage(message.usage),
      model: message.model ?? context.model,
      responseId: message.id,
    };
  }

  protected async doStream(
    request: LanguageModelRequest,
    context: CallContext<AnthropicLanguageModelSettings, Credentials>,
  ): Promise<AsyncIterable<LanguageModelStreamPart>> {
    const client = await this.#client(context.settings, context.credentials);
    const params = toMessageParams(request, context.model, context.settings.maxOutputTokens, context.warnings);
    const stream = await client.messages.create(
      { ...params, stream: true },
      { fetchOptions: context.relay.fetchOptions },
    );
    return this.#parts(stream);
  }

  async *#parts(stream: AsyncIterable<Anthropic.RawMessageStreamEvent>): AsyncGenerator<LanguageModelStreamPart> {
    const tools = new ToolCallCollector();
    let usage: LanguageModelUsage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
    let startUsage: Parameters<typeof anthropicUsage>[0];
    let stopReason: string | null | undefined;
    let stopped = false;
    for await (const event of stream) {
      switch (event.type) {
        case 'message_start':
          startUsage = event.message.usage;
          usage = anthropicUsage(startUsage);
          break;
        case 'content_block_start':
          if (event.content_block.type === 'tool_use') {
            yield tools.start(event.index, event.content_block.id, event.content_block.name);
          }
          break;
        case 'content_block_delta':
          if (event.delta.type === 'text_delta') yield { type: 'text-delta', delta: event.delta.text };
          else if (event.delta.type === 'input_json_delta') {
            const delta = tools.delta(event.index, event.delta.partial_json);
            if (delta) yield delta;
          }
          break;
        case 'content_block_stop': {
          const call = tools.finish(event.index);
          if (call) yield call;
          break;
        }
        case 'message_delta':
          stopReason = event.delta.stop_reason;
          // The delta's counts are cumulative; input counts may be absent here and then stand from the start.
          usage = anthropicUsage({ ...startUsage, ...withoutNulls(event.usage) });
          yield { type: 'usage', usage };
          break;
        case 'message_stop':
          stopped = true;
          break;
      }
    }
    // The SDK ends quietly when the connection closes between events; `message_stop` is the proof of a whole answer.
    if (!stopped) throw new StreamEndedEarly('message_stop');
    yield* tools.finishAll();
    yield { type: 'finish', finishReason: anthropicFinishReason(stopReason), usage };
  }

  protected async checkConnection(context: {
    settings: AnthropicLanguageModelSettings;
    credentials: ResolvedCredentials<Credentials>;
    signal: AbortSignal | undefined;
  }): Promise<ConnectionCheck> {
    return this.mapFailures(context, async () => {
      const client = await this.#client(context.settings, context.credentials);
      // Listing models is free and proves the key.
      const page = await client.models.list({ limit: 1 }, { signal: context.signal });
      return { details: { models: page.data.length } };
    });
  }
}

function withoutNulls(record: object): Record<string, number> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => typeof value === 'number'));
}

/**
 * An Anthropic language model. Constructing never throws for a missing key:
 * credentials resolve per call (settings, tenant store, `ANTHROPIC_API_KEY`).
 */
export function createAnthropicLanguageModel(options: AnthropicLanguageModelOptions): AnthropicLanguageModel {
  const { id = 'anthropic', fetch, credentialStore, env, ...settings } = options;
  return new AnthropicLanguageModel(id, settings, { fetch, credentialStore, env });
}

/** Builds Anthropic language models from configuration (`{ kind: 'llm', vendor: 'anthropic' }`). */
export const anthropicLanguageModelFactory: ProviderFactory<AnthropicLanguageModel> = defineProviderFactory({
  kind: 'llm',
  vendor: 'anthropic',
  label: 'Anthropic Claude (language models)',
  docsUrl: 'https://docs.anthropic.com/en/api/getting-started',
  create: ({ id, settings, runtime }) => new AnthropicLanguageModel(id, settings, runtime),
});
