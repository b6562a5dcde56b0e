import type { LiveTranscriptionEvent, LiveTranscriptionSession } from '@patchbay/core';
import { PatchbayError, toPatchbayError } from '@patchbay/core/adapter';
import { EventQueue } from '../shared/event-queue.js';

/** The part of the SDK's `listen.v1` socket a session uses. */
export interface DeepgramListenSocket {
  on(event: 'message', callback: (message: unknown) => void): void;
  on(event: 'close', callback: (event: { code?: number; reason?: string }) => void): void;
  on(event: 'error', callback: (error: Error) => void): void;
  sendMedia(message: ArrayBufferView): void;
  sendCloseStream(message: { type: 'CloseStream' }): void;
  close(): void;
}

interface DeepgramWord {
  word?: string;
  punctuated_word?: string;
  start?: number;
  end?: number;
  confidence?: number;
  speaker?: number;
}

interface DeepgramLiveMessage {
  type?: string;
  is_final?: boolean;
  start?: number;
  duration?: number;
  timestamp?: number;
  last_word_end?: number;
  channel?: { alternatives?: { transcript?: string; confidence?: number; words?: DeepgramWord[] }[] };
}

export interface DeepgramLiveSessionInit {
  socket: DeepgramListenSocket;
  provider: string;
  model: string;
  /** Bytes per second of the declared raw encoding; undefined for compressed audio. */
  bytesPerSecond: number | undefined;
  signal: AbortSignal | undefined;
}

type State = 'open' | 'finishing' | 'done';

/**
 * One Deepgram live session over the SDK's websocket. Results become events in
 * order; `finish()` sends `CloseStream` and resolves when Deepgram has sent its
 * last result and closed normally. Any other close is a `stream_cut`.
 */
export class DeepgramLiveSession implements LiveTranscriptionSession {
  readonly provider: string;
  readonly vendor = 'deepgram';
  readonly model: string;
  readonly #socket: DeepgramListenSocket;
  readonly #queue = new EventQueue<LiveTranscriptionEvent>();
  readonly #bytesPerSecond: number | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #done: Promise<void>;
  #resolveDone!: () => void;
  #rejectDone!: (error: unknown) => void;
  #state: State = 'open';
  #failure: PatchbayError | undefined;
  #bytes = 0;
  /** Seconds Deepgram reported (Metadata, or the end of the last result): the measure for compressed audio. */
  #vendorSeconds = 0;

  constructor(init: DeepgramLiveSessionInit) {
    this.provider = init.provider;
    this.model = init.model;
    this.#socket = init.socket;
    this.#bytesPerSecond = init.bytesPerSecond;
    this.#signal = init.signal;
    this.#done = new Promise<void>((resolve, reject) => {
      this.#resolveDone = resolve;
      this.#rejectDone = reject;
    });
    // finish() may never be called (close(), a cut): its rejection must not go unhandled.
    this.#done.catch(() => {});
    init.socket.on('message', (message) => this.#onMessage(message as DeepgramLiveMessage));
    init.socket.on('close', (event) => this.#onClose(event));
    init.socket.on('error', () => {
      // A close event always follows; the close decides how the session ended.
    });
    this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  get events(): AsyncIterable<LiveTranscriptionEvent> {
    return this.#queue;
  }

  get audioSeconds(): number {
    if (this.#bytesPerSecond) return this.#bytes / this.#bytesPerSecond;
    return this.#vendorSeconds;
  }

  send(chunk: Uint8Array): void {
    if (this.#failure) throw this.#failure;
    if (this.#state !== 'open') {
      throw new PatchbayError({
        code: 'invalid_request',
        message: 'Audio sent after finish() or close()',
        provider: this.provider,
        vendor: this.vendor,
      });
    }
    this.#socket.sendMedia(chunk);
    this.#bytes += chunk.byteLength;
  }

  finish(): Promise<void> {
    if (this.#state === 'open') {
      this.#state = 'finishing';
      try {
        this.#socket.sendCloseStream({ type: 'CloseStream' });
      } catch (error) {
        this.#fail(toPatchbayError(error, { provider: this.provider, vendor: this.vendor }));
      }
    }
    return this.#done;
  }

  close(): void {
    if (this.#state === 'done') return;
    this.#state = 'done';
    this.#cleanup();
    this.#socket.close();
    this.#queue.end();
    this.#resolveDone();
  }

  #onMessage(message: DeepgramLiveMessage): void {
    if (this.#state === 'done') return;
    switch (message.type) {
      case 'Results': {
        const alternative = message.channel?.alternatives?.[0];
        const start = message.start ?? 0;
        const duration = message.duration ?? 0;
        this.#vendorSeconds = Math.max(this.#vendorSeconds, start + duration);
        this.#queue.push({
          type: 'transcript',
          isFinal: message.is_final === true,
          text: alternative?.transcript ?? '',
          words: (alternative?.words ?? []).map((word) => ({
            word: word.punctuated_word ?? word.word ?? '',
            start: word.start ?? 0,
            end: word.end ?? 0,
            confidence: word.confidence,
            speaker: word.speaker,
          })),
          start,
          duration,
          confidence: alternative?.confidence,
        });
        break;
      }
      case 'SpeechStarted':
        this.#queue.push({ type: 'speech-started', timestamp: message.timestamp ?? 0 });
        break;
      case 'UtteranceEnd':
        this.#queue.push({ type: 'utterance-end', lastWordEnd: message.last_word_end ?? 0 });
        break;
      case 'Metadata':
        if (typeof message.duration === 'number') this.#vendorSeconds = Math.max(this.#vendorSeconds, message.duration);
        break;
      default:
        break;
    }
  }

  #onClose(event: { code?: number; reason?: string }): void {
    if (this.#state === 'done') return;
    if (this.#state === 'finishing' && event.code === 1000) {
      this.#state = 'done';
      this.#cleanup();
      this.#queue.end();
      this.#resolveDone();
      return;
    }
    this.#fail(
      new PatchbayError({
        code: 'stream_cut',
        message: `Deepgram live session ended unexpectedly (close code ${event.code ?? 'none'})`,
        provider: this.provider,
        vendor: this.vendor,
        details: { closeCode: event.code, reason: event.reason || undefined },
      }),
    );
  }

  readonly #onAbort = (): void => {
    this.#fail(
      toPatchbayError(this.#signal?.reason, { provider: this.provider, vendor: this.vendor, signal: this.#signal }),
    );
    this.#socket.close();
  };

  #fail(error: PatchbayError): void {
    if (this.#state === 'done') return;
    this.#state = 'done';
    this.#failure = error;
    this.#cleanup();
    this.#queue.fail(error);
    this.#rejectDone(error);
  }

  #cleanup(): void {
    this.#signal?.removeEventListener('abort', this.#onAbort);
  }
}
