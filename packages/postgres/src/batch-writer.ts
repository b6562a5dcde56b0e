export interface BatchWriterOptions {
  /** Items held at most while waiting to be written; past it new items are dropped and counted (default 50 000). */
  maxQueue?: number | undefined;
  /** Items per INSERT (default 500). */
  batchSize?: number | undefined;
  /** How often queued items are written in the background, in ms (default 1000). */
  flushIntervalMs?: number | undefined;
  /** Told about write failures and overflow; never throws into the caller. */
  onError?: ((error: unknown) => void) | undefined;
}

export interface BatchWriterStats {
  queued: number;
  written: number;
  /** Items refused because the queue was full. */
  dropped: number;
  /** Failed write attempts (the items stay queued and are tried again). */
  failedWrites: number;
}

/**
 * Takes items on the call path in O(1) and writes them in batches off it. `enqueue` never waits
 * and never throws: a full queue drops the item and counts it. A batch that fails stays at the
 * front of the queue and is tried again on the next flush, so an item is lost only by overflow or
 * by a process killed before its flush resolved.
 */
export class BatchWriter<T> {
  readonly #write: (items: readonly T[]) => Promise<void>;
  readonly #maxQueue: number;
  readonly #batchSize: number;
  readonly #onError: (error: unknown) => void;
  #queue: T[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<void> | undefined;
  #closed = false;
  #written = 0;
  #dropped = 0;
  #failedWrites = 0;

  constructor(write: (items: readonly T[]) => Promise<void>, options: BatchWriterOptions = {}) {
    this.#write = write;
    this.#maxQueue = Math.max(1, options.maxQueue ?? 50_000);
    this.#batchSize = Math.max(1, options.batchSize ?? 500);
    const onError = options.onError;
    this.#onError = (error) => {
      try {
        onError?.(error);
      } catch {
        // A listener that throws must not break the writer.
      }
    };
    const interval = options.flushIntervalMs ?? 1000;
    if (interval > 0) {
      this.#timer = setInterval(() => {
        if (this.#queue.length > 0) this.flush().catch(() => {});
      }, interval);
      this.#timer.unref?.();
    }
  }

  /** Queues one item; false when it was dropped (queue full or writer closed). */
  enqueue(item: T): boolean {
    if (this.#closed || this.#queue.length >= this.#maxQueue) {
      this.#dropped++;
      if (this.#dropped === 1 || this.#dropped % 1000 === 0) {
        this.#onError(new Error(`write queue ${this.#closed ? 'closed' : 'full'}: ${this.#dropped} item(s) dropped`));
      }
      return false;
    }
    this.#queue.push(item);
    if (this.#queue.length >= this.#batchSize && this.#running === undefined) this.flush().catch(() => {});
    return true;
  }

  get stats(): BatchWriterStats {
    return {
      queued: this.#queue.length,
      written: this.#written,
      dropped: this.#dropped,
      failedWrites: this.#failedWrites,
    };
  }

  /**
   * Writes everything queued before the call. Resolves once it is committed; rejects when a write
   * failed (the items stay queued for the next attempt).
   */
  async flush(): Promise<void> {
    // One writer at a time keeps batches in order; a flush called meanwhile waits its turn.
    while (this.#running !== undefined) await this.#running.catch(() => {});
    if (this.#queue.length === 0) return;
    const target = this.#queue.length;
    const run = this.#drain(target);
    this.#running = run;
    try {
      await run;
    } finally {
      this.#running = undefined;
    }
  }

  async #drain(count: number): Promise<void> {
    let remaining = count;
    while (remaining > 0 && this.#queue.length > 0) {
      const batch = this.#queue.slice(0, Math.min(this.#batchSize, remaining));
      try {
        await this.#write(batch);
      } catch (error) {
        this.#failedWrites++;
        this.#onError(error);
        throw error;
      }
      this.#queue.splice(0, batch.length);
      this.#written += batch.length;
      remaining -= batch.length;
    }
  }

  /**
   * Stops taking items and writes what is queued, trying failed batches again up to `attempts`
   * times (default 5, 200 ms apart). Rejects, naming how many items are left, when it cannot.
   */
  async close(options: { attempts?: number | undefined; retryDelayMs?: number | undefined } = {}): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    const attempts = options.attempts ?? 5;
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      try {
        await this.flush();
        return;
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 200));
      }
    }
    throw new Error(`${this.#queue.length} queued item(s) could not be written: ${String(lastError)}`, {
      cause: lastError,
    });
  }
}

/** `($1, $2, $3), ($4, $5, $6)…` and the flat parameter list for a multi-row INSERT. */
export function valuesClause(
  rows: readonly (readonly unknown[])[],
  casts?: readonly string[],
): {
  text: string;
  params: unknown[];
} {
  const params: unknown[] = [];
  const tuples: string[] = [];
  for (const row of rows) {
    const placeholders: string[] = [];
    for (let column = 0; column < row.length; column++) {
      params.push(row[column]);
      const cast = casts?.[column];
      placeholders.push(cast ? `$${params.length}::${cast}` : `$${params.length}`);
    }
    tuples.push(`(${placeholders.join(', ')})`);
  }
  return { text: tuples.join(', '), params };
}
