import type {
  AudioEncoding,
  CallOptions,
  CallWarning,
  LiveTranscriptionRequest,
  LiveTranscriptionSession,
  TranscriberCapabilities,
  TranscriptionRequest,
  TranscriptionResult,
} from '@patchbay/core';
import {
  type ConnectionCheck,
  fernTimeoutSeconds,
  PatchbayError,
  type ProviderRuntime,
  type ResolvedCredentials,
} from '@patchbay/core/adapter';
import { isStreamAudio, isUrlAudio, rawBytesPerSecond, toByteStream } from '../shared/audio-input.js';
import { type OpenLiveContext, type TranscribeContext, TranscriberAdapter } from '../shared/transcriber-adapter.js';
import { secretsOf, untilAborted, type VendorErrorContext } from '../shared/vendor-call.js';
import { deepgramError, deepgramLiveOpenError } from './deepgram-error.js';
import { type DeepgramListenSocket, DeepgramLiveSession } from './deepgram-live-session.js';
import { deepgramSdk } from './deepgram-sdk.js';
import {
  type DeepgramTranscriberSettings,
  deepgramCredentials,
  deepgramTranscriberSettingsSchema,
} from './deepgram-settings.js';

type Credentials = { apiKey: string };

/** Patchbay encodings → Deepgram's live `encoding`; containerised formats send none (Deepgram reads the header). */
const liveEncoding: Partial<Record<AudioEncoding, string>> = {
  pcm_s16le: 'linear16',
  mulaw: 'mulaw',
  alaw: 'alaw',
  opus: 'opus',
  flac: 'flac',
};

const capabilities: TranscriberCapabilities = Object.freeze({
  live: true,
  urlInput: true,
  diarization: true,
  liveEncodings: Object.freeze([
    'pcm_s16le',
    'mulaw',
    'alaw',
    'opus',
    'flac',
    'mp3',
    'wav',
    'webm',
    'ogg',
    'aac',
  ] as const),
});

interface DeepgramRecordedResponse {
  metadata?: { duration?: number; request_id?: string };
  results?: {
    channels?: {
      detected_language?: string;
      alternatives?: {
        transcript?: string;
        confidence?: number;
        words?: {
          word?: string;
          punctuated_word?: string;
          start?: number;
          end?: number;
          confidence?: number;
          speaker?: number;
        }[];
      }[];
    }[];
  };
}

/** Deepgram speech-to-text: pre-recorded `POST /v1/listen` and live `wss://…/v1/listen`, through `@deepgram/sdk`. */
export class DeepgramTranscriber extends TranscriberAdapter<DeepgramTranscriberSettings, Credentials> {
  readonly capabilities = capabilities;

  constructor(options: { id: string; settings: unknown; runtime?: ProviderRuntime | undefined }) {
    super({
      id: options.id,
      vendor: 'deepgram',
      schema: deepgramTranscriberSettingsSchema,
      settings: options.settings,
      credentials: deepgramCredentials,
      runtime: options.runtime,
    });
  }

  protected mapError(error: unknown, context: VendorErrorContext): PatchbayError {
    return deepgramError(error, context);
  }

  protected async doTranscribe(
    request: TranscriptionRequest,
    context: TranscribeContext<DeepgramTranscriberSettings, Credentials>,
  ): Promise<TranscriptionResult> {
    const { settings, signal, call } = context;
    const client = await this.#client(settings, await call.credentials(), call.fetch, signal);
    const model = request.model ?? settings.model;
    const query = { ...this.#recordedQuery(request, settings, model), ...request.providerOptions?.deepgram };
    const requestOptions = { abortSignal: signal, maxRetries: 0, timeoutInSeconds: fernTimeoutSeconds };
    const media = client.listen.v1.media;
    const audio = request.audio;
    const pending = isUrlAudio(audio)
      ? media.transcribeUrl({ url: audio.url, ...query } as never, requestOptions)
      : media.transcribeFile(
          {
            data: isStreamAudio(audio) ? toByteStream(audio).stream : audio,
            contentType: request.mimeType ?? 'application/octet-stream',
          } as never,
          query as never,
          requestOptions,
        );
    const response = (await untilAborted(pending, signal)) as DeepgramRecordedResponse;
    return this.#result(response, model, request);
  }

  transcribeLive(request: LiveTranscriptionRequest, options: CallOptions = {}): Promise<LiveTranscriptionSession> {
    return this.openLive(request, options);
  }

  protected override async doOpenLive(
    request: LiveTranscriptionRequest,
    context: OpenLiveContext<DeepgramTranscriberSettings, Credentials>,
  ): Promise<LiveTranscriptionSession> {
    const { settings, signal, call } = context;
    let credentials: ResolvedCredentials<Credentials> | undefined;
    let socket: (DeepgramListenSocket & { connect(): unknown; waitForOpen(): Promise<unknown> }) | undefined;
    const model = request.model ?? settings.model;
    try {
      signal?.throwIfAborted();
      if (!capabilities.liveEncodings.includes(request.encoding)) {
        throw new PatchbayError({
          code: 'invalid_request',
          message: `Deepgram live sessions do not take ${request.encoding} audio`,
          provider: this.id,
          vendor: this.vendor,
        });
      }
      credentials = await call.credentials();
      const client = await this.#client(settings, credentials, call.fetch, signal);
      const encoding = liveEncoding[request.encoding];
      const interim = request.interimResults ?? true;
      const keywords = request.keywords?.length ? request.keywords : undefined;
      const nova3 = model.startsWith('nova-3');
      const connection = await client.listen.v1.connect({
        model,
        ...(encoding ? { encoding, sample_rate: request.sampleRate } : {}),
        ...(request.channels ? { channels: request.channels } : {}),
        ...(request.language && request.language !== 'auto' ? { language: request.language } : {}),
        ...(request.language === 'auto' ? { language: 'multi' } : {}),
        ...(request.punctuate !== undefined ? { punctuate: String(request.punctuate) } : {}),
        ...(request.diarize !== undefined ? { diarize: String(request.diarize) } : {}),
        ...(keywords ? (nova3 ? { keyterm: keywords } : { keywords }) : {}),
        ...(settings.smartFormat ? { smart_format: 'true' } : {}),
        interim_results: String(interim),
        // Utterance-end events are part of the Patchbay live contract (a caller may tune the gap).
        ...(interim ? { utterance_end_ms: 1000 } : {}),
        ...request.providerOptions?.deepgram,
        // Speech-started events are part of the Patchbay live contract: set after the caller's options.
        vad_events: 'true',
        // One connection attempt: reconnecting is the router's decision, and a reconnect would lose audio.
        reconnectAttempts: 0,
      } as never);
      socket = connection as unknown as typeof socket & object;
      const session = new DeepgramLiveSession({
        socket,
        provider: this.id,
        model,
        bytesPerSecond: rawBytesPerSecond(request.encoding, request.sampleRate, request.channels ?? 1),
        signal,
      });
      socket.connect();
      const opened = socket.waitForOpen();
      await untilAborted(opened, signal);
      return session;
    } catch (error) {
      socket?.close();
      throw deepgramLiveOpenError(error, { provider: this.id, signal, secrets: secretsOf(credentials) });
    }
  }

  protected async checkConnection(context: {
    settings: DeepgramTranscriberSettings;
    credentials: ResolvedCredentials<Credentials>;
    signal: AbortSignal | undefined;
  }): Promise<ConnectionCheck> {
    return this.vendorCall(
      context.signal,
      async () => context.credentials,
      async (call) => {
        const client = await this.#client(context.settings, await call.credentials(), call.fetch, context.signal);
        const pending = client.manage.v1.projects.list({
          abortSignal: context.signal,
          maxRetries: 0,
          timeoutInSeconds: fernTimeoutSeconds,
        });
        const response = (await untilAborted(pending, context.signal)) as { projects?: unknown[] };
        if (!Array.isArray(response?.projects)) throw malformed(this.id);
        return { message: 'Connected to Deepgram', details: { projects: response.projects.length } };
      },
    );
  }

  async #client(
    settings: DeepgramTranscriberSettings,
    credentials: ResolvedCredentials<Credentials>,
    fetch: typeof globalThis.fetch,
    signal: AbortSignal | undefined,
  ) {
    const { DeepgramClient } = await deepgramSdk.load(signal);
    const base = (settings.baseURL ?? 'https://api.deepgram.com').replace(/\/+$/, '');
    const live = (settings.liveURL ?? base.replace(/^http/, 'ws')).replace(/\/+$/, '');
    // A client per call from this call's settings snapshot and credentials: key rotation applies to the next call.
    return new DeepgramClient({
      apiKey: credentials.values.apiKey,
      environment: {
        base,
        production: live,
        agent: 'wss://agent.deepgram.com',
        agentRest: 'https://agent.deepgram.com',
      },
      fetch,
      maxRetries: 0,
      timeoutInSeconds: fernTimeoutSeconds,
      reconnect: false,
    });
  }

  #recordedQuery(request: TranscriptionRequest, settings: DeepgramTranscriberSettings, model: string) {
    const keywords = request.keywords?.length ? request.keywords : undefined;
    return {
      model,
      ...(request.language === 'auto'
        ? { detect_language: true }
        : request.language
          ? { language: request.language }
          : {}),
      ...(request.punctuate !== undefined ? { punctuate: request.punctuate } : {}),
      ...(request.diarize !== undefined ? { diarize: request.diarize } : {}),
      ...(keywords ? (model.startsWith('nova-3') ? { keyterm: keywords } : { keywords }) : {}),
      ...(settings.smartFormat ? { smart_format: true } : {}),
    };
  }

  #result(response: DeepgramRecordedResponse, model: string, request: TranscriptionRequest): TranscriptionResult {
    const channel = response?.results?.channels?.[0];
    const alternative = channel?.alternatives?.[0];
    if (!alternative || typeof response.metadata?.duration !== 'number') throw malformed(this.id);
    const warnings: CallWarning[] = [];
    return {
      text: alternative.transcript ?? '',
      words: (alternative.words ?? []).map((word) => ({
        word: word.punctuated_word ?? word.word ?? '',
        start: word.start ?? 0,
        end: word.end ?? 0,
        confidence: word.confidence,
        speaker: word.speaker,
      })),
      language: channel?.detected_language ?? (request.language !== 'auto' ? request.language : undefined),
      durationSeconds: response.metadata.duration,
      confidence: alternative.confidence,
      provider: this.id,
      vendor: this.vendor,
      model,
      warnings,
    };
  }
}

function malformed(provider: string): PatchbayError {
  return new PatchbayError({
    code: 'unavailable',
    message: 'Deepgram returned a response that is not a transcription (malformed body)',
    provider,
    vendor: 'deepgram',
    vendorCode: 'malformed_response',
  });
}
