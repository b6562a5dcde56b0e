import type { IdempotencyClaim, IdempotencyStore, IdempotencyWindow, IdempotentOutcome } from '@patchbay/messaging';
import { InMemoryIdempotencyStore } from '@patchbay/messaging';
import type { RedisConnection } from '../redis-connection.js';

// Claims a free key (`pending`), or answers what the key holds, in one step.
const claimScript = `
if redis.call('SET', KEYS[1], 'pending', 'NX', 'PX', ARGV[1]) then return 'claimed' end
return redis.call('GET', KEYS[1]) or 'claimed'`;

/**
 * Idempotency keys in Redis: a claim is atomic across instances, so a duplicate that reaches
 * another instance waits for (or replays) the first send instead of sending again. While Redis
 * is unreachable the keys live locally (duplicates across instances are then not caught).
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  readonly #connection: RedisConnection;
  readonly #local: InMemoryIdempotencyStore;

  constructor(connection: RedisConnection, options: { maxLocalKeys?: number | undefined } = {}) {
    this.#connection = connection;
    this.#local = new InMemoryIdempotencyStore({ maxKeys: options.maxLocalKeys });
  }

  #key(key: string): string {
    return `${this.#connection.prefix}idempotency:${key}`;
  }

  async claim(key: string, window: IdempotencyWindow): Promise<IdempotencyClaim> {
    if (this.#connection.unavailable) return this.#local.claim(key, window);
    let answer: string;
    try {
      answer = await this.#connection.script<string>(claimScript, [this.#key(key)], [Math.max(1, window.ttlMs)]);
    } catch {
      return this.#local.claim(key, window);
    }
    if (answer === 'claimed') return { status: 'claimed' };
    if (answer === 'pending') return { status: 'pending' };
    try {
      return { status: 'completed', outcome: JSON.parse(answer) as IdempotentOutcome };
    } catch {
      return { status: 'pending' };
    }
  }

  async complete(key: string, outcome: IdempotentOutcome, window: IdempotencyWindow): Promise<void> {
    this.#local.complete(key, outcome, window);
    try {
      await this.#connection.command([
        'SET',
        this.#key(key),
        JSON.stringify(outcome),
        'PX',
        String(Math.max(1, window.ttlMs)),
      ]);
    } catch {
      // The pending claim expires with its window; the local record answers duplicates here.
    }
  }

  async release(key: string): Promise<void> {
    this.#local.release(key);
    try {
      await this.#connection.command(['DEL', this.#key(key)]);
    } catch {
      // Expires with its window.
    }
  }
}
