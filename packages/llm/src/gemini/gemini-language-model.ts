import type { GenerateContentResponse, GoogleGenAI } from '@google/genai';
import type {
  CredentialStore,
  LanguageModelRequest,
  LanguageModelStreamPart,
  LanguageModelToolCall,
  LanguageModelUsage,
  Secret,
} from '@patchbay/core';
import {
  ClientCache,
  type ConnectionCheck,
  defineProviderFactory,
  PatchbayError,
  type ProviderFactory,
  type ProviderRuntime,
  type ResolvedCredentials,
} from '@patchbay/core/adapter';
import {
  type CallContext,
  LanguageModelAdapter,
  StreamEndedEarly,
  type VendorResult,
} from '../shared/language-model-adapter.js';
import { lazySdk } from '../shared/sdk.js';
import { malformedBodyError, secretHeaderNames } from '../shared/vendor-errors.js';
import { geminiApiError } from './gemini-error.js';
import { geminiFinishReason, geminiUsage, toGeminiConfig } from './gemini-request.js';
import {
  type GeminiLanguageModelSettings,
  geminiCredentials,
  geminiLanguageModelSettingsSchema,
} from './gemini-settings.js';

type Credentials = { apiKey: string };

/** The optional `@google/genai` package, loaded on first use, once. */
const sdk = lazySdk('@google/genai', () => import('@google/genai'));

export interface GeminiLanguageModelOptions {
  /** Provider id within a configuration (default `gemini`). */
  id?: string | undefined;
  apiKey?: string | Secret | undefined;
  baseURL?: string | undefined;
  apiVersion?: string | undefined;
  model: string;
  headers?: Record<string, string> | undefined;
  fetch?: typeof globalThis.fetch | undefined;
  credentialStore?: CredentialStore | undefined;
  env?: Readonly<Record<string, string | undefined>> | false | undefined;
}

/** What every SDK request carries: the caller's signal and our fetch. */
interface RequestOptions {
  abortSignal: AbortSignal | undefined;
  httpOptions: { fetch: typeof globalThis.fetch };
}

/** Records the last response's headers: the SDK's errors drop them, and Retry-After lives there. */
function capturingFetch(base: typeof globalThis.fetch, seen: { headers?: Headers }): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await base(input, init);
    seen.headers = response.headers;
    return response;
  };
}

/**
 * A Gemini language model over the Gemini API, through `@google/genai` with its
 * retries, automatic function calling and automatic continuation off: one vendor
 * request per call.
 */
export class GeminiLanguageModel extends LanguageModelAdapter<GeminiLanguageModelSettings, Credentials> {
  readonly capabilities = { streaming: true, tools: true, images: true, jsonOutput: true };
  readonly #clients = new ClientCache<GoogleGenAI>();

  constructor(id: string, settings: unknown, runtime: ProviderRuntime) {
    super({
      id,
      vendor: 'gemini',
      schema: geminiLanguageModelSettingsSchema,
      settings,
      credentials: geminiCredentials,
      runtime,
      secretSettings: secretHeaderNames,
    });
  }

  /** One client per (settings snapshot, key), so key rotation applies on the next call. */
  #client(settings: GeminiLanguageModelSettings, credentials: ResolvedCredentials<Credentials>): Promise<GoogleGenAI> {
    const { apiKey } = credentials.values;
    const { baseURL, apiVersion, headers } = settings;
    return this.#clients.get([apiKey, baseURL, apiVersion, JSON.stringify(headers)], async () => {
      const { GoogleGenAI: Client } = await sdk.load();
      return new Client({
        apiKey,
        // Explicit, so GOOGLE_GENAI_USE_VERTEXAI in the environment cannot switch backends.
        vertexai: false,
        apiVersion,
        httpOptions: {
          ...(baseURL ? { baseUrl: baseURL } : {}),
          ...(headers ? { headers } : {}),
          // No retryOptions: the SDK then makes exactly one attempt.
        },
      });
    });
  }

  protected mapError(
    error: unknown,
    context: { signal: AbortSignal | undefined; secrets: string[]; headers?: Headers | undefined },
  ): PatchbayError {
    const target = { provider: this.id, vendor: this.vendor, secrets: context.secrets };
    if (sdk.loaded && error instanceof sdk.loaded.ApiError) {
      return geminiApiError(error, { ...target, headers: context.headers });
    }
    if (
      error instanceof SyntaxError ||
      (error instanceof Error && /Incomplete JSON segment|exception parsing stream chunk/.test(error.message))
    ) {
      return malformedBodyError(target);
    }
    return this.toError(error, context.signal);
  }

  /**
   * Makes one SDK request with the caller's signal and a fetch that keeps the
   * response headers, so that a failure still reads Retry-After.
   */
  async #request<T>(
    context: { credentials: ResolvedCredentials<Credentials>; signal: AbortSignal | undefined },
    call: (options: RequestOptions) => Promise<T>,
  ): Promise<T> {
    const seen: { headers?: Headers } = {};
    const fetch = this.runtime.fetch ?? globalThis.fetch;
    try {
      return await call({ abortSignal: context.signal, httpOptions: { fetch: capturingFetch(fetch, seen) } });
    } catch (error) {
      throw this.mapError(error, {
        signal: context.signal,
        secrets: [context.credentials.values.apiKey],
        headers: seen.headers,
      });
    }
  }

  protected async doGenerate(
    request: LanguageModelRequest,
    context: CallContext<GeminiLanguageModelSettings, Credentials>,
  ): Promise<VendorResult> {
    const client = await this.#client(context.settings, context.credentials);
    const { contents, config } = toGeminiConfig(request, context.warnings);
    const response = await this.#request(context, (options) =>
      client.models.generateContent({ model: context.model, contents, config: { ...config, ...options } }),
    );
    const candidate = response.candidates?.[0];
    if (!candidate) throw this.#blocked(response);
    let text = '';
    const toolCalls: LanguageModelToolCall[] = [];
    for (const [index, part] of (candidate.content?.parts ?? []).entries()) {
      if (part.thought) continue;
      if (part.text) text += part.text;
      if (part.functionCall) {
        toolCalls.push({
          toolCallId: part.functionCall.id ?? `call_${index}`,
          toolName: part.functionCall.name ?? '',
          input: part.functionCall.args ?? {},
        });
      }
    }
    return {
      text,
      toolCalls,
      finishReason: geminiFinishReason(candidate.finishReason, toolCalls.length > 0),
      usage: geminiUsage(response.usageMetadata),
      model: response.modelVersion ?? context.model,
      responseId: response.responseId,
    };
  }

  /** A prompt blocked before any candidate: Gemini answers 200 with `promptFeedback.blockReason`. */
  #blocked(response: GenerateContentResponse): PatchbayError {
    const reason = response.promptFeedback?.blockReason;
    return new PatchbayError({
      code: reason ? 'content_policy' : 'unavailable',
      message: reason ? `Gemini blocked the prompt (${reason})` : 'Gemini answered without a candidate',
      provider: this.id,
      vendor: this.vendor,
      vendorCode: reason,
    });
  }

  protected async doStream(
    request: LanguageModelRequest,
    context: CallContext<GeminiLanguageModelSettings, Credentials>,
  ): Promise<AsyncIterable<LanguageModelStreamPart>> {
    const client = await this.#client(context.settings, context.credentials);
    const { contents, config } = toGeminiConfig(request, context.warnings);
    // The SDK does not cancel the response body when its generator is returned early: without this
    // signal a consumer that stops would leave the rest of the answer downloading in the background.
    const release = new AbortController();
    const signal = context.signal ? AbortSignal.any([context.signal, release.signal]) : release.signal;
    const stream = await this.#request({ ...context, signal }, (options) =>
      client.models.generateContentStream({ model: context.model, contents, config: { ...config, ...options } }),
    );
    return this.#parts(stream, release);
  }

  async *#parts(
    stream: AsyncIterable<GenerateContentResponse>,
    release: AbortController,
  ): AsyncGenerator<LanguageModelStreamPart> {
    try {
      yield* this.#chunks(stream);
    } finally {
      release.abort();
    }
  }

  async *#chunks(stream: AsyncIterable<GenerateContentResponse>): AsyncGenerator<LanguageModelStreamPart> {
    let finishReason: string | undefined;
    let usage: LanguageModelUsage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
    let calls = 0;
    for await (const chunk of stream) {
      if (chunk.usageMetadata) usage = geminiUsage(chunk.usageMetadata);
      const candidate = chunk.candidates?.[0];
      if (!candidate) {
        if (chunk.promptFeedback?.blockReason) throw this.#blocked(chunk);
        continue;
      }
      for (const part of candidate.content?.parts ?? []) {
        if (part.thought) continue;
        if (part.text) yield { type: 'text-delta', delta: part.text };
        if (part.functionCall) {
          // Gemini sends each call whole: start, its arguments as one delta, and the call.
          const toolCallId = part.functionCall.id ?? `call_${calls}`;
          const toolName = part.functionCall.name ?? '';
          const input = part.functionCall.args ?? {};
          calls++;
          yield { type: 'tool-call-start', toolCallId, toolName };
          yield { type: 'tool-call-delta', toolCallId, argumentsDelta: JSON.stringify(input) };
          yield { type: 'tool-call', toolCallId, toolName, input };
        }
      }
      if (candidate.finishReason) finishReason = candidate.finishReason;
    }
    // The SDK ends quietly when the connection closes between chunks; the finish reason is the proof.
    if (!finishReason) throw new StreamEndedEarly('its finish reason');
    yield { type: 'usage', usage };
    yield { type: 'finish', finishReason: geminiFinishReason(finishReason, calls > 0), usage };
  }

  protected async checkConnection(context: {
    settings: GeminiLanguageModelSettings;
    credentials: ResolvedCredentials<Credentials>;
    signal: AbortSignal | undefined;
  }): Promise<ConnectionCheck> {
    return this.#request(context, async (options) => {
      const client = await this.#client(context.settings, context.credentials);
      // Listing models is free and proves the key.
      const pager = await client.models.list({ config: { pageSize: 1, ...options } });
      return { details: { models: pager.page.length } };
    });
  }
}

/**
 * A Gemini language model. Constructing never throws for a missing key:
 * credentials resolve per call (settings, tenant store, `GEMINI_API_KEY`, `GOOGLE_API_KEY`).
 */
export function createGeminiLanguageModel(options: GeminiLanguageModelOptions): GeminiLanguageModel {
  const { id = 'gemini', fetch, credentialStore, env, ...settings } = options;
  return new GeminiLanguageModel(id, settings, { fetch, credentialStore, env });
}

/** Builds Gemini language models from configuration (`{ kind: 'llm', vendor: 'gemini' }`). */
export const geminiLanguageModelFactory: ProviderFactory<GeminiLanguageModel> = defineProviderFactory({
  kind: 'llm',
  vendor: 'gemini',
  label: 'Google Gemini (language models)',
  docsUrl: 'https://ai.google.dev/gemini-api/docs/api-key',
  create: ({ id, settings, runtime }) => new GeminiLanguageModel(id, settings, runtime),
});
