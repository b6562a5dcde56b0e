import type { CallOptions, PatchbayError, SpeechSynthesizerCapabilities, Voice } from '@patchbay/core';
import type { ResolvedCredentials } from '@patchbay/core/adapter';
import {
  type ConnectionCheck,
  defineProviderFactory,
  type ProviderRuntime,
  VendorHttpFailure,
  vendorFetch,
} from '@patchbay/core/adapter';
import { GoogleAccessTokens, type GoogleCloudCredentialValues, googleAuthHeaders } from '@patchbay/core/vendors/google';
import { formatCapabilities, wavDataOffset } from '../audio-format.js';
import type { VendorAudioResponse } from '../audio-stream.js';
import { jsonOf } from '../shared/speech-http.js';
import {
  type AudioCall,
  SpeechSynthesizerAdapter,
  type VendorCallContext,
} from '../shared/speech-synthesizer-adapter.js';
import { googleSpeechError } from './google-error.js';
import {
  type GoogleSpeechSynthesizerSettings,
  type GoogleSpeechSynthesizerSettingsInput,
  googleAudioEncodings,
  googleCloudCredentials,
  googleContentTypes,
  googleFormats,
  googleSpeechSynthesizerSettingsSchema,
} from './google-settings.js';

type Credentials = GoogleCloudCredentialValues;
type Settings = GoogleSpeechSynthesizerSettings;

export interface GoogleSpeechSynthesizerOptions extends GoogleSpeechSynthesizerSettingsInput {
  /** Provider id; defaults to `google`. */
  id?: string;
  fetch?: typeof globalThis.fetch;
  credentialStore?: ProviderRuntime['credentialStore'];
  env?: ProviderRuntime['env'];
}

export const googleSpeechCapabilities: SpeechSynthesizerCapabilities = {
  // `text:synthesize` answers the whole clip in one JSON body; `stream()` works but yields it at once,
  // so routes do not pick Google for streaming (its streaming synthesis is gRPC only).
  streaming: false,
  listVoices: true,
  formats: formatCapabilities(googleFormats),
};

const rawEncodings = new Set(['pcm_s16le', 'mulaw', 'alaw']);
const chunkBytes = 16 * 1024;

function bytesBody(audio: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= audio.length) {
        controller.close();
        return;
      }
      controller.enqueue(audio.subarray(offset, offset + chunkBytes));
      offset += chunkBytes;
    },
  });
}

/**
 * Google Cloud Text-to-Speech over REST (`POST /v1/text:synthesize`). Credentials:
 * an API key, or a service account whose access tokens are minted with an RS256
 * JWT and cached until shortly before they expire.
 */
export class GoogleSpeechSynthesizer extends SpeechSynthesizerAdapter<Settings, Credentials> {
  readonly capabilities = googleSpeechCapabilities;
  protected readonly formats = googleFormats;
  readonly #tokens = new GoogleAccessTokens();

  constructor(options: { id: string; settings: unknown; runtime?: ProviderRuntime }) {
    super({
      id: options.id,
      vendor: 'google',
      schema: googleSpeechSynthesizerSettingsSchema,
      settings: options.settings,
      credentials: googleCloudCredentials,
      runtime: options.runtime,
    });
  }

  get #fetch(): typeof globalThis.fetch {
    return this.runtime.fetch ?? globalThis.fetch;
  }

  #auth(settings: Settings, credentials: ResolvedCredentials<Credentials>, signal: AbortSignal | undefined) {
    return googleAuthHeaders(credentials, {
      tokens: this.#tokens,
      fetch: this.#fetch,
      tokenURL: settings.tokenURL,
      signal,
    });
  }

  #origin(settings: Settings): string {
    return settings.baseURL.replace(/\/+$/, '');
  }

  protected modelFor(_request: unknown, _settings: Settings, voice: string): string {
    // The voice name carries the model family (`Neural2`, `Chirp3-HD`, `Standard`).
    return voice.split('-').slice(2, -1).join('-') || voice;
  }

  protected mapError(error: unknown): PatchbayError | undefined {
    return googleSpeechError(error);
  }

  protected async doSynthesize(call: AudioCall<Settings, Credentials>): Promise<VendorAudioResponse> {
    const languageCode = call.language ?? (/^[a-z]{2,3}-[A-Z0-9]{2,3}/.exec(call.voice)?.[0] || 'en-US');
    const headers = await this.#auth(call.settings, call.credentials, call.signal);
    const response = await vendorFetch(this.#fetch, `${this.#origin(call.settings)}/v1/text:synthesize`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        input: { text: call.text },
        voice: { languageCode, name: call.voice },
        audioConfig: {
          audioEncoding: googleAudioEncodings[call.format.encoding],
          sampleRateHertz: call.format.sampleRate,
          ...(call.speed !== undefined ? { speakingRate: call.speed } : {}),
        },
      }),
      signal: call.signal,
    });
    const body = (await jsonOf(response)) as { audioContent?: unknown } | undefined;
    if (typeof body?.audioContent !== 'string' || body.audioContent === '') {
      throw new VendorHttpFailure(response.status, response.headers, body);
    }
    let audio: Uint8Array = Buffer.from(body.audioContent, 'base64');
    if (rawEncodings.has(call.format.encoding)) {
      // LINEAR16, MULAW and ALAW arrive as WAV files: a raw format is the samples alone.
      const offset = wavDataOffset(audio);
      if (offset !== undefined) audio = audio.subarray(offset);
    }
    return { body: bytesBody(audio), contentType: googleContentTypes[call.format.encoding] ?? null };
  }

  async #voices(context: VendorCallContext<Settings, Credentials>, languageCode?: string): Promise<unknown> {
    const headers = await this.#auth(context.settings, context.credentials, context.signal);
    const query = languageCode ? `?languageCode=${encodeURIComponent(languageCode)}` : '';
    const response = await vendorFetch(this.#fetch, `${this.#origin(context.settings)}/v1/voices${query}`, {
      method: 'GET',
      headers,
      signal: context.signal,
    });
    return jsonOf(response);
  }

  /** Google's voices (`GET /v1/voices`); one entry per voice, with its first language. */
  async listVoices(options: CallOptions = {}): Promise<Voice[]> {
    return this.run(options, async (context) => {
      const body = (await this.#voices(context)) as { voices?: unknown } | undefined;
      if (!Array.isArray(body?.voices)) return [];
      return body.voices.flatMap((entry: Record<string, unknown>) =>
        typeof entry?.name === 'string'
          ? [
              {
                id: entry.name,
                name: entry.name,
                language: Array.isArray(entry.languageCodes) ? String(entry.languageCodes[0]) : undefined,
                gender: typeof entry.ssmlGender === 'string' ? entry.ssmlGender.toLowerCase() : undefined,
              },
            ]
          : [],
      );
    });
  }

  /** The voices of one language: free, proves the key or the service account (its token exchange included). */
  protected checkConnection(context: VendorCallContext<Settings, Credentials>): Promise<ConnectionCheck> {
    return this.mapFailures(context, async () => {
      const body = (await this.#voices(context, 'en-US')) as { voices?: unknown[] } | undefined;
      return {
        message: 'Connected to Google Cloud Text-to-Speech',
        details: {
          voices: body?.voices?.length ?? 0,
          signedInWith: context.credentials.values.apiKey ? 'api-key' : 'service-account',
        },
      };
    });
  }
}

/**
 * A Google Cloud Text-to-Speech synthesizer. Never throws for missing credentials:
 * they resolve per call (settings, the tenant's store, then GOOGLE_API_KEY /
 * GOOGLE_SERVICE_ACCOUNT_JSON / GOOGLE_APPLICATION_CREDENTIALS).
 */
export function createGoogleSpeechSynthesizer(options: GoogleSpeechSynthesizerOptions = {}): GoogleSpeechSynthesizer {
  const { id = 'google', fetch, credentialStore, env, ...settings } = options;
  return new GoogleSpeechSynthesizer({ id, settings, runtime: { fetch, credentialStore, env } });
}

export const googleSpeechSynthesizerFactory = defineProviderFactory({
  kind: 'tts',
  vendor: 'google',
  label: 'Google Cloud Text-to-Speech',
  docsUrl: 'https://cloud.google.com/text-to-speech/docs/reference/rest',
  create: ({ id, settings, runtime }) => new GoogleSpeechSynthesizer({ id, settings, runtime }),
});
