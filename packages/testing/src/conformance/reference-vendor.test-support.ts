/**
 * A tiny fictional JSON vendor ("Reference") with one adapter per kind, used
 * only to prove the conformance suites: the correct adapters pass, and each
 * `flaw` makes exactly the case that guards against it fail.
 */

import { type InspectOptions, inspect } from 'node:util';
import {
  type CallOptions,
  type LanguageModel,
  type LanguageModelRequest,
  type LanguageModelResult,
  type LanguageModelStreamPart,
  type LanguageModelStreamResult,
  type MessagingProvider,
  type OutboundMessage,
  PatchbayError,
  type SendResult,
  type SpeechRequest,
  type SpeechResult,
  type SpeechStreamResult,
  type SpeechSynthesizer,
  type Transcriber,
  type TranscriptionRequest,
  type TranscriptionResult,
} from '@patchbay/core';
import {
  AbstractProvider,
  type ConnectionCheck,
  type CredentialsOf,
  defineCredentials,
  httpError,
  type ResolvedCredentials,
  secretInput,
} from '@patchbay/core/adapter';
import { z } from 'zod';
import { sendChunks, sendEventStream, sendJson, VendorSimulator } from '../simulators/framework/index.js';

export const referenceKeys = { valid: 'ref-valid-key', invalid: 'ref-invalid-key' };

export type ReferenceFlaw =
  | 'raw-errors'
  | 'ignore-retry-after'
  | 'expose-key'
  | 'silent-stream-cut'
  | 'cached-key'
  | 'no-outcome-unknown'
  | 'print-runtime';

export function createReferenceSimulator(): VendorSimulator {
  const accepted = new Set([referenceKeys.valid, 'pb-conformance-rotated-7f3c9a51']);
  const authorised = (headers: Record<string, string | string[] | undefined>) =>
    accepted.has(String(headers.authorization ?? '').replace(/^Bearer /, ''));
  const denied = { error: { type: 'unauthorized', message: 'bad key' } };
  return new VendorSimulator({
    name: 'reference',
    errorBody: (status, message) => ({ error: { type: `http_${status}`, message } }),
    routes: [
      {
        method: 'GET',
        path: '/v1/account',
        handler: ({ request, response }) =>
          authorised(request.headers) ? sendJson(response, 200, { ok: true }) : sendJson(response, 401, denied),
      },
      {
        method: 'POST',
        path: '/v1/generate',
        handler: async (exchange) => {
          if (!authorised(exchange.request.headers)) return sendJson(exchange.response, 401, denied);
          const body = exchange.request.json as { stream?: boolean };
          if (!body.stream) {
            return sendJson(exchange.response, 200, { text: 'Hello there', usage: { input: 7, output: 2 } });
          }
          await sendEventStream(
            exchange,
            [
              { data: JSON.stringify({ delta: 'Hel' }) },
              { data: JSON.stringify({ delta: 'lo ' }) },
              { data: JSON.stringify({ delta: 'there' }) },
              { data: JSON.stringify({ usage: { input: 7, output: 2 } }) },
              { data: '[DONE]' },
            ],
            { intervalMs: 2 },
          );
        },
      },
      {
        method: 'POST',
        path: '/v1/transcribe',
        handler: ({ request, response }) =>
          authorised(request.headers)
            ? sendJson(response, 200, { text: 'silence', duration_seconds: 0.25 })
            : sendJson(response, 401, denied),
      },
      {
        method: 'POST',
        path: '/v1/speech',
        handler: async (exchange) => {
          if (!authorised(exchange.request.headers)) return sendJson(exchange.response, 401, denied);
          // Three chunks of "audio", so a stream cut after the first leaves some behind.
          const chunks = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5]), new Uint8Array([6])];
          await sendChunks(exchange, 'audio/mpeg', chunks, { intervalMs: 2 });
        },
      },
      {
        method: 'POST',
        path: '/v1/messages',
        handler: ({ request, response }) => {
          if (!authorised(request.headers)) return sendJson(response, 401, denied);
          const body = request.json as { to: string };
          sendJson(response, 200, { id: 'msg-1', status: 'queued', to: body.to, segments: 1 });
        },
      },
    ],
  });
}

const credentialFields = { apiKey: z.string().min(1) };
const credentials = defineCredentials({
  fields: credentialFields,
  env: { apiKey: ['REFERENCE_API_KEY'] },
  secret: ['apiKey'],
});
type Credentials = CredentialsOf<typeof credentialFields>;
const schema = z.strictObject({
  apiKey: secretInput.optional(),
  baseURL: z.url(),
  model: z.string().default('ref-1'),
});
type Settings = z.output<typeof schema>;

export interface ReferenceOptions {
  id: string;
  baseURL: string;
  apiKey?: string | undefined;
  env: Record<string, string | undefined>;
  flaw?: ReferenceFlaw | undefined;
}

abstract class ReferenceProvider extends AbstractProvider<Settings, Credentials> {
  readonly flaw: ReferenceFlaw | undefined;
  debugKey: string | undefined;
  #cachedKey: string | undefined;

  constructor(options: ReferenceOptions) {
    super({
      id: options.id,
      vendor: 'reference',
      schema,
      settings: { apiKey: options.apiKey, baseURL: options.baseURL },
      credentials,
      runtime: { env: options.env },
    });
    this.flaw = options.flaw;
  }

  /** Flawed variants dump what core keeps out of sight: the runtime (it holds `env`), or their own fields. */
  override toJSON(): Record<string, unknown> {
    if (this.flaw === 'print-runtime') return { ...this.getConfig(), runtime: this.runtime };
    if (this.flaw === 'expose-key') return { ...(this as object) };
    return this.getConfig();
  }

  [Symbol.for('nodejs.util.inspect.custom')](_depth: number, options: InspectOptions): string {
    return `${this.constructor.name} ${inspect(this.toJSON(), options)}`;
  }

  protected async post(
    path: string,
    body: unknown,
    options: CallOptions,
    init: { method?: string; raw?: Uint8Array; sideEffects?: boolean } = {},
  ): Promise<{ response: Response; settings: Settings }> {
    const settings = this.settings;
    const resolved = await this.resolveCredentials(settings, options);
    return { response: await this.exchange(path, body, settings, resolved, options.signal, init), settings };
  }

  protected async exchange(
    path: string,
    body: unknown,
    settings: Settings,
    resolved: ResolvedCredentials<Credentials>,
    signal: AbortSignal | undefined,
    init: { method?: string; raw?: Uint8Array; sideEffects?: boolean } = {},
  ): Promise<Response> {
    let key = resolved.values.apiKey;
    if (this.flaw === 'cached-key') key = this.#cachedKey ??= key;
    if (this.flaw === 'expose-key') this.debugKey = key;
    let response: Response;
    try {
      response = await fetch(new URL(path, settings.baseURL), {
        method: init.method ?? 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': init.raw ? 'audio/wav' : 'application/json',
        },
        body: init.method === 'GET' ? undefined : (init.raw ?? JSON.stringify(body)),
        signal,
      });
    } catch (caught) {
      const error = this.toError(caught, signal);
      // The message may have been sent: say so, so routing never sends it twice.
      if (init.sideEffects && error.code === 'timeout' && this.flaw !== 'no-outcome-unknown') {
        throw new PatchbayError({ ...error.toOptions(), outcomeUnknown: true });
      }
      throw error;
    }
    if (!response.ok) {
      if (this.flaw === 'raw-errors') throw new Error(`HTTP ${response.status}`);
      await response.body?.cancel();
      throw httpError({
        status: response.status,
        headers: this.flaw === 'ignore-retry-after' ? undefined : response.headers,
        provider: this.id,
        vendor: this.vendor,
      });
    }
    return response;
  }

  protected async json<T>(response: Response, signal: AbortSignal | undefined): Promise<T> {
    try {
      return (await response.json()) as T;
    } catch (caught) {
      throw this.toError(caught, signal);
    }
  }

  protected async checkConnection(context: {
    settings: Settings;
    credentials: ResolvedCredentials<Credentials>;
    signal: AbortSignal | undefined;
  }): Promise<ConnectionCheck> {
    const response = await this.exchange(
      '/v1/account',
      undefined,
      context.settings,
      context.credentials,
      context.signal,
      {
        method: 'GET',
      },
    );
    await response.body?.cancel();
    return {};
  }
}

export class ReferenceLanguageModel extends ReferenceProvider implements LanguageModel {
  readonly kind = 'llm' as const;
  readonly capabilities = { streaming: true, tools: false, images: false, jsonOutput: false };

  async generate(request: LanguageModelRequest, options: CallOptions = {}): Promise<LanguageModelResult> {
    const { response, settings } = await this.post('/v1/generate', { messages: request.messages }, options);
    const body = await this.json<{ text: string; usage: { input: number; output: number } }>(response, options.signal);
    return {
      text: body.text,
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: body.usage.input, outputTokens: body.usage.output, cachedInputTokens: 0 },
      provider: this.id,
      vendor: this.vendor,
      model: settings.model,
      warnings: [],
    };
  }

  async stream(request: LanguageModelRequest, options: CallOptions = {}): Promise<LanguageModelStreamResult> {
    const { response, settings } = await this.post(
      '/v1/generate',
      { messages: request.messages, stream: true },
      options,
    );
    const events = this.#events(response, options.signal);
    const first = await events.next();
    return {
      stream: this.#parts(first, events),
      provider: this.id,
      vendor: this.vendor,
      model: settings.model,
      warnings: [],
    };
  }

  async *#parts(
    first: IteratorResult<LanguageModelStreamPart>,
    rest: AsyncGenerator<LanguageModelStreamPart>,
  ): AsyncGenerator<LanguageModelStreamPart> {
    if (first.done) return;
    yield first.value;
    yield* rest;
  }

  async *#events(response: Response, signal: AbortSignal | undefined): AsyncGenerator<LanguageModelStreamPart> {
    const decoder = new TextDecoder();
    let buffer = '';
    let started = false;
    try {
      for await (const chunk of response.body as ReadableStream<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let boundary = buffer.indexOf('\n\n');
        while (boundary !== -1) {
          const data = buffer.slice(0, boundary).replace(/^data: /, '');
          buffer = buffer.slice(boundary + 2);
          boundary = buffer.indexOf('\n\n');
          if (data === '[DONE]') return;
          const event = JSON.parse(data) as { delta?: string; usage?: { input: number; output: number } };
          started = true;
          if (event.delta) yield { type: 'text-delta', delta: event.delta };
          if (event.usage) {
            const usage = { inputTokens: event.usage.input, outputTokens: event.usage.output, cachedInputTokens: 0 };
            yield { type: 'finish', finishReason: 'stop', usage };
          }
        }
      }
      if (this.flaw === 'silent-stream-cut') return;
      throw new PatchbayError({ code: 'stream_cut', message: 'ended early', provider: this.id, vendor: this.vendor });
    } catch (caught) {
      if (this.flaw === 'silent-stream-cut') return;
      const error = this.toError(caught, signal);
      if (!started || error.code === 'aborted' || error.code === 'timeout' || error.code === 'stream_cut') throw error;
      throw new PatchbayError({ code: 'stream_cut', message: 'stream broke', provider: this.id, vendor: this.vendor });
    }
  }
}

export class ReferenceTranscriber extends ReferenceProvider implements Transcriber {
  readonly kind = 'stt' as const;
  readonly capabilities = { live: false, urlInput: false, diarization: false, liveEncodings: [] };

  async transcribe(request: TranscriptionRequest, options: CallOptions = {}): Promise<TranscriptionResult> {
    if (!(request.audio instanceof Uint8Array))
      throw new PatchbayError({ code: 'invalid_request', message: 'bytes only' });
    const { response, settings } = await this.post('/v1/transcribe', undefined, options, { raw: request.audio });
    const body = await this.json<{ text: string; duration_seconds: number }>(response, options.signal);
    return {
      text: body.text,
      words: [],
      durationSeconds: body.duration_seconds,
      provider: this.id,
      vendor: this.vendor,
      model: settings.model,
      warnings: [],
    };
  }
}

export class ReferenceSms extends ReferenceProvider implements MessagingProvider {
  readonly kind = 'sms' as const;
  readonly capabilities = { channel: 'sms' as const, media: false, templates: false, idempotency: false };

  async send(message: OutboundMessage, options: CallOptions = {}): Promise<SendResult> {
    const { response } = await this.post('/v1/messages', { to: message.to, body: message.body }, options, {
      sideEffects: true,
    });
    const body = await this.json<{ id: string; status: 'queued'; to: string; segments: number }>(
      response,
      options.signal,
    );
    return {
      messageId: body.id,
      status: body.status,
      channel: 'sms',
      to: body.to,
      segments: body.segments,
      provider: this.id,
      vendor: this.vendor,
    };
  }
}

export class ReferenceSpeechSynthesizer extends ReferenceProvider implements SpeechSynthesizer {
  readonly kind = 'tts' as const;
  readonly capabilities = {
    streaming: true,
    formats: [{ encoding: 'mp3' as const, sampleRates: [] }],
    listVoices: false,
  };

  async synthesize(request: SpeechRequest, options: CallOptions = {}): Promise<SpeechResult> {
    const { response, settings } = await this.post('/v1/speech', { text: request.text }, options);
    let audio: Uint8Array;
    try {
      audio = new Uint8Array(await response.arrayBuffer());
    } catch (caught) {
      throw this.toError(caught, options.signal);
    }
    return { ...this.#describe(request, settings), audio, format: { encoding: 'mp3' } };
  }

  async stream(request: SpeechRequest, options: CallOptions = {}): Promise<SpeechStreamResult> {
    const { response, settings } = await this.post('/v1/speech', { text: request.text, stream: true }, options);
    const chunks = this.#chunks(response, options.signal);
    // Resolves once the first chunk is here, so a failure before any audio can still fail over.
    const first = await chunks.next();
    return { ...this.#describe(request, settings), stream: this.#audio(first, chunks), format: { encoding: 'mp3' } };
  }

  #describe(request: SpeechRequest, settings: Settings) {
    return {
      characters: request.text.length,
      provider: this.id,
      vendor: this.vendor,
      model: settings.model,
      voice: request.voice ?? 'ref-voice',
      warnings: [],
    };
  }

  async *#audio(first: IteratorResult<Uint8Array>, rest: AsyncGenerator<Uint8Array>): AsyncGenerator<Uint8Array> {
    if (first.done) return;
    yield first.value;
    yield* rest;
  }

  async *#chunks(response: Response, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
    let started = false;
    try {
      for await (const chunk of response.body as ReadableStream<Uint8Array>) {
        started = true;
        yield chunk;
      }
    } catch (caught) {
      // The flaw: a cut connection ends the audio as if it were complete.
      if (this.flaw === 'silent-stream-cut') return;
      const error = this.toError(caught, signal);
      if (!started || error.code === 'aborted' || error.code === 'timeout') throw error;
      throw new PatchbayError({ code: 'stream_cut', message: 'stream broke', provider: this.id, vendor: this.vendor });
    }
  }
}
