import type { IdempotencyClaim, IdempotencyStore, IdempotencyWindow, IdempotentOutcome } from './idempotency-store.js';

export interface InMemoryIdempotencyStoreOptions {
  /** Keys remembered at most; the oldest are forgotten first beyond this (default 10 000). */
  maxKeys?: number | undefined;
  /** Clock, for tests. */
  now?: (() => number) | undefined;
}

interface Entry {
  outcome?: IdempotentOutcome | undefined;
  expiresAt: number;
}

/** A bounded, process-local IdempotencyStore. */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  readonly #entries = new Map<string, Entry>();
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: InMemoryIdempotencyStoreOptions = {}) {
    this.#maxKeys = Math.max(1, options.maxKeys ?? 10_000);
    this.#now = options.now ?? Date.now;
  }

  /** Keys currently remembered (live or not yet swept). */
  get size(): number {
    return this.#entries.size;
  }

  claim(key: string, window: IdempotencyWindow): IdempotencyClaim {
    const now = this.#now();
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.expiresAt > now) {
      return entry.outcome === undefined ? { status: 'pending' } : { status: 'completed', outcome: entry.outcome };
    }
    this.#entries.delete(key);
    this.#entries.set(key, { expiresAt: now + window.ttlMs });
    this.#evict(now);
    return { status: 'claimed' };
  }

  complete(key: string, outcome: IdempotentOutcome, window: IdempotencyWindow): void {
    const now = this.#now();
    this.#entries.delete(key);
    this.#entries.set(key, { outcome, expiresAt: now + window.ttlMs });
    this.#evict(now);
  }

  release(key: string): void {
    this.#entries.delete(key);
  }

  #evict(now: number): void {
    // Insertion order approximates expiry order: sweep expired entries from the front, then cap the size.
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxKeys && entry.expiresAt > now) break;
      this.#entries.delete(key);
    }
  }
}
