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
import {
  GoogleAccessTokens,
  type GoogleCloudCredentialValues,
  googleAuthHeaders,
  googleCloudErrorCode,
  googleCloudErrorDetail,
} from '@patchbay/core/vendors/google';
import { isStreamAudio, isUrlAudio, rawBytesPerSecond, wavDurationSeconds } from '../shared/audio-input.js';
import { type TranscribeContext, TranscriberAdapter } from '../shared/transcriber-adapter.js';
import { fetchJson, transcriptionHttpError } from '../shared/transcription-http.js';
import type { VendorErrorContext } from '../shared/vendor-call.js';
import {
  type GoogleTranscriberSettings,
  googleCloudCredentials,
  googleRecognitionEncoding,
  googleTranscriberSettingsSchema,
} from './google-settings.js';

/**
 * The skeleton asks for an `apiKey` field (it scrubs it from errors); Google's
 * may be absent when a service account is used instead, which this adapter checks.
 */
type Credentials = GoogleCloudCredentialValues & { apiKey: string };

const capabilities: TranscriberCapabilities = Object.freeze({
  // StreamingRecognize is gRPC only; see the README.
  live: false,
  // Only Cloud Storage (`gs://`) URIs, not arbitrary URLs: routing does not send URL audio here.
  urlInput: false,
  diarization: true,
  liveEncodings: Object.freeze([] as const),
});

interface RecognizeResponse {
  results?: {
    alternatives?: {
      transcript?: string;
      confidence?: number;
      words?: { word?: string; startTime?: string; endTime?: string; speakerTag?: number }[];
    }[];
    resultEndTime?: string;
    languageCode?: string;
  }[];
  totalBilledTime?: string;
}

/** `"1.500s"` → 1.5. */
function durationOf(value: string | undefined): number | undefined {
  if (typeof value !== 'string' || !value.endsWith('s')) return undefined;
  const seconds = Number(value.slice(0, -1));
  return Number.isFinite(seconds) ? seconds : undefined;
}

/**
 * Google Cloud Speech-to-Text v1 synchronous recognition (`POST /v1/speech:recognize`,
 * audio inline as base64, up to a minute). Credentials: an API key, or a service
 * account whose tokens are minted and cached by core's Google module (shared with TTS).
 */
export class GoogleTranscriber extends TranscriberAdapter<GoogleTranscriberSettings, Credentials> {
  readonly capabilities = capabilities;
  readonly #tokens = new GoogleAccessTokens();

  constructor(options: { id: string; settings: unknown; runtime?: ProviderRuntime | undefined }) {
    super({
      id: options.id,
      vendor: 'google',
      schema: googleTranscriberSettingsSchema,
      settings: options.settings,
      credentials: googleCloudCredentials as never,
      runtime: options.runtime,
    });
  }

  get #fetch(): typeof globalThis.fetch {
    return this.runtime.fetch ?? globalThis.fetch;
  }

  protected mapError(error: unknown, context: VendorErrorContext): PatchbayError {
    return transcriptionHttpError(error, context, {
      id: 'google',
      label: 'Google Cloud Speech-to-Text',
      read: (answer) => {
        const detail = googleCloudErrorDetail(answer.body);
        return { code: googleCloudErrorCode(answer), vendorCode: detail.vendorCode, message: detail.message };
      },
    });
  }

  #auth(
    settings: GoogleTranscriberSettings,
    credentials: ResolvedCredentials<Credentials>,
    signal: AbortSignal | undefined,
  ) {
    return googleAuthHeaders(credentials, {
      tokens: this.#tokens,
      fetch: this.#fetch,
      tokenURL: settings.tokenURL,
      signal,
    });
  }

  protected async doTranscribe(
    request: TranscriptionRequest,
    context: TranscribeContext<GoogleTranscriberSettings, Credentials>,
  ): Promise<TranscriptionResult> {
    const { settings, signal, call } = context;
    let audio: { content: string } | { uri: string };
    let bytes: Uint8Array | undefined;
    if (isUrlAudio(request.audio)) {
      if (!request.audio.url.startsWith('gs://')) {
        throw new PatchbayError({
          code: 'invalid_request',
          message: 'Google Speech-to-Text reads Cloud Storage URIs (gs://…) only',
          provider: this.id,
          vendor: this.vendor,
          details: { field: 'audio', issues: [{ path: 'audio.url', message: 'must be a gs:// URI' }] },
        });
      }
      audio = { uri: request.audio.url };
    } else {
      bytes = isStreamAudio(request.audio) ? await collectBytes(request.audio, signal) : request.audio;
      audio = { content: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
    }
    const headers = await this.#auth(settings, await call.credentials(), signal);
    const model = request.model ?? settings.model;
    const encoding = googleRecognitionEncoding(request.mimeType);
    const languageCode = request.language && request.language !== 'auto' ? request.language : settings.language;
    const warnings: CallWarning[] = [];
    if (request.language === 'auto') {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'language',
        message: `Google recognition needs a language; ${languageCode} was used`,
      });
    }
    const response = (await fetchJson(this.#fetch, `${settings.baseURL.replace(/\/+$/, '')}/v1/speech:recognize`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        config: {
          ...encoding,
          languageCode,
          model,
          enableWordTimeOffsets: true,
          enableAutomaticPunctuation: request.punctuate !== false,
          ...(request.diarize ? { diarizationConfig: { enableSpeakerDiarization: true } } : {}),
          ...(request.keywords?.length ? { speechContexts: [{ phrases: request.keywords }] } : {}),
          ...request.providerOptions?.google,
        },
        audio,
      }),
      signal,
    })) as RecognizeResponse;
    const results = Array.isArray(response.results) ? response.results : [];
    const best = results.map((result) => result.alternatives?.[0]).filter((alternative) => alternative !== undefined);
    const words: TranscriptionWord[] = best.flatMap((alternative) =>
      (alternative.words ?? []).map((word) => ({
        word: word.word ?? '',
        start: durationOf(word.startTime) ?? 0,
        end: durationOf(word.endTime) ?? 0,
        confidence: alternative.confidence,
        ...(word.speakerTag ? { speaker: word.speakerTag } : {}),
      })),
    );
    const rawRate =
      encoding.sampleRateHertz && encoding.encoding !== 'OGG_OPUS' && encoding.encoding !== 'WEBM_OPUS'
        ? rawBytesPerSecond(encoding.encoding === 'MULAW' ? 'mulaw' : 'pcm_s16le', encoding.sampleRateHertz)
        : undefined;
    const durationSeconds =
      (bytes && (wavDurationSeconds(bytes) ?? (rawRate ? bytes.length / rawRate : undefined))) ??
      durationOf(results.at(-1)?.resultEndTime) ??
      durationOf(response.totalBilledTime) ??
      0;
    const confidences = best.map((alternative) => alternative.confidence).filter((value) => typeof value === 'number');
    return {
      text: best
        .map((alternative) => alternative.transcript?.trim() ?? '')
        .filter(Boolean)
        .join(' '),
      words,
      language: results[0]?.languageCode ?? languageCode,
      durationSeconds,
      confidence: confidences.length
        ? confidences.reduce((sum, value) => sum + value, 0) / confidences.length
        : undefined,
      provider: this.id,
      vendor: this.vendor,
      model,
      warnings,
    };
  }

  /**
   * Recognises a tenth of a second of silence: Speech-to-Text has no free read
   * endpoint, and this is its cheapest real call (billed as one increment).
   */
  protected async checkConnection(context: {
    settings: GoogleTranscriberSettings;
    credentials: ResolvedCredentials<Credentials>;
    signal: AbortSignal | undefined;
  }): Promise<ConnectionCheck> {
    return this.vendorCall(
      context.signal,
      async () => context.credentials,
      async (call) => {
        const headers = await this.#auth(context.settings, await call.credentials(), context.signal);
        await fetchJson(this.#fetch, `${context.settings.baseURL.replace(/\/+$/, '')}/v1/speech:recognize`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({
            config: { encoding: 'LINEAR16', sampleRateHertz: 16000, languageCode: context.settings.language },
            audio: { content: Buffer.alloc(3200).toString('base64') },
          }),
          signal: context.signal,
        });
        return { message: 'Connected to Google Cloud Speech-to-Text' };
      },
    );
  }
}
