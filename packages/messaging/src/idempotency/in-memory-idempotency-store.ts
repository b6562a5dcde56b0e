import { countOption } from '@patchbay/core/adapter';
import type { IdempotencyClaim, IdempotencyStore, IdempotencyWindow, IdempotentOutcome } from './idempotency-store.js';

export interface InMemoryIdempotencyStoreOptions {
  /**
   * Keys remembered at most (default 10 000); beyond this the oldest are forgotten first, even when
   * their window has not ended — a duplicate with such a key would be sent again. Raise it to hold
   * every key your traffic creates within the window, or use a shared store (Redis, PostgreSQL).
   */
  maxKeys?: number | undefined;
  /**
   * Told, with an `IdempotencyKeyEvictedError`, each time a key still inside its window is forgotten
   * to stay within `maxKeys`. A throwing `onEvict` is ignored.
   */
  onEvict?: ((error: IdempotencyKeyEvictedError) => void) | undefined;
  /** Clock, for tests. */
  now?: (() => number) | undefined;
}

interface Entry {
  outcome?: IdempotentOutcome | undefined;
  expiresAt: number;
}

/**
 * A key was forgotten before its window ended because the in-memory store was full: until the window
 * would have ended, a send with this key is no longer deduplicated.
 */
export class IdempotencyKeyEvictedError extends Error {
  override readonly name = 'IdempotencyKeyEvictedError';
  /** The key as stored (the messenger's keys are scoped by tenant). */
  readonly key: string;
  /** When the key's window would have ended. */
  readonly expiresAt: Date;
  readonly maxKeys: number;

  constructor(key: string, expiresAt: number, maxKeys: number) {
    super(
      `Idempotency store full (maxKeys ${maxKeys}): a key was forgotten before its window ended; a duplicate ` +
        'with it would be sent again. Raise maxKeys or use a shared store.',
    );
    this.key = key;
    this.expiresAt = new Date(expiresAt);
    this.maxKeys = maxKeys;
  }
}

/**
 * A bounded, process-local IdempotencyStore: at most `maxKeys` keys, the oldest forgotten first (an
 * unexpired one reported to `onEvict`).
 */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  readonly #entries = new Map<string, Entry>();
  readonly #maxKeys: number;
  readonly #now: () => number;
  readonly #onEvict: ((error: IdempotencyKeyEvictedError) => void) | undefined;

  constructor(options: InMemoryIdempotencyStoreOptions = {}) {
    this.#maxKeys = countOption(options.maxKeys, 10_000, 'maxKeys');
    this.#now = options.now ?? Date.now;
    this.#onEvict = options.onEvict;
  }

  /** Keys remembered at most. */
  get maxKeys(): number {
    return this.#maxKeys;
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
      if (entry.expiresAt > now) this.#reportEviction(key, entry.expiresAt);
    }
  }

  #reportEviction(key: string, expiresAt: number): void {
    try {
      this.#onEvict?.(new IdempotencyKeyEvictedError(key, expiresAt, this.#maxKeys));
    } catch {
      // The report is user code: its failure must not fail the send that claimed a key.
    }
  }
}
