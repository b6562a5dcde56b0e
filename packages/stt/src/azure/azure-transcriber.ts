import type {
  CallWarning,
  TranscriberCapabilities,
  TranscriptionRequest,
  TranscriptionResult,
  TranscriptionWord,
} from '@patchbay/core';
import {
  type ConnectionCheck,
  collectBytes,
  PatchbayError,
  type ProviderRuntime,
  type ResolvedCredentials,
} from '@patchbay/core/adapter';
import { azureSpeechErrorCode, azureSpeechErrorDetail, azureSpeechOrigin } from '@patchbay/core/vendors/azure';
import { fileNameFor, isStreamAudio, isUrlAudio, wavDurationSeconds } from '../shared/audio-input.js';
import { type TranscribeContext, TranscriberAdapter } from '../shared/transcriber-adapter.js';
import { fetchJson, transcriptionHttpError } from '../shared/transcription-http.js';
import type { VendorErrorContext } from '../shared/vendor-call.js';
import {
  type AzureTranscriberSettings,
  azureSpeechCredentials,
  azureTranscriberSettingsSchema,
} from './azure-settings.js';

type Credentials = { apiKey: string; region: string | undefined };

const capabilities: TranscriberCapabilities = Object.freeze({
  // Azure's live recognition speaks the Speech SDK's own websocket protocol; see the README.
  live: false,
  // Fast transcription 2024-11-15 takes uploaded audio only.
  urlInput: false,
  diarization: true,
  liveEncodings: Object.freeze([] as const),
});

interface FastTranscriptionWord {
  text?: string;
  offsetMilliseconds?: number;
  durationMilliseconds?: number;
}

interface FastTranscriptionResponse {
  durationMilliseconds?: number;
  combinedPhrases?: { text?: string }[];
  phrases?: {
    text?: string;
    locale?: string;
    confidence?: number;
    speaker?: number;
    offsetMilliseconds?: number;
    durationMilliseconds?: number;
    words?: FastTranscriptionWord[];
  }[];
}

const seconds = (milliseconds: number | undefined) => Math.round(milliseconds ?? 0) / 1000;

/**
 * Azure AI Speech fast transcription (`POST /speechtotext/transcriptions:transcribe`,
 * multipart `audio` + `definition`), synchronous and faster than real time. No SDK.
 */
export class AzureTranscriber extends TranscriberAdapter<AzureTranscriberSettings, Credentials> {
  readonly capabilities = capabilities;

  constructor(options: { id: string; settings: unknown; runtime?: ProviderRuntime | undefined }) {
    super({
      id: options.id,
      vendor: 'azure',
      schema: azureTranscriberSettingsSchema,
      settings: options.settings,
      credentials: azureSpeechCredentials,
      runtime: options.runtime,
    });
  }

  get #fetch(): typeof globalThis.fetch {
    return this.runtime.fetch ?? globalThis.fetch;
  }

  protected mapError(error: unknown, context: VendorErrorContext): PatchbayError {
    return transcriptionHttpError(error, context, {
      id: 'azure',
      label: 'Azure Speech',
      read: (answer) => {
        const detail = azureSpeechErrorDetail(answer.body);
        return { code: azureSpeechErrorCode(answer), vendorCode: detail.vendorCode, message: detail.message };
      },
    });
  }

  #origin(settings: AzureTranscriberSettings, credentials: Credentials): string {
    return azureSpeechOrigin('stt', { baseURL: settings.baseURL, region: credentials.region });
  }

  protected async doTranscribe(
    request: TranscriptionRequest,
    context: TranscribeContext<AzureTranscriberSettings, Credentials>,
  ): Promise<TranscriptionResult> {
    const { settings, signal, call } = context;
    if (isUrlAudio(request.audio)) {
      throw new PatchbayError({
        code: 'invalid_request',
        message: 'Azure fast transcription takes audio bytes, not a URL',
        provider: this.id,
        vendor: this.vendor,
        details: {
          field: 'audio',
          issues: [{ path: 'audio', message: 'URL audio is not supported by this provider' }],
        },
      });
    }
    const credentials = (await call.credentials()).values;
    const origin = this.#origin(settings, credentials);
    const warnings: CallWarning[] = [];
    if (request.punctuate === false) {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'punctuate',
        message: 'Azure fast transcription always punctuates',
      });
    }
    if (request.keywords?.length) {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'keywords',
        message: `Azure fast transcription ${settings.apiVersion} takes no phrase list; keywords were ignored`,
      });
    }
    const locales = request.language && request.language !== 'auto' ? [request.language] : settings.locales;
    const definition = {
      ...(locales.length ? { locales } : {}),
      profanityFilterMode: settings.profanityFilterMode,
      ...(request.diarize ? { diarization: { enabled: true, maxSpeakers: settings.maxSpeakers } } : {}),
      ...request.providerOptions?.azure,
    };
    // Multipart needs the whole file: a stream is collected once, under the caller's signal.
    const bytes = isStreamAudio(request.audio)
      ? await collectBytes(request.audio, signal)
      : (request.audio as Uint8Array);
    const form = new FormData();
    form.append('audio', new Blob([bytes], { type: request.mimeType ?? 'audio/wav' }), fileNameFor(request.mimeType));
    form.append('definition', JSON.stringify(definition));
    const url = `${origin}/speechtotext/transcriptions:transcribe?api-version=${encodeURIComponent(settings.apiVersion)}`;
    const response = (await fetchJson(this.#fetch, url, {
      method: 'POST',
      headers: { 'Ocp-Apim-Subscription-Key': credentials.apiKey },
      body: form,
      signal,
    })) as FastTranscriptionResponse;
    const phrases = Array.isArray(response.phrases) ? response.phrases : [];
    const words: TranscriptionWord[] = phrases.flatMap((phrase) =>
      (phrase.words ?? []).map((word) => ({
        word: word.text ?? '',
        start: seconds(word.offsetMilliseconds),
        end: seconds((word.offsetMilliseconds ?? 0) + (word.durationMilliseconds ?? 0)),
        confidence: phrase.confidence,
        ...(phrase.speaker !== undefined ? { speaker: phrase.speaker } : {}),
      })),
    );
    const text =
      response.combinedPhrases?.map((phrase) => phrase.text ?? '').join(' ') ??
      phrases.map((phrase) => phrase.text ?? '').join(' ');
    const durationSeconds =
      typeof response.durationMilliseconds === 'number'
        ? seconds(response.durationMilliseconds)
        : (wavDurationSeconds(bytes) ?? words.at(-1)?.end ?? 0);
    const confidences = phrases.map((phrase) => phrase.confidence).filter((value) => typeof value === 'number');
    return {
      text,
      words,
      language: phrases[0]?.locale,
      durationSeconds,
      confidence: confidences.length
        ? confidences.reduce((sum, value) => sum + value, 0) / confidences.length
        : undefined,
      provider: this.id,
      vendor: this.vendor,
      model: 'fast-transcription',
      warnings,
    };
  }

  /**
   * Lists the transcription locales (`GET /speechtotext/transcriptions/locales`): free, proves key and region.
   */
  protected async checkConnection(context: {
    settings: AzureTranscriberSettings;
    credentials: ResolvedCredentials<Credentials>;
    signal: AbortSignal | undefined;
  }): Promise<ConnectionCheck> {
    return this.vendorCall(
      context.signal,
      async () => context.credentials,
      async (call) => {
        const credentials = (await call.credentials()).values;
        const origin = this.#origin(context.settings, credentials);
        const body = await fetchJson(
          this.#fetch,
          `${origin}/speechtotext/transcriptions/locales?api-version=${encodeURIComponent(context.settings.apiVersion)}`,
          { method: 'GET', headers: { 'Ocp-Apim-Subscription-Key': credentials.apiKey }, signal: context.signal },
        );
        return { message: 'Connected to Azure Speech', details: { locales: Object.keys(body as object).length } };
      },
    );
  }
}
