import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { CallOptions, PatchbayError, SpeechRequest, SpeechSynthesizerCapabilities, Voice } from '@patchbay/core';
import {
  ClientCache,
  type ConnectionCheck,
  defineProviderFactory,
  lazySdk,
  type ProviderRuntime,
  type ResolvedCredentials,
} from '@patchbay/core/adapter';
import { formatCapabilities } from '../audio-format.js';
import type { VendorAudioResponse } from '../audio-stream.js';
import { fernClientOptions } from '../shared/fern-client-options.js';
import {
  type AudioCall,
  SpeechSynthesizerAdapter,
  type VendorCallContext,
} from '../shared/speech-synthesizer-adapter.js';
import { elevenLabsError } from './elevenlabs-error.js';
import {
  type ElevenLabsSpeechSynthesizerSettings,
  type ElevenLabsSpeechSynthesizerSettingsInput,
  elevenLabsFormats,
  elevenLabsOutputFormat,
  elevenlabsCredentials,
  elevenlabsSpeechSynthesizerSettingsSchema,
} from './elevenlabs-settings.js';

type Credentials = { apiKey: string };

/** The SDK is an optional peer: loaded on first use, never at import; a caller's abort stops the wait at once. */
const sdk = lazySdk('@elevenlabs/elevenlabs-js', () => import('@elevenlabs/elevenlabs-js'));

export interface ElevenLabsSpeechSynthesizerOptions extends ElevenLabsSpeechSynthesizerSettingsInput {
  /** Provider id; defaults to `elevenlabs`. */
  id?: string;
  fetch?: typeof globalThis.fetch;
  credentialStore?: ProviderRuntime['credentialStore'];
  env?: ProviderRuntime['env'];
}

export const elevenLabsSpeechCapabilities: SpeechSynthesizerCapabilities = {
  streaming: true,
  listVoices: true,
  formats: formatCapabilities(elevenLabsFormats),
};

/** ElevenLabs text to speech through `@elevenlabs/elevenlabs-js`. */
export class ElevenLabsSpeechSynthesizer extends SpeechSynthesizerAdapter<
  ElevenLabsSpeechSynthesizerSettings,
  Credentials
> {
  readonly capabilities = elevenLabsSpeechCapabilities;
  protected readonly formats = elevenLabsFormats;
  readonly #clients = new ClientCache<ElevenLabsClient>();

  constructor(options: { id: string; settings: unknown; runtime?: ProviderRuntime }) {
    super({
      id: options.id,
      vendor: 'elevenlabs',
      schema: elevenlabsSpeechSynthesizerSettingsSchema,
      settings: options.settings,
      credentials: elevenlabsCredentials,
      runtime: options.runtime,
    });
  }

  /** One client per (origin, key): a rotated key or moved origin gets a new one; calls in flight keep theirs. */
  async #clientFor(
    settings: ElevenLabsSpeechSynthesizerSettings,
    credentials: ResolvedCredentials<Credentials>,
    signal: AbortSignal | undefined,
  ): Promise<ElevenLabsClient> {
    const module = await sdk.load(signal);
    return this.#clients.get([settings.baseURL, credentials.values.apiKey], async () => {
      const { ElevenLabsClient } = module;
      return new ElevenLabsClient(fernClientOptions(credentials.values.apiKey, settings.baseURL, this.runtime.fetch));
    });
  }

  protected modelFor(request: SpeechRequest, settings: ElevenLabsSpeechSynthesizerSettings): string {
    return request.model ?? settings.model;
  }

  protected mapError(error: unknown): PatchbayError | undefined {
    return elevenLabsError(error);
  }

  protected async doSynthesize(
    call: AudioCall<ElevenLabsSpeechSynthesizerSettings, Credentials>,
  ): Promise<VendorAudioResponse> {
    const { settings } = call;
    const client = await this.#clientFor(settings, call.credentials, call.signal);
    const voiceSettings =
      settings.voiceSettings || call.speed !== undefined
        ? { ...settings.voiceSettings, ...(call.speed !== undefined ? { speed: call.speed } : {}) }
        : undefined;
    let languageCode = call.language?.split('-')[0]?.toLowerCase();
    if (languageCode && /^eleven_(multilingual_v[12]|monolingual_v1)$/.test(call.model)) {
      // These models take no language_code: they read the language from the text.
      call.warnings.push({
        type: 'unsupported-setting',
        setting: 'language',
        message: `${call.model} detects the language from the text; language_code was not sent`,
      });
      languageCode = undefined;
    }
    const body = {
      ...(call.vendorOptions as object),
      text: call.text,
      modelId: call.model,
      // The SDK types output_format as a closed union; the id comes from the vendor's own table.
      outputFormat: elevenLabsOutputFormat(call.format, settings) as 'mp3_44100_128',
      // ElevenLabs takes ISO 639-1: the primary subtag of a BCP-47 tag.
      languageCode,
      voiceSettings,
      enableLogging: settings.enableLogging,
      optimizeStreamingLatency: call.streaming ? settings.optimizeStreamingLatency : undefined,
    };
    const requestOptions = { abortSignal: call.signal, maxRetries: 0 };
    const pending = call.streaming
      ? client.textToSpeech.stream(call.voice, body, requestOptions)
      : client.textToSpeech.convert(call.voice, body, requestOptions);
    const { data, rawResponse } = await pending.withRawResponse();
    return {
      body: data,
      contentType: rawResponse.headers.get('content-type'),
      requestId: rawResponse.headers.get('request-id') ?? undefined,
    };
  }

  /** The account's voices (`GET /v1/voices`). */
  async listVoices(options: CallOptions = {}): Promise<Voice[]> {
    return this.run(options, async ({ settings, credentials, signal }) => {
      const client = await this.#clientFor(settings, credentials, signal);
      const response = await client.voices.getAll({}, { abortSignal: signal, maxRetries: 0 });
      return response.voices.map((voice) => ({
        id: voice.voiceId,
        name: voice.name ?? voice.voiceId,
        language: voice.labels?.language ?? voice.verifiedLanguages?.[0]?.language,
        gender: voice.labels?.gender,
        previewUrl: voice.previewUrl ?? undefined,
      }));
    });
  }

  /** `GET /v1/user/subscription`: free, proves the key, and tells how much of the character quota is left. */
  protected checkConnection(
    context: VendorCallContext<ElevenLabsSpeechSynthesizerSettings, Credentials>,
  ): Promise<ConnectionCheck> {
    return this.mapFailures(context, async () => {
      const client = await this.#clientFor(context.settings, context.credentials, context.signal);
      const subscription = await client.user.subscription.get({ abortSignal: context.signal, maxRetries: 0 });
      return {
        message: `Connected to ElevenLabs (${subscription.tier}; ${subscription.characterCount} of ${subscription.characterLimit} characters used)`,
        details: {
          tier: subscription.tier,
          characterCount: subscription.characterCount,
          characterLimit: subscription.characterLimit,
        },
      };
    });
  }
}

/**
 * An ElevenLabs speech synthesizer. Never throws for a missing key: credentials
 * resolve per call (settings, then the tenant's store, then ELEVENLABS_API_KEY).
 */
export function createElevenLabsSpeechSynthesizer(
  options: ElevenLabsSpeechSynthesizerOptions = {},
): ElevenLabsSpeechSynthesizer {
  const { id = 'elevenlabs', fetch, credentialStore, env, ...settings } = options;
  return new ElevenLabsSpeechSynthesizer({ id, settings, runtime: { fetch, credentialStore, env } });
}

export const elevenlabsSpeechSynthesizerFactory = defineProviderFactory({
  kind: 'tts',
  vendor: 'elevenlabs',
  label: 'ElevenLabs (speech synthesis)',
  docsUrl: 'https://elevenlabs.io/docs/api-reference/text-to-speech/convert',
  create: ({ id, settings, runtime }) => new ElevenLabsSpeechSynthesizer({ id, settings, runtime }),
});
