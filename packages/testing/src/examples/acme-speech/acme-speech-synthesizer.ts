import type {
  AudioFormat,
  CallOptions,
  CredentialStore,
  SpeechRequest,
  SpeechResult,
  SpeechStreamResult,
  SpeechSynthesizer,
  SpeechSynthesizerCapabilities,
  Voice,
} from '@patchbay/core';
import {
  AbstractProvider,
  type ConnectionCheck,
  type CredentialsOf,
  defineCredentials,
  PatchbayError,
  type ResolvedCredentials,
} from '@patchbay/core/adapter';
import { z } from 'zod';
import { acmeSpeechError } from './acme-speech-error.js';
import {
  type AcmeSpeechSettings,
  type AcmeSpeechSettingsInput,
  acmeSpeechSettingsSchema,
} from './acme-speech-settings.js';

const credentialFields = { apiKey: z.string().min(1) };
const acmeCredentials = defineCredentials({
  fields: credentialFields,
  env: { apiKey: ['ACME_SPEECH_API_KEY'] },
  secret: ['apiKey'],
});
type AcmeCredentials = CredentialsOf<typeof credentialFields>;

export interface AcmeSpeechOptions extends AcmeSpeechSettingsInput {
  id?: string | undefined;
  fetch?: typeof globalThis.fetch | undefined;
  credentialStore?: CredentialStore | undefined;
  env?: Readonly<Record<string, string | undefined>> | false | undefined;
}

const mp3: AudioFormat = { encoding: 'mp3' };

type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;

/**
 * Text-to-speech for the fictional vendor Acme Speech, written only against
 * `@patchbay/core`: one HTTP request per call, no retries of its own (routing
 * owns retries), the caller's signal on every request.
 */
export class AcmeSpeechSynthesizer
  extends AbstractProvider<AcmeSpeechSettings, AcmeCredentials>
  implements SpeechSynthesizer
{
  readonly kind = 'tts' as const;
  readonly capabilities: SpeechSynthesizerCapabilities = {
    streaming: true,
    listVoices: true,
    formats: [{ encoding: 'mp3', sampleRates: [] }],
  };
  readonly #fetch: typeof globalThis.fetch | undefined;

  constructor(options: AcmeSpeechOptions = {}) {
    const { id, fetch, credentialStore, env, ...settings } = options;
    super({
      id: id ?? 'acme-speech',
      vendor: 'acme-speech',
      schema: acmeSpeechSettingsSchema,
      settings,
      credentials: acmeCredentials,
      runtime: { credentialStore, env, fetch },
    });
    this.#fetch = fetch;
  }

  /** One request to Acme; every failure leaves as a PatchbayError. */
  async #request(
    path: string,
    init: { method: string; body?: unknown },
    settings: AcmeSpeechSettings,
    credentials: ResolvedCredentials<AcmeCredentials>,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    const fetch = this.#fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await fetch(new URL(path, settings.baseURL), {
        method: init.method,
        headers: {
          authorization: `Bearer ${credentials.values.apiKey}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: init.body === undefined ? null : JSON.stringify(init.body),
        signal: signal ?? null,
      });
    } catch (error) {
      throw this.toError(error, signal);
    }
    if (!response.ok) throw await acmeSpeechError(response, { provider: this.id, vendor: this.vendor });
    return response;
  }

  async #speak(request: SpeechRequest, options: CallOptions, stream: boolean) {
    const settings = this.settings;
    const credentials = await this.resolveCredentials(settings, options);
    const voice = request.voice ?? settings.voice;
    const model = request.model ?? settings.model;
    const response = await this.#request(
      '/v1/speech',
      { method: 'POST', body: { text: request.text, voice, model, speed: request.speed, stream } },
      settings,
      credentials,
      options.signal,
    );
    if (!response.headers.get('content-type')?.startsWith('audio/') || !response.body) {
      await response.body?.cancel().catch(() => {});
      throw new PatchbayError({
        code: 'unknown',
        message: `Acme Speech answered with ${response.headers.get('content-type') ?? 'no content type'} instead of audio`,
        provider: this.id,
        vendor: this.vendor,
        status: response.status,
      });
    }
    const described = {
      format: mp3,
      characters: request.text.length,
      provider: this.id,
      vendor: this.vendor,
      model,
      voice,
      warnings: [],
    };
    return { response, body: response.body, described };
  }

  async synthesize(request: SpeechRequest, options: CallOptions = {}): Promise<SpeechResult> {
    const { body, described } = await this.#speak(request, options, false);
    const chunks: Uint8Array[] = [];
    try {
      for await (const chunk of body) chunks.push(chunk);
    } catch (error) {
      throw this.toError(error, options.signal);
    }
    return { audio: new Uint8Array(Buffer.concat(chunks)), ...described };
  }

  async stream(request: SpeechRequest, options: CallOptions = {}): Promise<SpeechStreamResult> {
    const { body, described } = await this.#speak(request, options, true);
    const reader = body.getReader();
    // Resolve only once the first chunk is here, so routing can still fail over until then.
    let first: ReadResult;
    try {
      first = await reader.read();
    } catch (error) {
      throw this.toError(error, options.signal);
    }
    return { stream: this.#relay(reader, first, options.signal), ...described };
  }

  async *#relay(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    first: ReadResult,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<Uint8Array> {
    let next = first;
    let finished = false;
    try {
      while (!next.done) {
        yield next.value;
        try {
          next = await reader.read();
        } catch (caught) {
          const error = this.toError(caught, signal);
          if (error.code === 'aborted' || error.code === 'timeout') throw error;
          // It had started: a broken stream is a cut, never a shorter success.
          throw new PatchbayError({
            code: 'stream_cut',
            message: 'Acme Speech audio stream broke after it started',
            provider: this.id,
            vendor: this.vendor,
            cause: caught,
          });
        }
      }
      finished = true;
    } finally {
      if (!finished) await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  }

  async listVoices(options: CallOptions = {}): Promise<Voice[]> {
    const settings = this.settings;
    const credentials = await this.resolveCredentials(settings, options);
    const response = await this.#request('/v1/voices', { method: 'GET' }, settings, credentials, options.signal);
    try {
      const body = (await response.json()) as { voices: { id: string; name: string; language?: string }[] };
      return body.voices.map((voice) => ({ id: voice.id, name: voice.name, language: voice.language }));
    } catch (error) {
      throw this.toError(error, options.signal);
    }
  }

  /** Listing voices is free and proves the key works. */
  protected async checkConnection(context: {
    settings: AcmeSpeechSettings;
    credentials: ResolvedCredentials<AcmeCredentials>;
    signal: AbortSignal | undefined;
  }): Promise<ConnectionCheck> {
    const response = await this.#request(
      '/v1/voices',
      { method: 'GET' },
      context.settings,
      context.credentials,
      context.signal,
    );
    await response.body?.cancel().catch(() => {});
    return { message: 'Connected to Acme Speech' };
  }
}
