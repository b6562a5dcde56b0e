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
  PatchbayError,
  type ProviderRuntime,
  type ResolvedCredentials,
  sleep,
} from '@patchbay/core/adapter';
import { isStreamAudio, isUrlAudio, normalizeLanguage, primaryLanguage, toByteStream } from '../shared/audio-input.js';
import { type OpenLiveContext, type TranscribeContext, TranscriberAdapter } from '../shared/transcriber-adapter.js';
import { secretsOf, untilAborted, type VendorErrorContext } from '../shared/vendor-call.js';
import { AssemblyAIHttpFailure, AssemblyAITranscriptFailure, assemblyaiError } from './assemblyai-error.js';
import { AssemblyAILiveSession, type AssemblyAISocket } from './assemblyai-live-session.js';
import {
  type AssemblyAITranscriberSettings,
  assemblyaiCredentials,
  assemblyaiTranscriberSettingsSchema,
} from './assemblyai-settings.js';
import { assemblyaiWebSocket } from './assemblyai-websocket.js';

type Credentials = { apiKey: string };

const defaultBaseURL = 'https://api.assemblyai.com';
const defaultStreamingURL = 'wss://streaming.assemblyai.com/v3/ws';

/** Patchbay encodings → Universal Streaming's `encoding`: raw 16-bit PCM and μ-law only. */
const liveEncoding: Partial<Record<AudioEncoding, { name: string; bytesPerSample: number }>> = {
  pcm_s16le: { name: 'pcm_s16le', bytesPerSample: 2 },
  mulaw: { name: 'pcm_mulaw', bytesPerSample: 1 },
};

const capabilities: TranscriberCapabilities = Object.freeze({
  live: true,
  urlInput: true,
  diarization: true,
  liveEncodings: Object.freeze(['pcm_s16le', 'mulaw'] as const),
});

interface AssemblyAITranscript {
  id?: string;
  status?: 'queued' | 'processing' | 'completed' | 'error';
  text?: string | null;
  words?: { text?: string; start?: number; end?: number; confidence?: number; speaker?: string | null }[] | null;
  audio_duration?: number | null;
  confidence?: number | null;
  language_code?: string | null;
  speech_model?: string | null;
  error?: string;
}

/**
 * AssemblyAI over its REST API (undici through `fetch`) and Universal Streaming (v3 websocket through `ws`).
 * Recorded audio: bytes are uploaded (`POST /v2/upload`), a transcript is created (`POST /v2/transcript`) and
 * polled (`GET /v2/transcript/{id}`) every `pollIntervalMs` until it is completed or failed; a URL is handed
 * to AssemblyAI directly. Live: raw 16-bit PCM or μ-law.
 */
export class AssemblyAITranscriber extends TranscriberAdapter<AssemblyAITranscriberSettings, Credentials> {
  readonly capabilities = capabilities;

  constructor(options: { id: string; settings: unknown; runtime?: ProviderRuntime | undefined }) {
    super({
      id: options.id,
      vendor: 'assemblyai',
      schema: assemblyaiTranscriberSettingsSchema,
      settings: options.settings,
      credentials: assemblyaiCredentials,
      runtime: options.runtime,
    });
  }

  protected mapError(error: unknown, context: VendorErrorContext): PatchbayError {
    return assemblyaiError(error, context);
  }

  protected async doTranscribe(
    request: TranscriptionRequest,
    context: TranscribeContext<AssemblyAITranscriberSettings, Credentials>,
  ): Promise<TranscriptionResult> {
    const { settings, signal, call } = context;
    const apiKey = (await call.credentials()).values.apiKey;
    const base = (settings.baseURL ?? defaultBaseURL).replace(/\/+$/, '');
    const model = request.model ?? settings.model;
    const warnings: CallWarning[] = [];
    const audio = request.audio;
    let audioURL: string;
    if (isUrlAudio(audio)) audioURL = audio.url;
    else {
      const body = isStreamAudio(audio) ? toByteStream(audio).stream : audio;
      const uploaded = await this.#request<{ upload_url?: string }>(`${base}/v2/upload`, apiKey, signal, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body,
        // A stream is sent as it is read: the upload never holds the whole file.
        ...(isStreamAudio(audio) ? { duplex: 'half' } : {}),
      });
      if (typeof uploaded.upload_url !== 'string') throw malformed(this.id);
      audioURL = uploaded.upload_url;
    }
    const language = request.language;
    const created = await this.#request<AssemblyAITranscript>(`${base}/v2/transcript`, apiKey, signal, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        audio_url: audioURL,
        speech_model: model,
        ...(language === 'auto' ? { language_detection: true } : {}),
        ...(language && language !== 'auto' ? { language_code: primaryLanguage(language) } : {}),
        ...(request.punctuate !== undefined ? { punctuate: request.punctuate, format_text: request.punctuate } : {}),
        ...(request.diarize !== undefined ? { speaker_labels: request.diarize } : {}),
        ...(request.keywords?.length ? { keyterms_prompt: request.keywords } : {}),
        ...request.providerOptions?.assemblyai,
      }),
    });
    const id = created.id;
    if (typeof id !== 'string' || !id) throw malformed(this.id);
    let transcript = created;
    // Created transcripts are queued or processing; the first poll goes out at once, later ones on the interval.
    for (let poll = 0; transcript.status !== 'completed'; poll++) {
      if (transcript.status === 'error') throw new AssemblyAITranscriptFailure(id, transcript.error ?? 'unknown error');
      if (poll > 0) await sleep(settings.pollIntervalMs, signal);
      transcript = await this.#request<AssemblyAITranscript>(
        `${base}/v2/transcript/${encodeURIComponent(id)}`,
        apiKey,
        signal,
        { method: 'GET' },
      );
      if (transcript.status === undefined) throw malformed(this.id);
    }
    if (typeof transcript.text !== 'string' && transcript.text !== null) throw malformed(this.id);
    const words = (transcript.words ?? []).map((word) => ({
      word: word.text ?? '',
      start: (word.start ?? 0) / 1000,
      end: (word.end ?? 0) / 1000,
      confidence: word.confidence,
      speaker: speakerNumber(word.speaker),
    }));
    let durationSeconds = transcript.audio_duration ?? undefined;
    if (durationSeconds === undefined) {
      durationSeconds = words.at(-1)?.end ?? 0;
      warnings.push({
        type: 'other',
        message: 'AssemblyAI reported no duration; durationSeconds is the last word end',
      });
    }
    return {
      text: transcript.text ?? '',
      words,
      language: normalizeLanguage(transcript.language_code ?? undefined),
      durationSeconds,
      confidence: transcript.confidence ?? undefined,
      provider: this.id,
      vendor: this.vendor,
      model: transcript.speech_model ?? model,
      warnings,
    };
  }

  transcribeLive(request: LiveTranscriptionRequest, options: CallOptions = {}): Promise<LiveTranscriptionSession> {
    return this.openLive(request, options);
  }

  protected override async doOpenLive(
    request: LiveTranscriptionRequest,
    context: OpenLiveContext<AssemblyAITranscriberSettings, Credentials>,
  ): Promise<LiveTranscriptionSession> {
    const { settings, signal, call } = context;
    signal?.throwIfAborted();
    const encoding = liveEncoding[request.encoding];
    if (!encoding || (request.channels ?? 1) !== 1) {
      throw new PatchbayError({
        code: 'invalid_request',
        message: `AssemblyAI live sessions take mono pcm_s16le or mulaw audio, not ${request.encoding}`,
        provider: this.id,
        vendor: this.vendor,
        details: { field: 'encoding' },
      });
    }
    const credentials = await call.credentials();
    const apiKey = credentials.values.apiKey;
    const secrets = secretsOf(credentials);
    const model = request.model ?? settings.streamingModel;
    const url = new URL(settings.streamingURL ?? defaultStreamingURL);
    url.searchParams.set('sample_rate', String(request.sampleRate));
    url.searchParams.set('encoding', encoding.name);
    url.searchParams.set('speech_model', model);
    url.searchParams.set('format_turns', String(settings.formatTurns));
    if (request.keywords?.length) url.searchParams.set('keyterms_prompt', JSON.stringify(request.keywords));
    for (const [name, value] of Object.entries(request.providerOptions?.assemblyai ?? {})) {
      url.searchParams.set(name, typeof value === 'string' ? value : JSON.stringify(value));
    }
    let session: AssemblyAILiveSession | undefined;
    try {
      if (settings.temporaryToken) url.searchParams.set('token', await this.#temporaryToken(url, apiKey, signal));
      const { WebSocket } = await assemblyaiWebSocket.load(signal);
      const socket = new WebSocket(url, {
        headers: settings.temporaryToken ? {} : { authorization: apiKey },
        handshakeTimeout: 10_000,
      }) as unknown as AssemblyAISocket;
      session = new AssemblyAILiveSession({
        socket,
        provider: this.id,
        model,
        bytesPerSecond: request.sampleRate * encoding.bytesPerSample,
        formatTurns: settings.formatTurns,
        signal,
        secrets,
      });
      await untilAborted(session.opened, signal);
      return session;
    } catch (error) {
      session?.close();
      throw assemblyaiError(error, { provider: this.id, signal, secrets });
    }
  }

  protected async checkConnection(context: {
    settings: AssemblyAITranscriberSettings;
    credentials: ResolvedCredentials<Credentials>;
    signal: AbortSignal | undefined;
  }): Promise<ConnectionCheck> {
    return this.vendorCall(
      context.signal,
      async () => context.credentials,
      async (call) => {
        const base = (context.settings.baseURL ?? defaultBaseURL).replace(/\/+$/, '');
        // Listing one transcript: free, and proves the key.
        const listed = await this.#request<{ transcripts?: unknown[] }>(
          `${base}/v2/transcript?limit=1`,
          (await call.credentials()).values.apiKey,
          context.signal,
          { method: 'GET' },
        );
        return { message: 'Connected to AssemblyAI', details: { transcripts: Array.isArray(listed.transcripts) } };
      },
    );
  }

  /** A temporary streaming token (`GET /v3/token` on the streaming host), so the key never travels in the URL. */
  async #temporaryToken(streaming: URL, apiKey: string, signal: AbortSignal | undefined): Promise<string> {
    const origin = `${streaming.protocol === 'ws:' ? 'http:' : 'https:'}//${streaming.host}`;
    const answer = await this.#request<{ token?: string }>(`${origin}/v3/token?expires_in_seconds=60`, apiKey, signal, {
      method: 'GET',
    });
    if (typeof answer.token !== 'string' || !answer.token) throw malformed(this.id);
    return answer.token;
  }

  /** One REST call: the key in `Authorization`, a non-2xx answer as `AssemblyAIHttpFailure`, JSON parsed. */
  async #request<T>(
    url: string,
    apiKey: string,
    signal: AbortSignal | undefined,
    init: RequestInit & { duplex?: 'half' },
  ): Promise<T> {
    const fetch = this.runtime.fetch ?? globalThis.fetch;
    const response = await fetch(url, {
      ...init,
      headers: { ...(init.headers as Record<string, string> | undefined), authorization: apiKey },
      signal,
    });
    const text = await response.text();
    if (!response.ok) {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: the text is the body.
      }
      throw new AssemblyAIHttpFailure(response.status, response.headers, body);
    }
    return JSON.parse(text) as T;
  }
}

function malformed(provider: string): PatchbayError {
  return new PatchbayError({
    code: 'unavailable',
    message: 'AssemblyAI returned a response that is not what its API documents',
    vendorCode: 'malformed_response',
    provider,
    vendor: 'assemblyai',
  });
}

/** AssemblyAI labels speakers `A`, `B`, …: → 0, 1, …. */
function speakerNumber(label: string | null | undefined): number | undefined {
  if (typeof label !== 'string' || label.length !== 1) return undefined;
  const index = label.toUpperCase().charCodeAt(0) - 65;
  return index >= 0 && index < 26 ? index : undefined;
}
