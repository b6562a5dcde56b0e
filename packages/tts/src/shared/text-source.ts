import { PatchbayError, raceSignal } from '@patchbay/core/adapter';

/**
 * The caller's text iterable as an adapter reads it: each read races the caller's signal (a model that stops
 * answering cannot hold the call open after an abort), a piece that is not a string is `invalid_request` naming
 * `text[i]`, and a failure of the source itself is remembered, so that it reaches the caller as it was thrown
 * (it is the caller's error, not the vendor's) and never counts against the speech vendor.
 */
export class TextSource implements AsyncIterable<string> {
  readonly #source: AsyncIterable<string>;
  readonly #signal: AbortSignal | undefined;
  #read = false;
  /** The error the caller's iterable threw, if it did. */
  failure: { error: unknown } | undefined;
  /** The `invalid_request` for a piece that was not a string, if one came: the caller's error, not the vendor's. */
  rejected: PatchbayError | undefined;
  /** Characters read so far that were not only whitespace. */
  hasText = false;

  constructor(source: AsyncIterable<string>, signal: AbortSignal | undefined) {
    this.#source = source;
    this.#signal = signal;
  }

  [Symbol.asyncIterator](): AsyncIterator<string> {
    if (this.#read) throw new PatchbayError({ code: 'invalid_request', message: 'A text stream can be read once' });
    this.#read = true;
    const iterator = this.#source[Symbol.asyncIterator]();
    const signal = this.#signal;
    let index = 0;
    let done = false;
    const close = async () => {
      if (done) return;
      done = true;
      await iterator.return?.()?.catch?.(() => {});
    };
    return {
      next: async () => {
        if (done) return { done: true, value: undefined };
        let result: IteratorResult<string>;
        try {
          const pending = iterator.next();
          result = await (signal ? raceSignal(pending, signal) : pending);
        } catch (error) {
          if (!signal?.aborted) this.failure = { error };
          else void close();
          done = true;
          throw error;
        }
        if (result.done) {
          done = true;
          return result;
        }
        if (typeof result.value !== 'string') {
          void close();
          this.rejected = new PatchbayError({
            code: 'invalid_request',
            message: `The text stream yielded a ${typeof result.value} at text[${index}]; pieces of text must be strings`,
            details: { field: `text[${index}]`, issues: [{ path: `text[${index}]`, message: 'must be a string' }] },
          });
          throw this.rejected;
        }
        index++;
        if (!this.hasText && result.value.trim() !== '') this.hasText = true;
        return result;
      },
      return: async () => {
        await close();
        return { done: true, value: undefined };
      },
    };
  }
}
