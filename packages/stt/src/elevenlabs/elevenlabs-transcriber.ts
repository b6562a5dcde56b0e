import type { CallWarning, TranscriberCapabilities, TranscriptionRequest, TranscriptionResult } from '@patchbay/core';
import {
  type ConnectionCheck,
  collectBytes,
  fernTimeoutSeconds,
  PatchbayError,
  type ProviderRuntime,
  type ResolvedCredentials,
} from '@patchbay/core/adapter';
import {
  fileNameFor,
  isStreamAudio,
  isUrlAudio,
  normalizeLanguage,
  primaryLanguage,
  wavDurationSeconds,
} from '../shared/audio-input.js';
import { type TranscribeContext, TranscriberAdapter } from '../shared/transcriber-adapter.js';
import { untilAborted, type VendorErrorContext } from '../shared/vendor-call.js';
import { elevenlabsTranscriptionError } from './elevenlabs-error.js';
import { elevenlabsSdk } from './elevenlabs-sdk.js';
import {
  type ElevenLabsTranscriberSettings,
  elevenlabsCredentials,
  elevenlabsTranscriberSettingsSchema,
} from './elevenlabs-settings.js';

type Credentials = { apiKey: string };

const capabilities: TranscriberCapabilities = Object.freeze({
  live: false,
  urlInput: true,
  diarization: true,
  liveEncodings: Object.freeze([] as const),
});

interface ScribeResponse {
  languageCode?: string;
  text?: string;
  words?: { text?: string; start?: number; end?: number; type?: string; speakerId?: string; logprob?: number }[];
  audioDurationSecs?: number;
}

/**
 * ElevenLabs speech-to-text (Scribe, `POST /v1/speech-to-text`) through
 * `@elevenlabs/elevenlabs-js`. Recorded audio only (`capabilities.live` false).
 */
export class ElevenLabsTranscriber extends TranscriberAdapter<ElevenLabsTranscriberSettings, Credentials> {
  readonly capabilities = capabilities;

  constructor(options: { id: string; settings: unknown; runtime?: ProviderRuntime | undefined }) {
    super({
      id: options.id,
      vendor: 'elevenlabs',
      schema: elevenlabsTranscriberSettingsSchema,
      settings: options.settings,
      credentials: elevenlabsCredentials,
      runtime: options.runtime,
    });
  }

  protected mapError(error: unknown, context: VendorErrorContext): PatchbayError {
    return elevenlabsTranscriptionError(error, context);
  }

  protected async doTranscribe(
    request: TranscriptionRequest,
    context: TranscribeContext<ElevenLabsTranscriberSettings, Credentials>,
  ): Promise<TranscriptionResult> {
    const { settings, signal, call } = context;
    const client = await this.#client(settings, await call.credentials(), call.fetch, signal);
    const model = request.model ?? settings.model;
    const warnings: CallWarning[] = [];
    if (request.punctuate === false) {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'punctuate',
        message: 'ElevenLabs Scribe always punctuates; punctuate: false was ignored',
      });
    }
    const audio = request.audio;
    // The SDK buffers multipart file parts whatever it is given, so a stream is collected here, once.
    const bytes = isUrlAudio(audio) ? undefined : isStreamAudio(audio) ? await collectBytes(audio, signal) : audio;
    const pending = client.speechToText.convert(
      {
        modelId: model,
        ...(bytes
          ? { file: { data: bytes, filename: fileNameFor(request.mimeType), contentType: request.mimeType } }
          : { cloudStorageUrl: (audio as { url: string }).url }),
        ...(request.language && request.language !== 'auto' ? { languageCode: primaryLanguage(request.language) } : {}),
        ...(request.diarize !== undefined ? { diarize: request.diarize } : {}),
        ...(request.keywords?.length ? { keyterms: request.keywords } : {}),
        tagAudioEvents: settings.tagAudioEvents,
        ...request.providerOptions?.elevenlabs,
      } as never,
      { abortSignal: signal, maxRetries: 0, timeoutInSeconds: fernTimeoutSeconds },
    );
    const response = (await untilAborted(pending, signal)) as ScribeResponse;
    if (typeof response?.text !== 'string' || !Array.isArray(response.words)) {
      throw new PatchbayError({
        code: 'unavailable',
        message: 'ElevenLabs returned a response that is not a transcription',
        vendorCode: 'malformed_response',
        provider: this.id,
        vendor: this.vendor,
      });
    }
    const words = response.words
      .filter((word) => word.type === 'word')
      .map((word) => ({
        word: word.text ?? '',
        start: word.start ?? 0,
        end: word.end ?? 0,
        confidence: typeof word.logprob === 'number' ? Math.exp(word.logprob) : undefined,
        speaker: speakerNumber(word.speakerId),
      }));
    let durationSeconds = response.audioDurationSecs ?? (bytes ? wavDurationSeconds(bytes) : undefined);
    if (durationSeconds === undefined) {
      // Older answers carry no duration: the end of the last word is the best measure there is.
      durationSeconds = words.at(-1)?.end ?? 0;
      warnings.push({
        type: 'other',
        message: 'ElevenLabs reported no duration; durationSeconds is the last word end',
      });
    }
    return {
      text: response.text,
      words,
      language: normalizeLanguage(response.languageCode),
      durationSeconds,
      provider: this.id,
      vendor: this.vendor,
      model,
      warnings,
    };
  }

  protected async checkConnection(context: {
    settings: ElevenLabsTranscriberSettings;
    credentials: ResolvedCredentials<Credentials>;
    signal: AbortSignal | undefined;
  }): Promise<ConnectionCheck> {
    return this.vendorCall(
      context.signal,
      async () => context.credentials,
      async (call) => {
        const client = await this.#client(context.settings, await call.credentials(), call.fetch, context.signal);
        // The account read: free, and proves the key.
        const pending = client.user.get({
          abortSignal: context.signal,
          maxRetries: 0,
          timeoutInSeconds: fernTimeoutSeconds,
        });
        const user = (await untilAborted(pending, context.signal)) as { userId?: string };
        return { message: 'Connected to ElevenLabs', details: { user: user?.userId !== undefined } };
      },
    );
  }

  async #client(
    settings: ElevenLabsTranscriberSettings,
    credentials: ResolvedCredentials<Credentials>,
    fetch: typeof globalThis.fetch,
    signal: AbortSignal | undefined,
  ) {
    const { ElevenLabsClient } = await elevenlabsSdk.load(signal);
    // A client per call from this call's settings snapshot: key rotation applies to the next call.
    return new ElevenLabsClient({
      apiKey: credentials.values.apiKey,
      ...(settings.baseURL ? { baseUrl: settings.baseURL } : {}),
      fetch,
      maxRetries: 0,
      timeoutInSeconds: fernTimeoutSeconds,
    });
  }
}

/** `speaker_1` → 1. */
function speakerNumber(id: string | undefined): number | undefined {
  const match = /(\d+)$/.exec(id ?? '');
  return match ? Number(match[1]) : undefined;
}
