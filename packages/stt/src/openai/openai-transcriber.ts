import type { CallWarning, TranscriberCapabilities, TranscriptionRequest, TranscriptionResult } from '@patchbay/core';
import {
  type ConnectionCheck,
  collectBytes,
  PatchbayError,
  type ProviderRuntime,
  type ResolvedCredentials,
} from '@patchbay/core/adapter';
import {
  fileNameFor,
  isStreamAudio,
  isUrlAudio,
  measured,
  normalizeLanguage,
  primaryLanguage,
  wavDurationSeconds,
} from '../shared/audio-input.js';
import { type TranscribeContext, TranscriberAdapter } from '../shared/transcriber-adapter.js';
import { untilAborted, type VendorErrorContext } from '../shared/vendor-call.js';
import { openaiTranscriptionError } from './openai-error.js';
import { openaiSdk } from './openai-sdk.js';
import {
  type OpenAITranscriberSettings,
  openaiCredentials,
  openaiTranscriberSettingsSchema,
} from './openai-settings.js';

type Credentials = { apiKey: string };

/** The SDK's own timeout is the longest a timer allows: deadlines belong to the caller's signal and the route. */
const sdkTimeoutMs = 2_147_483_647;

/** Models that answer `verbose_json` with word timestamps, duration and language. */
const verboseModels = /^whisper/;

const capabilities: TranscriberCapabilities = Object.freeze({
  live: false,
  urlInput: false,
  diarization: false,
  liveEncodings: Object.freeze([] as const),
});

interface VerboseTranscription {
  text?: string;
  language?: string;
  duration?: number;
  words?: { word?: string; start?: number; end?: number }[];
  usage?: { type?: string; seconds?: number };
}

/**
 * OpenAI speech-to-text (`audio.transcriptions.create`) through the `openai` SDK.
 * Recorded audio only: `capabilities.live` is false, so routing never picks it for live sessions.
 */
export class OpenAITranscriber extends TranscriberAdapter<OpenAITranscriberSettings, Credentials> {
  readonly capabilities = capabilities;

  constructor(options: { id: string; settings: unknown; runtime?: ProviderRuntime | undefined }) {
    super({
      id: options.id,
      vendor: 'openai',
      schema: openaiTranscriberSettingsSchema,
      settings: options.settings,
      credentials: openaiCredentials,
      runtime: options.runtime,
    });
  }

  protected mapError(error: unknown, context: VendorErrorContext): PatchbayError {
    return openaiTranscriptionError(error, context);
  }

  protected async doTranscribe(
    request: TranscriptionRequest,
    context: TranscribeContext<OpenAITranscriberSettings, Credentials>,
  ): Promise<TranscriptionResult> {
    const { settings, signal, call } = context;
    const audio = request.audio;
    if (isUrlAudio(audio)) {
      throw new PatchbayError({
        code: 'invalid_request',
        message: 'OpenAI cannot fetch audio from a URL; pass the bytes or a byte stream',
        provider: this.id,
        vendor: this.vendor,
      });
    }
    const credentials = await call.credentials();
    const sdk = await openaiSdk.load(signal);
    const client = this.#client(sdk.default, settings, credentials);
    const model = request.model ?? settings.model;
    const verbose = verboseModels.test(model);
    const warnings: CallWarning[] = [];
    if (request.diarize) {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'diarize',
        message: 'OpenAI transcription does not label speakers; the transcript has no speaker ids',
      });
    }
    if (request.punctuate === false) {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'punctuate',
        message: 'OpenAI always punctuates; punctuate: false was ignored',
      });
    }
    const name = fileNameFor(request.mimeType);
    const type = request.mimeType ?? 'application/octet-stream';
    // A byte stream is uploaded as it is read (multipart streamed by the SDK), never collected first.
    const stream = isStreamAudio(audio) ? measured(audio) : undefined;
    // `toStreamingFile` arrived within openai 7.x; older 7.x releases get the stream collected first.
    const file = stream
      ? typeof sdk.toStreamingFile === 'function'
        ? sdk.toStreamingFile(stream.stream, name, { type })
        : await sdk.toFile(await collectBytes(stream.stream, signal), name, { type })
      : await sdk.toFile(audio as Uint8Array, name, { type });
    const pending = client.audio.transcriptions.create(
      {
        file,
        model,
        response_format: verbose ? 'verbose_json' : 'json',
        ...(verbose ? { timestamp_granularities: ['word', 'segment'] as const } : {}),
        ...(request.language && request.language !== 'auto' ? { language: primaryLanguage(request.language) } : {}),
        // OpenAI has no keyword boosting for these models; the prompt is its documented way to steer spelling.
        ...(request.keywords?.length ? { prompt: request.keywords.join(', ') } : {}),
        ...request.providerOptions?.openai,
      } as never,
      { signal },
    );
    const response = (await untilAborted(pending, signal)) as VerboseTranscription;
    if (typeof response !== 'object' || response === null || typeof response.text !== 'string') {
      throw new PatchbayError({
        code: 'unavailable',
        message: 'OpenAI returned a response that is not a transcription',
        vendorCode: 'malformed_response',
        provider: this.id,
        vendor: this.vendor,
      });
    }
    const bytes = audio instanceof Uint8Array ? audio : undefined;
    let durationSeconds =
      response.duration ??
      (response.usage?.type === 'duration' ? response.usage.seconds : undefined) ??
      (bytes ? wavDurationSeconds(bytes) : stream?.durationSeconds());
    if (durationSeconds === undefined) {
      warnings.push({
        type: 'other',
        message: `OpenAI did not report the audio duration for ${model} and it could not be read from the audio; durationSeconds is 0`,
      });
      durationSeconds = 0;
    }
    return {
      text: response.text,
      words: (response.words ?? []).map((word) => ({
        word: word.word ?? '',
        start: word.start ?? 0,
        end: word.end ?? 0,
      })),
      language: normalizeLanguage(response.language) ?? (request.language !== 'auto' ? request.language : undefined),
      durationSeconds,
      provider: this.id,
      vendor: this.vendor,
      model,
      warnings,
    };
  }

  protected async checkConnection(context: {
    settings: OpenAITranscriberSettings;
    credentials: ResolvedCredentials<Credentials>;
    signal: AbortSignal | undefined;
  }): Promise<ConnectionCheck> {
    return this.vendorCall(
      context.signal,
      async () => context.credentials,
      async (call) => {
        const credentials = await call.credentials();
        const sdk = await openaiSdk.load(context.signal);
        const client = this.#client(sdk.default, context.settings, credentials);
        const page = await client.models.list({ signal: context.signal });
        return { message: 'Connected to OpenAI', details: { models: page.data.length } };
      },
    );
  }

  #client(
    OpenAI: typeof import('openai').default,
    settings: OpenAITranscriberSettings,
    credentials: ResolvedCredentials<Credentials>,
  ) {
    // A client per call from this call's settings snapshot: key rotation applies to the next call.
    return new OpenAI({
      apiKey: credentials.values.apiKey,
      baseURL: settings.baseURL,
      organization: settings.organization ?? null,
      project: settings.project ?? null,
      maxRetries: 0,
      timeout: sdkTimeoutMs,
      ...(this.runtime.fetch ? { fetch: this.runtime.fetch } : {}),
    });
  }
}
