/**
 * An async generator as a result's `stream`, with the cleanup its `finally` would run also run when the consumer
 * ends it before its first `next()`. A generator that has not started does not run its body on `return()` (nor on
 * `throw()`): it just completes, so a `finally` that cancels the vendor body, closes the socket or returns an inner
 * iterator whose first part was already read would never run, and a caller that decides not to read after all
 * (a barge-in before the first chunk) would leak the connection.
 *
 * `release` runs at most once, only when the stream is ended before it started; once `next()` was called the
 * generator's own `finally` is in charge. A `next()` is handed to the generator as it is: no promise is added per
 * part.
 */
export function releaseOnEarlyReturn<T, R = unknown, N = unknown>(
  generator: AsyncGenerator<T, R, N>,
  release: () => unknown,
): AsyncGenerator<T, R, N> {
  return new EarlyReturnGuard(generator, release);
}

class EarlyReturnGuard<T, R, N> implements AsyncGenerator<T, R, N> {
  readonly #generator: AsyncGenerator<T, R, N>;
  #release: (() => unknown) | undefined;

  constructor(generator: AsyncGenerator<T, R, N>, release: () => unknown) {
    this.#generator = generator;
    this.#release = release;
  }

  next(...args: [] | [N]): Promise<IteratorResult<T, R>> {
    // Started: the generator's own `finally` releases from here.
    this.#release = undefined;
    return this.#generator.next(...args);
  }

  return(value: R | PromiseLike<R>): Promise<IteratorResult<T, R>> {
    const release = this.#release;
    if (!release) return this.#generator.return(value);
    this.#release = undefined;
    // Completes the unstarted generator at once (a later `next()` is done), then releases what it would have.
    return this.#released(release, this.#generator.return(value));
  }

  throw(error: unknown): Promise<IteratorResult<T, R>> {
    const release = this.#release;
    if (!release) return this.#generator.throw(error);
    this.#release = undefined;
    return this.#released(release, this.#generator.throw(error));
  }

  async #released(release: () => unknown, ended: Promise<IteratorResult<T, R>>): Promise<IteratorResult<T, R>> {
    try {
      await release();
    } catch (error) {
      ended.catch(() => {});
      throw error;
    }
    return ended;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
