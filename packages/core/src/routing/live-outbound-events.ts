import type { LiveTranscriptionEvent } from '../spec/transcriber.js';

/** The caller's event stream: one consumer, ends or fails once. */
export class OutboundEvents implements AsyncIterable<LiveTranscriptionEvent> {
  readonly #items: LiveTranscriptionEvent[] = [];
  #waiting:
    | { resolve: (result: IteratorResult<LiveTranscriptionEvent>) => void; reject: (e: unknown) => void }
    | undefined;
  #closed = false;
  #error: unknown;
  #iterating = false;

  push(item: LiveTranscriptionEvent): void {
    if (this.#closed) return;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting) waiting.resolve({ value: item, done: false });
    else this.#items.push(item);
  }

  end(error?: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#error = error;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (!waiting) return;
    if (error === undefined) waiting.resolve({ value: undefined, done: true });
    else waiting.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterator<LiveTranscriptionEvent> {
    if (this.#iterating) throw new Error('Live transcription events can be iterated once');
    this.#iterating = true;
    return {
      next: () => {
        if (this.#items.length)
          return Promise.resolve({ value: this.#items.shift() as LiveTranscriptionEvent, done: false });
        if (this.#closed) {
          return this.#error === undefined
            ? Promise.resolve({ value: undefined, done: true })
            : Promise.reject(this.#error);
        }
        return new Promise((resolve, reject) => {
          this.#waiting = { resolve, reject };
        });
      },
      return: () => {
        this.#items.length = 0;
        this.#closed = true;
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
