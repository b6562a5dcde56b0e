/**
 * An async queue with one consumer: producers push, the consumer iterates.
 * Ends cleanly with `end()`, or throws the error given to `fail()` once the
 * items queued before it are drained.
 */
export class EventQueue<T> implements AsyncIterable<T> {
  readonly #items: T[] = [];
  #waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | undefined;
  #ended = false;
  #error: unknown;
  #failed = false;
  #iterating = false;

  push(item: T): void {
    if (this.#ended || this.#failed) return;
    if (this.#waiting) {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      waiting.resolve({ value: item, done: false });
    } else this.#items.push(item);
  }

  end(): void {
    if (this.#ended || this.#failed) return;
    this.#ended = true;
    this.#settle();
  }

  fail(error: unknown): void {
    if (this.#ended || this.#failed) return;
    this.#failed = true;
    this.#error = error;
    this.#settle();
  }

  get closed(): boolean {
    return this.#ended || this.#failed;
  }

  #settle(): void {
    if (!this.#waiting || this.#items.length) return;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (this.#failed) waiting.reject(this.#error);
    else waiting.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.#iterating) throw new Error('Live transcription events can be iterated once');
    this.#iterating = true;
    return {
      next: () => {
        if (this.#items.length) return Promise.resolve({ value: this.#items.shift() as T, done: false });
        if (this.#failed) return Promise.reject(this.#error);
        if (this.#ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.#waiting = { resolve, reject };
        });
      },
      return: () => {
        this.#items.length = 0;
        this.#ended = true;
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
