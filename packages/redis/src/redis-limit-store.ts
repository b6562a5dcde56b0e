import type { LimitReservation, LimitStore, MaybePromise } from '@patchbay/core';
import { countOption, invalidOption } from '@patchbay/core/errors';
import { BoundedMap } from './bounded-map.js';
import type { RedisConnection } from './redis-connection.js';

// Check and add in one step; with a block asked for (ARGV[4] > 0) and room for it, the block is
// added too and handed to the instance as a local lease. Numbers travel as strings: Lua would
// truncate a fractional reply to an integer.
const reserveScript = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local amount = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local block = tonumber(ARGV[4])
if used + amount > limit then return {0, tostring(used), '0'} end
if block > 0 and used + amount + block <= limit then
  used = tonumber(redis.call('INCRBYFLOAT', KEYS[1], amount + block))
else
  block = 0
  used = tonumber(redis.call('INCRBYFLOAT', KEYS[1], amount))
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {1, tostring(used), tostring(block)}`;

const settleScript = `
if redis.call('EXISTS', KEYS[1]) == 0 and tonumber(ARGV[1]) < 0 then return '0' end
local used = redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return used`;

export interface RedisLimitStoreOptions {
  /**
   * Local leases: a reservation with room to spare also takes a block of `blockFraction × limit`
   * from Redis, and the next reservations of this window are served from it without a round
   * trip (a new block is fetched in the background when half is spent). Off by default.
   * Trade-off: a block counts against the limit as soon as it is taken, so while the counter is
   * far from the limit nothing changes, but near it an instance may be refused although another
   * holds unused room — at most two blocks per instance and key (the rest of one, and the one
   * being fetched: only one block request per key is in flight, concurrent reservations wait for
   * it). Near the limit (no room for a block) every reservation goes to Redis and is exact.
   */
  localLeases?: { blockFraction?: number | undefined } | undefined;
  /** Keys (with their windows) held locally for leases and the outage fallback. Default 10,000. */
  maxKeys?: number | undefined;
}

interface Lease {
  windowStart: number;
  windowMs: number;
  limit: number;
  /** Taken from Redis and not yet used here. */
  available: number;
  /** The Redis total when the last block was taken. */
  used: number;
}

interface LocalWindow {
  windowStart: number;
  used: number;
  /** Usage counted here during an outage, added to Redis when it returns. */
  unsynced: number;
  windowMs: number;
}

/**
 * Fixed-window counters in Redis: `reserve` is one Lua script (check and add atomically), so the
 * limit holds in total across instances. Keys expire with their window. While Redis is
 * unreachable, reservations are counted locally (the limit then holds per instance) and added to
 * Redis when it returns.
 */
export class RedisLimitStore implements LimitStore {
  readonly #connection: RedisConnection;
  readonly #blockFraction: number;
  readonly #leases: BoundedMap<string, Lease>;
  readonly #local: BoundedMap<string, LocalWindow>;
  /** Per key, the one block request in flight (a first block or a refresh); removed when it settles. */
  readonly #fetching = new Map<string, Promise<void>>();

  constructor(connection: RedisConnection, options: RedisLimitStoreOptions = {}) {
    this.#connection = connection;
    this.#blockFraction = options.localLeases ? (options.localLeases.blockFraction ?? 0.05) : 0;
    if (!(typeof this.#blockFraction === 'number' && this.#blockFraction >= 0 && this.#blockFraction < 1)) {
      throw invalidOption('limits.localLeases.blockFraction', 'must be a number from 0, below 1');
    }
    const maxKeys = countOption(options.maxKeys, 10_000, 'limits.maxKeys');
    this.#leases = new BoundedMap(maxKeys);
    this.#local = new BoundedMap(maxKeys);
    connection.onRecovered(() => {
      void this.#syncOutage();
    });
  }

  /** Keys held locally (leases and outage counters), each bounded by `maxKeys`: for monitoring and tests. */
  get localKeyCount(): { leases: number; outage: number } {
    return { leases: this.#leases.size, outage: this.#local.size };
  }

  #redisKey(key: string, windowMs: number, windowStart: number): string {
    return `${this.#connection.prefix}limit:${windowMs}:${windowStart}:${key}`;
  }

  reserve(key: string, amount: number, limit: number, windowMs: number, now: number): MaybePromise<LimitReservation> {
    const windowStart = Math.floor(now / windowMs) * windowMs;
    const resetAt = windowStart + windowMs;
    const leaseKey = `${windowMs}\u0000${key}`;
    const leased = this.#fromLease(key, leaseKey, amount, limit, windowStart, resetAt);
    if (leased) return leased;
    if (this.#connection.unavailable) return this.#reserveLocally(key, amount, limit, windowMs, windowStart);
    const inFlight = this.#blockFraction > 0 ? this.#fetching.get(leaseKey) : undefined;
    if (inFlight !== undefined) {
      // A block for this key is already on its way: wait for it instead of taking another one, so an
      // instance holds at most two blocks per key (the rest of one, and the one being fetched).
      return inFlight.then(() => {
        const fromBlock = this.#fromLease(key, leaseKey, amount, limit, windowStart, resetAt);
        if (fromBlock) return fromBlock;
        if (this.#connection.unavailable) return this.#reserveLocally(key, amount, limit, windowMs, windowStart);
        // Still no room in the lease (near the limit): an exact reservation, without a block.
        return this.#reserveRemote(key, amount, limit, windowMs, windowStart, false).catch(() =>
          this.#reserveLocally(key, amount, limit, windowMs, windowStart),
        );
      });
    }
    const remote = this.#reserveRemote(key, amount, limit, windowMs, windowStart, true);
    return remote.catch(() => this.#reserveLocally(key, amount, limit, windowMs, windowStart));
  }

  /**
   * Serves a reservation from this instance's lease of the window, without a round trip, when it holds
   * enough; the next block is fetched in the background once half is spent (unless one is on its way).
   */
  #fromLease(
    key: string,
    leaseKey: string,
    amount: number,
    limit: number,
    windowStart: number,
    resetAt: number,
  ): LimitReservation | undefined {
    const lease = this.#leases.get(leaseKey);
    if (!lease || lease.windowStart !== windowStart || lease.limit !== limit || lease.available < amount) return;
    lease.available -= amount;
    if (lease.available < (limit * this.#blockFraction) / 2 && !this.#fetching.has(leaseKey)) this.#refresh(key, lease);
    return { granted: true, used: lease.used - lease.available, limit, windowStart, resetAt };
  }

  /** Registers the one block request in flight for a key; later reservations of the key wait for it. */
  #track(leaseKey: string, request: Promise<unknown>): void {
    const settled = request.then(
      () => undefined,
      () => undefined,
    );
    this.#fetching.set(leaseKey, settled);
    void settled.then(() => {
      if (this.#fetching.get(leaseKey) === settled) this.#fetching.delete(leaseKey);
    });
  }

  async #reserveRemote(
    key: string,
    amount: number,
    limit: number,
    windowMs: number,
    windowStart: number,
    withBlock: boolean,
  ): Promise<LimitReservation> {
    const leaseKey = `${windowMs}\u0000${key}`;
    const block =
      withBlock && this.#blockFraction > 0 && !this.#fetching.has(leaseKey) ? limit * this.#blockFraction : 0;
    const leaseOf = () => {
      const lease = this.#leases.get(leaseKey);
      return lease && lease.windowStart === windowStart && lease.limit === limit ? lease : undefined;
    };
    // This instance's unused lease already counts in Redis: spent first, so an instance never
    // refuses itself over room it holds (only another instance's lease can stand in the way).
    const own = leaseOf();
    const fromLease = own ? Math.min(own.available, amount) : 0;
    if (own) own.available -= fromLease;
    let answer: [number, string, string];
    try {
      const request = this.#connection
        .script<[number, string, string]>(
          reserveScript,
          [this.#redisKey(key, windowMs, windowStart)],
          [amount - fromLease, limit, windowMs + 1_000, block],
        )
        .then((reply) => {
          // The block is added before anyone waiting for this request looks at the lease.
          const leased = Number(reply[2]);
          if (leased > 0) {
            const current = leaseOf();
            // Added to the lease in place: a background refresh still pending adds its block to the same object.
            if (current) {
              current.available += leased;
              current.used = Math.max(current.used, Number(reply[1]));
            } else
              this.#leases.set(leaseKey, {
                windowStart,
                windowMs,
                limit,
                available: leased,
                used: Number(reply[1]),
              });
          }
          return reply;
        });
      if (block > 0) this.#track(leaseKey, request);
      answer = await request;
    } catch (error) {
      if (own) own.available += fromLease;
      throw error;
    }
    const [granted, used] = answer;
    const total = Number(used);
    const resetAt = windowStart + windowMs;
    if (Number(granted) !== 1) {
      if (own) own.available += fromLease;
      // Blocks taken by this instance's concurrent reservations may have arrived meanwhile.
      const current = leaseOf();
      if (current && current.available >= amount) {
        current.available -= amount;
        return { granted: true, used: current.used - current.available, limit, windowStart, resetAt };
      }
      return { granted: false, used: total - (current?.available ?? 0), limit, windowStart, resetAt };
    }
    return { granted: true, used: total - (leaseOf()?.available ?? 0), limit, windowStart, resetAt };
  }

  /**
   * Half the block is spent: the next one is taken in the background, off the call path (one at a time:
   * it is tracked in `#fetching`).
   */
  #refresh(key: string, lease: Lease): void {
    const block = lease.limit * this.#blockFraction;
    const request = this.#connection
      .script<[number, string, string]>(
        reserveScript,
        [this.#redisKey(key, lease.windowMs, lease.windowStart)],
        [0, lease.limit, lease.windowMs + 1_000, block],
      )
      .then(
        ([, used, blockGranted]) => {
          lease.available += Number(blockGranted);
          lease.used = Math.max(lease.used, Number(used));
        },
        () => {
          // No new block: the rest of this one is used, then reservations go to Redis (or local state).
        },
      );
    this.#track(`${lease.windowMs}\u0000${key}`, request);
  }

  #reserveLocally(key: string, amount: number, limit: number, windowMs: number, windowStart: number): LimitReservation {
    const localKey = `${windowMs}\u0000${key}`;
    let window = this.#local.get(localKey);
    if (!window || window.windowStart !== windowStart) {
      window = { windowStart, used: 0, unsynced: 0, windowMs };
      this.#local.set(localKey, window);
    }
    const resetAt = windowStart + windowMs;
    if (window.used + amount > limit) return { granted: false, used: window.used, limit, windowStart, resetAt };
    window.used += amount;
    window.unsynced += amount;
    return { granted: true, used: window.used, limit, windowStart, resetAt };
  }

  async settle(key: string, delta: number, windowMs: number, windowStart: number): Promise<void> {
    if (delta === 0) return;
    const window = this.#local.get(`${windowMs}\u0000${key}`);
    if (this.#connection.unavailable && window?.windowStart === windowStart) {
      window.used += delta;
      window.unsynced += delta;
      return;
    }
    try {
      await this.#connection.script(
        settleScript,
        [this.#redisKey(key, windowMs, windowStart)],
        [delta, Math.max(1, windowStart + windowMs - Date.now()) + 1_000],
      );
    } catch {
      // Unreachable: the correction is kept locally and added when Redis returns.
      if (window && window.windowStart === windowStart) {
        window.used += delta;
        window.unsynced += delta;
      }
    }
  }

  async peek(key: string, windowMs: number, now: number): Promise<number> {
    const windowStart = Math.floor(now / windowMs) * windowMs;
    const lease = this.#leases.get(`${windowMs}\u0000${key}`);
    const unused = lease && lease.windowStart === windowStart ? lease.available : 0;
    try {
      const value = await this.#connection.command<string | null>(['GET', this.#redisKey(key, windowMs, windowStart)]);
      return Number(value ?? 0) - unused;
    } catch {
      const window = this.#local.get(`${windowMs}\u0000${key}`);
      return window?.windowStart === windowStart ? window.used : 0;
    }
  }

  /** After an outage: what was counted locally in windows still open is added to the shared counters. */
  async #syncOutage(): Promise<void> {
    const now = Date.now();
    for (const [localKey, window] of [...this.#local.entries()]) {
      if (window.unsynced === 0) continue;
      if (window.windowStart + window.windowMs <= now) {
        this.#local.delete(localKey);
        continue;
      }
      const key = localKey.slice(localKey.indexOf('\u0000') + 1);
      const amount = window.unsynced;
      window.unsynced = 0;
      try {
        await this.#connection.script(
          settleScript,
          [this.#redisKey(key, window.windowMs, window.windowStart)],
          [amount, window.windowStart + window.windowMs - now + 1_000],
        );
        this.#local.delete(localKey);
      } catch {
        window.unsynced += amount;
        return;
      }
    }
  }

  /** Gives the unused part of every lease back, so other instances may use it (call before shutting down). */
  async releaseLeases(): Promise<void> {
    const now = Date.now();
    const pending: Promise<unknown>[] = [];
    for (const [leaseKey, lease] of [...this.#leases.entries()]) {
      this.#leases.delete(leaseKey);
      if (lease.available <= 0 || lease.windowStart + lease.windowMs <= now) continue;
      const key = leaseKey.slice(leaseKey.indexOf('\u0000') + 1);
      pending.push(
        this.#connection
          .script(
            settleScript,
            [this.#redisKey(key, lease.windowMs, lease.windowStart)],
            [-lease.available, lease.windowStart + lease.windowMs - now + 1_000],
          )
          .catch(() => undefined),
      );
    }
    await Promise.all(pending);
  }
}
