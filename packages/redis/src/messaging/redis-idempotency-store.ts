import { countOption } from '@patchbay/core/errors';
import type { IdempotencyClaim, IdempotencyStore, IdempotencyWindow, IdempotentOutcome } from '@patchbay/messaging';
import { InMemoryIdempotencyStore } from '@patchbay/messaging';
import { BoundedMap } from '../bounded-map.js';
import type { RedisConnection } from '../redis-connection.js';

// Claims a free key (`pending`), or answers what the key holds, in one step.
const claimScript = `
if redis.call('SET', KEYS[1], 'pending', 'NX', 'PX', ARGV[1]) then return 'claimed' end
return redis.call('GET', KEYS[1]) or 'claimed'`;

// After an outage: an outcome replaces a missing key or a pending claim, never another outcome.
const completeScript = `
local current = redis.call('GET', KEYS[1])
if current and current ~= 'pending' then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

// After an outage: a release deletes a pending claim only (an outcome written meanwhile stays).
const releaseScript = `
if redis.call('GET', KEYS[1]) == 'pending' then return redis.call('DEL', KEYS[1]) end
return 0`;

/** What Redis has not seen of a key this instance claimed: written back when it answers again. */
interface Unsynced {
  state: 'pending' | 'completed' | 'released';
  outcome?: IdempotentOutcome | undefined;
  expiresAt: number;
}

/**
 * Idempotency keys in Redis: a claim is atomic across instances, so a duplicate that reaches
 * another instance waits for (or replays) the first send instead of sending again. Every claim
 * and outcome of this instance is mirrored locally (bounded by `maxLocalKeys`), so while Redis is
 * unreachable a duplicate reaching this instance still answers `pending` or replays (duplicates
 * across instances are then not caught). What this instance did during an outage is written back
 * when Redis returns: claims still in progress (`SET NX`: a claim or outcome another instance
 * wrote meanwhile wins), outcomes (replacing a missing key or a pending claim) and releases
 * (deleting a pending claim only).
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  readonly #connection: RedisConnection;
  readonly #local: InMemoryIdempotencyStore;
  /** Keys claimed here and not finished yet: whether the claim is held in Redis. */
  readonly #claims: BoundedMap<string, boolean>;
  readonly #unsynced: BoundedMap<string, Unsynced>;

  constructor(connection: RedisConnection, options: { maxLocalKeys?: number | undefined } = {}) {
    this.#connection = connection;
    const maxKeys = countOption(options.maxLocalKeys, 10_000, 'maxLocalKeys');
    this.#local = new InMemoryIdempotencyStore({ maxKeys });
    this.#claims = new BoundedMap(maxKeys);
    this.#unsynced = new BoundedMap(maxKeys);
    connection.onRecovered(() => {
      void this.#sync();
    });
  }

  #key(key: string): string {
    return `${this.#connection.prefix}idempotency:${key}`;
  }

  #claimLocally(key: string, window: IdempotencyWindow): IdempotencyClaim {
    const claim = this.#local.claim(key, window);
    if (claim.status === 'claimed') {
      this.#claims.set(key, false);
      this.#unsynced.set(key, { state: 'pending', expiresAt: Date.now() + window.ttlMs });
    }
    return claim;
  }

  async claim(key: string, window: IdempotencyWindow): Promise<IdempotencyClaim> {
    if (this.#connection.unavailable) return this.#claimLocally(key, window);
    let answer: string;
    try {
      answer = await this.#connection.script<string>(claimScript, [this.#key(key)], [Math.max(1, window.ttlMs)]);
    } catch {
      return this.#claimLocally(key, window);
    }
    if (answer === 'claimed') {
      // Mirrored, so a duplicate reaching this instance during a later outage still finds the send in progress.
      this.#local.release(key);
      this.#local.claim(key, window);
      this.#claims.set(key, true);
      this.#unsynced.delete(key);
      return { status: 'claimed' };
    }
    if (answer === 'pending') return { status: 'pending' };
    try {
      return { status: 'completed', outcome: JSON.parse(answer) as IdempotentOutcome };
    } catch {
      return { status: 'pending' };
    }
  }

  async complete(key: string, outcome: IdempotentOutcome, window: IdempotencyWindow): Promise<void> {
    this.#local.complete(key, outcome, window);
    this.#claims.delete(key);
    const unsynced: Unsynced = { state: 'completed', outcome, expiresAt: Date.now() + window.ttlMs };
    if (this.#connection.unavailable) {
      this.#unsynced.set(key, unsynced);
      return;
    }
    try {
      await this.#connection.command([
        'SET',
        this.#key(key),
        JSON.stringify(outcome),
        'PX',
        String(Math.max(1, window.ttlMs)),
      ]);
      this.#unsynced.delete(key);
    } catch {
      // The local record answers duplicates here; Redis gets the outcome when it returns.
      this.#unsynced.set(key, unsynced);
    }
  }

  async release(key: string): Promise<void> {
    this.#local.release(key);
    const inRedis = this.#claims.get(key);
    this.#claims.delete(key);
    const pending = this.#unsynced.get(key);
    // A claim that never reached Redis has nothing there to delete: what Redis holds under the key is another
    // instance's claim or outcome.
    if (this.#connection.unavailable || inRedis === false) {
      this.#keepRelease(key, inRedis, pending);
      return;
    }
    try {
      await this.#connection.command(['DEL', this.#key(key)]);
      this.#unsynced.delete(key);
    } catch {
      this.#keepRelease(key, inRedis, pending);
    }
  }

  /** A release Redis missed: a claim that never reached Redis is just forgotten; one that did is deleted later. */
  #keepRelease(key: string, inRedis: boolean | undefined, pending: Unsynced | undefined): void {
    if (inRedis === false) this.#unsynced.delete(key);
    else this.#unsynced.set(key, { state: 'released', expiresAt: pending?.expiresAt ?? Number.POSITIVE_INFINITY });
  }

  /** After an outage: what this instance claimed, completed or released meanwhile is written to Redis. */
  async #sync(): Promise<void> {
    for (const [key, entry] of [...this.#unsynced.entries()]) {
      if (this.#unsynced.get(key) !== entry) continue;
      const remainingMs = Math.round(Math.min(entry.expiresAt - Date.now(), 2 ** 31));
      if (remainingMs <= 0 && entry.state !== 'released') {
        this.#unsynced.delete(key);
        continue;
      }
      try {
        if (entry.state === 'pending') {
          // Marked first: a release racing this write then deletes the claim it finds.
          if (this.#claims.has(key)) this.#claims.set(key, true);
          const answer = await this.#connection.command<string | null>([
            'SET',
            this.#key(key),
            'pending',
            'NX',
            'PX',
            String(remainingMs),
          ]);
          // Another instance claimed (or completed) it meanwhile: not this instance's claim to release.
          if (answer !== 'OK' && this.#claims.has(key)) this.#claims.set(key, false);
        } else if (entry.state === 'completed') {
          await this.#connection.script(completeScript, [this.#key(key)], [JSON.stringify(entry.outcome), remainingMs]);
        } else {
          await this.#connection.script(releaseScript, [this.#key(key)], []);
        }
        if (this.#unsynced.get(key) === entry) this.#unsynced.delete(key);
      } catch {
        return;
      }
    }
  }
}
