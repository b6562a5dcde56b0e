import type { DeepgramClient } from '@deepgram/sdk';
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
import { deepgramSpeechError } from './deepgram-error.js';
import {
  type DeepgramSpeechSynthesizerSettings,
  type DeepgramSpeechSynthesizerSettingsInput,
  deepgramCredentials,
  deepgramFormats,
  deepgramMediaParameters,
  deepgramSpeechSynthesizerSettingsSchema,
} from './deepgram-settings.js';

type Credentials = { apiKey: string };

/** The SDK is an optional peer: loaded on first use, never at import; a caller's abort stops the wait at once. */
const sdk = lazySdk('@deepgram/sdk', () => import('@deepgram/sdk'));

export interface DeepgramSpeechSynthesizerOptions extends DeepgramSpeechSynthesizerSettingsInput {
  /** Provider id; defaults to `deepgram`. */
  id?: string;
  fetch?: typeof globalThis.fetch;
  credentialStore?: ProviderRuntime['credentialStore'];
  env?: ProviderRuntime['env'];
}

export const deepgramSpeechCapabilities: SpeechSynthesizerCapabilities = {
  streaming: true,
  listVoices: true,
  formats: formatCapabilities(deepgramFormats),
};

/**
 * Deepgram Aura text to speech (`POST /v1/speak`) through `@deepgram/sdk`.
 * Deepgram's model id is the voice (`aura-2-thalia-en`): a request's `voice`
 * (or, failing that, its `model`) picks it, and results report it as both.
 */
export class DeepgramSpeechSynthesizer extends SpeechSynthesizerAdapter<
  DeepgramSpeechSynthesizerSettings,
  Credentials
> {
  readonly capabilities = deepgramSpeechCapabilities;
  protected readonly formats = deepgramFormats;
  readonly #clients = new ClientCache<DeepgramClient>();

  constructor(options: { id: string; settings: unknown; runtime?: ProviderRuntime }) {
    super({
      id: options.id,
      vendor: 'deepgram',
      schema: deepgramSpeechSynthesizerSettingsSchema,
      settings: options.settings,
      credentials: deepgramCredentials,
      runtime: options.runtime,
    });
  }

  /** One client per (origin, key): a rotated key gets a new one; calls in flight keep theirs. */
  async #clientFor(
    settings: DeepgramSpeechSynthesizerSettings,
    credentials: ResolvedCredentials<Credentials>,
    signal: AbortSignal | undefined,
  ): Promise<DeepgramClient> {
    const module = await sdk.load(signal);
    return this.#clients.get([settings.baseURL, credentials.values.apiKey], async () => {
      const { DeepgramClient } = module;
      return new DeepgramClient(fernClientOptions(credentials.values.apiKey, settings.baseURL, this.runtime.fetch));
    });
  }

  protected override voiceFor(request: SpeechRequest, settings: DeepgramSpeechSynthesizerSettings): string {
    return request.voice ?? request.model ?? settings.voice;
  }

  protected modelFor(_request: SpeechRequest, _settings: DeepgramSpeechSynthesizerSettings, voice: string): string {
    return voice;
  }

  protected mapError(error: unknown): PatchbayError | undefined {
    return deepgramSpeechError(error);
  }

  protected async doSynthesize(
    call: AudioCall<DeepgramSpeechSynthesizerSettings, Credentials>,
  ): Promise<VendorAudioResponse> {
    if (call.language !== undefined) {
      call.warnings.push({
        type: 'unsupported-setting',
        setting: 'language',
        message: `Deepgram's voice sets the language (${call.voice}); pick a voice of the language instead`,
      });
    }
    const client = await this.#clientFor(call.settings, call.credentials, call.signal);
    const media = deepgramMediaParameters(call.format);
    const { data, rawResponse } = await client.speak.v1.audio
      .generate(
        {
          text: call.text,
          model: call.voice,
          ...media,
          ...(call.format.encoding === 'mp3' && call.settings.mp3BitRate ? { bit_rate: call.settings.mp3BitRate } : {}),
          ...(call.speed !== undefined ? { speed: call.speed } : {}),
          ...(call.settings.mipOptOut !== undefined ? { mip_opt_out: call.settings.mipOptOut } : {}),
        },
        { abortSignal: call.signal, maxRetries: 0 },
      )
      .withRawResponse();
    return {
      body: data.stream(),
      contentType: rawResponse.headers.get('content-type'),
      requestId: rawResponse.headers.get('dg-request-id') ?? undefined,
    };
  }

  /** Aura voices from Deepgram's model catalogue (`GET /v1/models`, its `tts` list). */
  async listVoices(options: CallOptions = {}): Promise<Voice[]> {
    return this.run(options, async ({ settings, credentials, signal }) => {
      const client = await this.#clientFor(settings, credentials, signal);
      const models = await client.manage.v1.models.list({}, { abortSignal: signal, maxRetries: 0 });
      return (models.tts ?? []).flatMap((model) => {
        const id = model.canonical_name ?? model.name;
        if (!id) return [];
        const tags = model.metadata?.tags ?? [];
        return [
          {
            id,
            name: model.name ?? id,
            language: model.languages?.[0],
            gender: tags.find((tag) => /^(masculine|feminine)$/i.test(tag)),
            previewUrl: model.metadata?.sample,
          },
        ];
      });
    });
  }

  /** `GET /v1/projects`: free and proves the key. */
  protected checkConnection(
    context: VendorCallContext<DeepgramSpeechSynthesizerSettings, Credentials>,
  ): Promise<ConnectionCheck> {
    return this.mapFailures(context, async () => {
      const client = await this.#clientFor(context.settings, context.credentials, context.signal);
      const result = await client.manage.v1.projects.list({ abortSignal: context.signal, maxRetries: 0 });
      return { message: 'Connected to Deepgram', details: { projects: result.projects?.length ?? 0 } };
    });
  }
}

/**
 * A Deepgram Aura speech synthesizer. Never throws for a missing key:
 * credentials resolve per call (settings, then the tenant's store, then DEEPGRAM_API_KEY).
 */
export function createDeepgramSpeechSynthesizer(
  options: DeepgramSpeechSynthesizerOptions = {},
): DeepgramSpeechSynthesizer {
  const { id = 'deepgram', fetch, credentialStore, env, ...settings } = options;
  return new DeepgramSpeechSynthesizer({ id, settings, runtime: { fetch, credentialStore, env } });
}

export const deepgramSpeechSynthesizerFactory = defineProviderFactory({
  kind: 'tts',
  vendor: 'deepgram',
  label: 'Deepgram Aura (speech synthesis)',
  docsUrl: 'https://developers.deepgram.com/docs/text-to-speech',
  create: ({ id, settings, runtime }) => new DeepgramSpeechSynthesizer({ id, settings, runtime }),
});
