import type { PatchbayError, SpeechRequest, SpeechSynthesizerCapabilities } from '@patchbay/core';
import {
  ClientCache,
  type ConnectionCheck,
  defineProviderFactory,
  lazySdk,
  type ProviderRuntime,
  type ResolvedCredentials,
} from '@patchbay/core/adapter';
import type OpenAI from 'openai';
import { formatCapabilities } from '../audio-format.js';
import type { VendorAudioResponse } from '../audio-stream.js';
import {
  type AudioCall,
  SpeechSynthesizerAdapter,
  type VendorCallContext,
} from '../shared/speech-synthesizer-adapter.js';
import { openAISpeechError } from './openai-error.js';
import {
  type OpenAISpeechSynthesizerSettings,
  type OpenAISpeechSynthesizerSettingsInput,
  openAIFormats,
  openAIResponseFormat,
  openaiCredentials,
  openaiSpeechSynthesizerSettingsSchema,
} from './openai-settings.js';

type Credentials = { apiKey: string };

/** The SDK is an optional peer: loaded on first use, never at import; a caller's abort stops the wait at once. */
const sdk = lazySdk('openai', () => import('openai'));

/** The longest timer Node accepts: the caller's AbortSignal, not the SDK, bounds a request. */
const noSdkTimeoutMs = 2_147_483_647;

export interface OpenAISpeechSynthesizerOptions extends OpenAISpeechSynthesizerSettingsInput {
  /** Provider id; defaults to `openai`. */
  id?: string;
  fetch?: typeof globalThis.fetch;
  credentialStore?: ProviderRuntime['credentialStore'];
  env?: ProviderRuntime['env'];
}

export const openAISpeechCapabilities: SpeechSynthesizerCapabilities = {
  streaming: true,
  // OpenAI has a fixed set of built-in voices and no endpoint listing them.
  listVoices: false,
  formats: formatCapabilities(openAIFormats),
};

/** OpenAI text to speech (`POST /v1/audio/speech`) through the `openai` SDK. */
export class OpenAISpeechSynthesizer extends SpeechSynthesizerAdapter<OpenAISpeechSynthesizerSettings, Credentials> {
  readonly capabilities = openAISpeechCapabilities;
  protected readonly formats = openAIFormats;
  readonly #clients = new ClientCache<OpenAI>();

  constructor(options: { id: string; settings: unknown; runtime?: ProviderRuntime }) {
    super({
      id: options.id,
      vendor: 'openai',
      schema: openaiSpeechSynthesizerSettingsSchema,
      settings: options.settings,
      credentials: openaiCredentials,
      runtime: options.runtime,
    });
  }

  /** One client per (base URL, organization, project, key); a rotated key gets a new one, calls in flight keep theirs. */
  async #clientFor(
    settings: OpenAISpeechSynthesizerSettings,
    credentials: ResolvedCredentials<Credentials>,
    signal: AbortSignal | undefined,
  ): Promise<OpenAI> {
    const module = await sdk.load(signal);
    const parts = [settings.baseURL, settings.organization, settings.project, credentials.values.apiKey];
    return this.#clients.get(parts, async () => {
      const { default: OpenAIClient } = module;
      return new OpenAIClient({
        apiKey: credentials.values.apiKey,
        baseURL: settings.baseURL,
        organization: settings.organization ?? null,
        project: settings.project ?? null,
        fetch: this.runtime.fetch,
        maxRetries: 0,
        timeout: noSdkTimeoutMs,
      });
    });
  }

  protected modelFor(request: SpeechRequest, settings: OpenAISpeechSynthesizerSettings): string {
    return request.model ?? settings.model;
  }

  protected mapError(error: unknown): PatchbayError | undefined {
    return openAISpeechError(error);
  }

  protected async doSynthesize(
    call: AudioCall<OpenAISpeechSynthesizerSettings, Credentials>,
  ): Promise<VendorAudioResponse> {
    if (call.language !== undefined) {
      call.warnings.push({
        type: 'unsupported-setting',
        setting: 'language',
        message: 'OpenAI speech takes no language; it follows the language of the text',
      });
    }
    const instructions = (call.vendorOptions.instructions as string | undefined) ?? call.settings.instructions;
    const client = await this.#clientFor(call.settings, call.credentials, call.signal);
    // Speech is always streamed over chunked HTTP; `synthesize` simply reads it to the end.
    const response = await client.audio.speech.create(
      {
        model: call.model,
        voice: call.voice,
        input: call.text,
        response_format: openAIResponseFormat(call.format.encoding),
        ...(call.speed !== undefined ? { speed: call.speed } : {}),
        ...(instructions ? { instructions } : {}),
      },
      { signal: call.signal, maxRetries: 0 },
    );
    return {
      body: response.body,
      contentType: response.headers.get('content-type'),
      requestId: response.headers.get('x-request-id') ?? undefined,
    };
  }

  /** `GET /v1/models`: free and proves the key. */
  protected checkConnection(
    context: VendorCallContext<OpenAISpeechSynthesizerSettings, Credentials>,
  ): Promise<ConnectionCheck> {
    return this.mapFailures(context, async () => {
      const client = await this.#clientFor(context.settings, context.credentials, context.signal);
      const page = await client.models.list({ signal: context.signal, maxRetries: 0 });
      return { message: 'Connected to OpenAI', details: { models: page.data.length } };
    });
  }
}

/**
 * An OpenAI speech synthesizer. Never throws for a missing key: credentials
 * resolve per call (settings, then the tenant's store, then OPENAI_API_KEY).
 */
export function createOpenAISpeechSynthesizer(options: OpenAISpeechSynthesizerOptions = {}): OpenAISpeechSynthesizer {
  const { id = 'openai', fetch, credentialStore, env, ...settings } = options;
  return new OpenAISpeechSynthesizer({ id, settings, runtime: { fetch, credentialStore, env } });
}

export const openaiSpeechSynthesizerFactory = defineProviderFactory({
  kind: 'tts',
  vendor: 'openai',
  label: 'OpenAI (speech synthesis)',
  docsUrl: 'https://platform.openai.com/docs/guides/text-to-speech',
  create: ({ id, settings, runtime }) => new OpenAISpeechSynthesizer({ id, settings, runtime }),
});
