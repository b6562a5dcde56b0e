import type { CallOptions, PatchbayError, SpeechSynthesizerCapabilities, Voice } from '@patchbay/core';
import { type ConnectionCheck, defineProviderFactory, type ProviderRuntime, vendorFetch } from '@patchbay/core/adapter';
import { azureSpeechOrigin } from '@patchbay/core/vendors/azure';
import { formatCapabilities } from '../audio-format.js';
import type { VendorAudioResponse } from '../audio-stream.js';
import { audioResponse, jsonOf } from '../shared/speech-http.js';
import {
  type AudioCall,
  SpeechSynthesizerAdapter,
  type VendorCallContext,
} from '../shared/speech-synthesizer-adapter.js';
import { azureSpeechError } from './azure-error.js';
import {
  type AzureSpeechSynthesizerSettings,
  type AzureSpeechSynthesizerSettingsInput,
  azureFormats,
  azureOutputFormats,
  azureSpeechCredentials,
  azureSpeechSynthesizerSettingsSchema,
  azureSsml,
} from './azure-settings.js';

type Credentials = { apiKey: string; region: string | undefined };
type Settings = AzureSpeechSynthesizerSettings;

export interface AzureSpeechSynthesizerOptions extends AzureSpeechSynthesizerSettingsInput {
  /** Provider id; defaults to `azure`. */
  id?: string;
  fetch?: typeof globalThis.fetch;
  credentialStore?: ProviderRuntime['credentialStore'];
  env?: ProviderRuntime['env'];
}

export const azureSpeechCapabilities: SpeechSynthesizerCapabilities = {
  // Azure's REST synthesis answers with a chunked body: `stream()` hands it on as it arrives.
  streaming: true,
  listVoices: true,
  formats: formatCapabilities(azureFormats),
};

/**
 * Azure AI Speech text to speech over REST (`POST /cognitiveservices/v1` with
 * SSML). The caller's text is escaped into the SSML, never interpreted as markup.
 */
export class AzureSpeechSynthesizer extends SpeechSynthesizerAdapter<Settings, Credentials> {
  readonly capabilities = azureSpeechCapabilities;
  protected readonly formats = azureFormats;

  constructor(options: { id: string; settings: unknown; runtime?: ProviderRuntime }) {
    super({
      id: options.id,
      vendor: 'azure',
      schema: azureSpeechSynthesizerSettingsSchema,
      settings: options.settings,
      credentials: azureSpeechCredentials,
      runtime: options.runtime,
    });
  }

  get #fetch(): typeof globalThis.fetch {
    return this.runtime.fetch ?? globalThis.fetch;
  }

  /** The synthesis origin: the configured one, else the region's. */
  #origin(settings: Settings, credentials: Credentials): string {
    return azureSpeechOrigin('tts', { baseURL: settings.baseURL, region: credentials.region });
  }

  protected modelFor(): string {
    // Azure has no model separate from its neural voices.
    return 'neural';
  }

  protected mapError(error: unknown): PatchbayError | undefined {
    return azureSpeechError(error);
  }

  protected async doSynthesize(call: AudioCall<Settings, Credentials>): Promise<VendorAudioResponse> {
    const outputFormat = azureOutputFormats[call.format.encoding]?.[call.format.sampleRate ?? 0] as string;
    // The voice name starts with its locale (`en-US-AvaMultilingualNeural`); a request's language overrides it.
    const language = call.language ?? (/^[a-z]{2,3}-[A-Za-z0-9]{2,4}/.exec(call.voice)?.[0] || 'en-US');
    const response = await vendorFetch(
      this.#fetch,
      `${this.#origin(call.settings, call.credentials.values)}/cognitiveservices/v1`,
      {
        method: 'POST',
        headers: {
          'Ocp-Apim-Subscription-Key': call.credentials.values.apiKey,
          'Content-Type': 'application/ssml+xml',
          'X-Microsoft-OutputFormat': outputFormat,
          'User-Agent': call.settings.userAgent,
        },
        body: azureSsml({ text: call.text, voice: call.voice, language, speed: call.speed }),
        signal: call.signal,
      },
    );
    return audioResponse(response, 'x-requestid');
  }

  async #voices(settings: Settings, credentials: Credentials, signal: AbortSignal | undefined): Promise<unknown> {
    const response = await vendorFetch(
      this.#fetch,
      `${this.#origin(settings, credentials)}/cognitiveservices/voices/list`,
      { method: 'GET', headers: { 'Ocp-Apim-Subscription-Key': credentials.apiKey }, signal },
    );
    return jsonOf(response);
  }

  /** The region's voices (`GET /cognitiveservices/voices/list`). */
  async listVoices(options: CallOptions = {}): Promise<Voice[]> {
    return this.run(options, async ({ settings, credentials, signal }) => {
      const list = await this.#voices(settings, credentials.values, signal);
      if (!Array.isArray(list)) return [];
      return list.flatMap((entry: Record<string, unknown>) =>
        typeof entry?.ShortName === 'string'
          ? [
              {
                id: entry.ShortName,
                name: typeof entry.DisplayName === 'string' ? entry.DisplayName : entry.ShortName,
                language: typeof entry.Locale === 'string' ? entry.Locale : undefined,
                gender: typeof entry.Gender === 'string' ? entry.Gender.toLowerCase() : undefined,
              },
            ]
          : [],
      );
    });
  }

  /** The voices list: free, and proves key and region together. */
  protected checkConnection(context: VendorCallContext<Settings, Credentials>): Promise<ConnectionCheck> {
    return this.mapFailures(context, async () => {
      const list = await this.#voices(context.settings, context.credentials.values, context.signal);
      return {
        message: 'Connected to Azure Speech',
        details: { voices: Array.isArray(list) ? list.length : 0, region: context.credentials.values.region },
      };
    });
  }
}

/**
 * An Azure Speech synthesizer. Never throws for a missing key: credentials
 * resolve per call (settings, then the tenant's store, then AZURE_SPEECH_KEY / AZURE_SPEECH_REGION).
 */
export function createAzureSpeechSynthesizer(options: AzureSpeechSynthesizerOptions = {}): AzureSpeechSynthesizer {
  const { id = 'azure', fetch, credentialStore, env, ...settings } = options;
  return new AzureSpeechSynthesizer({ id, settings, runtime: { fetch, credentialStore, env } });
}

export const azureSpeechSynthesizerFactory = defineProviderFactory({
  kind: 'tts',
  vendor: 'azure',
  label: 'Azure AI Speech (speech synthesis)',
  docsUrl: 'https://learn.microsoft.com/azure/ai-services/speech-service/rest-text-to-speech',
  create: ({ id, settings, runtime }) => new AzureSpeechSynthesizer({ id, settings, runtime }),
});
