import type {
  CallOptions,
  CallWarning,
  ErrorCode,
  LiveTranscriptionEvent,
  LiveTranscriptionRequest,
  LiveTranscriptionSession,
  Transcriber,
  TranscriberCapabilities,
  TranscriptionRequest,
  TranscriptionResult,
  TranscriptionWord,
} from '@patchbay/core';
import { lazySchema, PatchbayError, sleep } from '@patchbay/core/adapter';
import { z } from 'zod';
import { type MockBaseSettings, MockProvider, type MockProviderOptions, mockSettingsShape } from './mock-provider.js';
import type { MockCall, MockFailureStep, MockHangStep, MockScript } from './mock-script.js';

/** What a live session does once open. */
export interface MockLiveScript {
  /** Events delivered in order (default: one final transcript of `text`). */
  events?: LiveTranscriptionEvent[] | undefined;
  /** Wait between events (honours the abort signal). */
  eventDelayMs?: number | undefined;
  /** After the events, the session breaks with this code instead of ending normally. */
  error?: ErrorCode | undefined;
}

/** A successful transcription (or live session). */
export interface TranscriberMockSuccess {
  /** Default `'ok'`. */
  text?: string | undefined;
  /** Default: one word per whitespace-separated token of `text`, half a second each. */
  words?: TranscriptionWord[] | undefined;
  /** Default 1. */
  durationSeconds?: number | undefined;
  language?: string | undefined;
  confidence?: number | undefined;
  delayMs?: number | undefined;
  warnings?: CallWarning[] | undefined;
  live?: MockLiveScript | undefined;
}

export type TranscriberMockStep = TranscriberMockSuccess | MockFailureStep | MockHangStep;

export type TranscriberMockRequest = TranscriptionRequest | LiveTranscriptionRequest;

export interface MockTranscriberOptions extends MockProviderOptions<TranscriberMockStep, TranscriberMockRequest> {
  script?: MockScript<TranscriberMockStep, TranscriberMockRequest> | undefined;
  capabilities?: Partial<TranscriberCapabilities> | undefined;
}

const settingsSchema = lazySchema(() => z.strictObject({ ...mockSettingsShape() }));

function wordsOf(text: string): TranscriptionWord[] {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((word, index) => ({ word, start: index * 0.5, end: index * 0.5 + 0.5, confidence: 1 }));
}

function bytesPerSecond(request: LiveTranscriptionRequest): number {
  const channels = request.channels ?? 1;
  const bytesPerSample = request.encoding === 'mulaw' || request.encoding === 'alaw' ? 1 : 2;
  return request.sampleRate * channels * bytesPerSample;
}

/**
 * A live session whose results are scripted. It records the audio it receives
 * (`received`) and counts seconds from the request's encoding and sample rate.
 */
export class MockLiveTranscriptionSession implements LiveTranscriptionSession {
  readonly provider: string;
  readonly vendor: string;
  readonly model: string;
  /** Audio chunks received, in order. */
  readonly received: Uint8Array[] = [];
  #bytes = 0;
  #state: 'open' | 'finished' | 'closed' = 'open';
  #events: AsyncIterable<LiveTranscriptionEvent> | undefined;
  readonly #ended: Promise<void>;
  #end!: () => void;
  readonly #request: LiveTranscriptionRequest;
  readonly #script: MockLiveScript;
  readonly #signal: AbortSignal | undefined;
  readonly #fail: (error: PatchbayError) => void;
  readonly #makeError: (code: ErrorCode) => PatchbayError;

  constructor(init: {
    provider: string;
    vendor: string;
    model: string;
    request: LiveTranscriptionRequest;
    script: MockLiveScript;
    signal: AbortSignal | undefined;
    makeError: (code: ErrorCode) => PatchbayError;
    onError: (error: PatchbayError) => void;
  }) {
    this.provider = init.provider;
    this.vendor = init.vendor;
    this.model = init.model;
    this.#request = init.request;
    this.#script = init.script;
    this.#signal = init.signal;
    this.#makeError = init.makeError;
    this.#fail = init.onError;
    this.#ended = new Promise<void>((resolve) => {
      this.#end = resolve;
    });
    init.signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  readonly #onAbort = (): void => this.close();

  get state(): 'open' | 'finished' | 'closed' {
    return this.#state;
  }

  get audioSeconds(): number {
    return this.#bytes / bytesPerSecond(this.#request);
  }

  send(chunk: Uint8Array): void {
    if (this.#state !== 'open') {
      throw new PatchbayError({
        code: 'invalid_request',
        message: `Live session of provider "${this.provider}" is ${this.#state}`,
        provider: this.provider,
        vendor: this.vendor,
      });
    }
    this.received.push(chunk);
    this.#bytes += chunk.length;
  }

  async finish(): Promise<void> {
    if (this.#state === 'open') this.#state = 'finished';
    this.#end();
  }

  close(): void {
    this.#state = 'closed';
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#end();
  }

  get events(): AsyncIterable<LiveTranscriptionEvent> {
    this.#events ??= this.#generate();
    return this.#events;
  }

  async *#generate(): AsyncGenerator<LiveTranscriptionEvent> {
    try {
      for (const [index, event] of (this.#script.events ?? []).entries()) {
        if (index > 0 && this.#script.eventDelayMs) await sleep(this.#script.eventDelayMs, this.#signal);
        if (this.#signal?.aborted) throw this.#signal.reason;
        if (this.#state === 'closed') return;
        yield event;
      }
      if (this.#script.error) throw this.#makeError(this.#script.error);
      await this.#ended;
      if (this.#signal?.aborted) throw this.#signal.reason;
    } catch (caught) {
      const error = PatchbayError.isInstance(caught)
        ? caught
        : new PatchbayError({
            code: (caught as { name?: string } | undefined)?.name === 'TimeoutError' ? 'timeout' : 'aborted',
            message: 'Live session aborted',
            provider: this.provider,
            vendor: this.vendor,
            cause: caught,
          });
      this.#fail(error);
      throw error;
    }
  }
}

/** A scriptable transcriber: `transcribe` and `transcribeLive` follow the script and are recorded in `calls`. */
export class MockTranscriber
  extends MockProvider<MockBaseSettings, TranscriberMockStep, TranscriberMockRequest, TranscriberCapabilities>
  implements Transcriber
{
  readonly kind = 'stt' as const;

  constructor(options: MockTranscriberOptions = {}) {
    super({
      id: options.id ?? 'mock-stt',
      vendor: options.vendor ?? 'mock',
      kind: 'stt',
      schema: settingsSchema as unknown as z.ZodType<MockBaseSettings>,
      options,
      defaultStep: {},
      defaultCapabilities: {
        live: true,
        urlInput: true,
        diarization: true,
        liveEncodings: ['pcm_s16le', 'mulaw', 'alaw', 'opus'],
      },
    });
  }

  async transcribe(request: TranscriptionRequest, options?: CallOptions): Promise<TranscriptionResult> {
    return this.run('transcribe', request, options, async ({ step, settings, signal }) => {
      // Read a byte stream to its end, as a real adapter uploading it would.
      const audio = request.audio;
      if (!(audio instanceof Uint8Array) && Symbol.asyncIterator in audio) {
        for await (const _chunk of audio) if (signal?.aborted) throw signal.reason;
      }
      const text = step.text ?? 'ok';
      return {
        text,
        words: step.words ?? wordsOf(text),
        language: step.language ?? (request.language === 'auto' ? undefined : request.language),
        durationSeconds: step.durationSeconds ?? 1,
        confidence: step.confidence,
        provider: this.id,
        vendor: this.vendor,
        model: request.model ?? settings.model,
        warnings: step.warnings ?? [],
      };
    });
  }

  async transcribeLive(
    request: LiveTranscriptionRequest,
    options?: CallOptions,
  ): Promise<MockLiveTranscriptionSession> {
    return this.run('transcribeLive', request, options, ({ call, step, settings, signal }) => {
      if (!this.capabilities.live) {
        throw new PatchbayError({
          code: 'invalid_request',
          message: `Mock provider "${this.id}" does not support live transcription`,
          provider: this.id,
          vendor: this.vendor,
        });
      }
      const text = step.text ?? 'ok';
      const script: MockLiveScript = {
        ...step.live,
        events: step.live?.events ?? [
          { type: 'transcript', isFinal: true, text, words: step.words ?? wordsOf(text), start: 0, duration: 1 },
        ],
      };
      const recordError = (error: PatchbayError) => {
        const entry = call as MockCall<TranscriberMockRequest>;
        entry.outcome = 'error';
        entry.error = error;
        entry.settledAt = Date.now();
      };
      return new MockLiveTranscriptionSession({
        provider: this.id,
        vendor: this.vendor,
        model: request.model ?? settings.model,
        request,
        script,
        signal,
        makeError: (code) =>
          this.failure({ error: code, message: `Mock provider "${this.id}" live session broke (${code})` }),
        onError: recordError,
      });
    });
  }
}
