/**
 * How long full batches wait after a failed write when there is no interval tick to wait for
 * (`flushIntervalMs: 0`); then the queue is written again if a full batch is waiting.
 */
export const backOffWithoutIntervalMs = 1000;

export interface BatchWriterOptions {
  /** Items held at most while waiting to be written; past it new items are dropped and counted (default 50 000). */
  maxQueue?: number | undefined;
  /** Items per INSERT (default 500). */
  batchSize?: number | undefined;
  /** How often queued items are written in the background, in ms (default 1000). */
  flushIntervalMs?: number | undefined;
  /** Told about write failures and overflow; never throws into the caller. */
  onError?: ((error: unknown) => void) | undefined;
  /**
   * Whether a failed write was refused for its content (it would fail again however often it is
   * tried) rather than for the database being away. Such a batch is split to find the items at
   * fault, which are dropped and counted, so one bad item never blocks the queue. Default: the
   * SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation).
   */
  isRejection?: ((error: unknown) => boolean) | undefined;
}

/** PostgreSQL's "this data is wrong" answers: retrying them cannot succeed. */
export function isDataRejection(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23)[0-9A-Z]{3}$/.test(code);
}

export interface BatchWriterStats {
  queued: number;
  written: number;
  /** Items refused because the queue was full. */
  dropped: number;
  /** Failed write attempts (the items stay queued and are tried again). */
  failedWrites: number;
  /** Items the database refused for their content (see `isRejection`), dropped. */
  rejected: number;
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
  readonly #isRejection: (error: unknown) => boolean;
  #rejected = 0;
  /**
   * Set by a failed write (not by a refusal the writer worked around). Cleared by the next
   * successful write or, with no interval, after `backOffWithoutIntervalMs`.
   */
  #backingOff = false;
  #backOffTimer: ReturnType<typeof setTimeout> | undefined;
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
    this.#isRejection = options.isRejection ?? isDataRejection;
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
    // After a failed write, a full batch waits for the next interval tick instead of retrying on
    // every call: a database that is down is not hammered at the call rate.
    if (this.#queue.length >= this.#batchSize && this.#running === undefined && !this.#backingOff) {
      this.flush().catch(() => {});
    }
    return true;
  }

  get stats(): BatchWriterStats {
    return {
      queued: this.#queue.length,
      written: this.#written,
      dropped: this.#dropped,
      failedWrites: this.#failedWrites,
      rejected: this.#rejected,
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
    } catch (error) {
      this.#backOff();
      throw error;
    } finally {
      this.#running = undefined;
    }
  }

  /**
   * After a failed write, full batches stop triggering writes for a while. With an interval, its
   * next tick writes again (and a success ends the back-off); without one, a timer ends it.
   */
  #backOff(): void {
    this.#backingOff = true;
    if (this.#timer !== undefined || this.#backOffTimer !== undefined || this.#closed) return;
    this.#backOffTimer = setTimeout(() => {
      this.#backOffTimer = undefined;
      this.#backingOff = false;
      if (this.#queue.length >= this.#batchSize && this.#running === undefined) this.flush().catch(() => {});
    }, backOffWithoutIntervalMs);
    this.#backOffTimer.unref?.();
  }

  #endBackOff(): void {
    this.#backingOff = false;
    if (this.#backOffTimer !== undefined) clearTimeout(this.#backOffTimer);
    this.#backOffTimer = undefined;
  }

  async #drain(count: number): Promise<void> {
    let remaining = count;
    while (remaining > 0 && this.#queue.length > 0) {
      const batch = this.#queue.slice(0, Math.min(this.#batchSize, remaining));
      try {
        await this.#write(batch);
        this.#written += batch.length;
        this.#queue.splice(0, batch.length);
        this.#endBackOff();
      } catch (error) {
        this.#failedWrites++;
        this.#onError(error);
        if (!this.#isRejection(error)) throw error;
        await this.#writeAround(batch);
      }
      remaining -= batch.length;
    }
  }

  /**
   * Writes a refused batch (the front of the queue) in halves, in order, until the refused items
   * are alone, and drops those. Each part leaves the queue as soon as it is written, so a database
   * that goes away meanwhile makes the next flush resume where this one stopped.
   */
  async #writeAround(batch: readonly T[]): Promise<void> {
    if (batch.length === 1) {
      this.#rejected++;
      this.#queue.splice(0, 1);
      return;
    }
    const middle = Math.ceil(batch.length / 2);
    for (const half of [batch.slice(0, middle), batch.slice(middle)]) {
      try {
        await this.#write(half);
        this.#written += half.length;
        this.#queue.splice(0, half.length);
      } catch (error) {
        if (!this.#isRejection(error)) throw error;
        await this.#writeAround(half);
      }
    }
  }

  /**
   * Stops taking items and writes what is queued, trying failed batches again up to `attempts`
   * times (default 5, 200 ms apart). Rejects, naming how many items are left, when it cannot.
   */
  async close(options: { attempts?: number | undefined; retryDelayMs?: number | undefined } = {}): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#endBackOff();
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
