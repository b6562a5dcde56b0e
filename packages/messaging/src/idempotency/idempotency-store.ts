import type { ErrorCode } from '@patchbay/core';

/** How a send with an idempotency key ended, as kept for its duplicates. */
export type IdempotentOutcome =
  | { ok: true; value: unknown }
  | {
      ok: false;
      /** Only failures whose outcome is unknown are kept: a definite failure releases the key. */
      error: { code: ErrorCode; message: string; provider?: string | undefined; vendor?: string | undefined };
    };

/** What `claim` found. */
export type IdempotencyClaim =
  /** The caller owns the key now and must `complete` or `release` it. */
  | { status: 'claimed' }
  /** Another caller (maybe in another process) is sending with this key right now. */
  | { status: 'pending' }
  /** A send with this key already ended within the window. */
  | { status: 'completed'; outcome: IdempotentOutcome };

export interface IdempotencyWindow {
  /** How long the key is remembered, from now. */
  ttlMs: number;
}

/**
 * Where idempotency keys live between duplicates. The in-memory store suits one process; several
 * instances need a shared one whose `claim` is atomic (`SET key pending NX PX ttl` in Redis,
 * `INSERT … ON CONFLICT DO NOTHING` in SQL). Keys arrive already scoped by tenant.
 */
export interface IdempotencyStore {
  /** Atomically claims a key that has no live record, else reports the record found. */
  claim(key: string, window: IdempotencyWindow): IdempotencyClaim | Promise<IdempotencyClaim>;
  /** Records the outcome of a claimed key for the rest of the window. */
  complete(key: string, outcome: IdempotentOutcome, window: IdempotencyWindow): void | Promise<void>;
  /** Forgets a claimed key (the send definitely did not happen), so a retry may send. */
  release(key: string): void | Promise<void>;
}
