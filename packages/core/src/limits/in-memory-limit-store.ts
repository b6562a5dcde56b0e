import { LruMap } from '../config/lru-map.js';
import { countOption } from '../config/option-checks.js';
import type { LimitReservation, LimitStore } from '../spec/state.js';

/** Default bound on the counters one in-memory store holds (least recently used go first). */
export const defaultLimitStoreMaxKeys = 100_000;

interface Counter {
  windowStart: number;
  used: number;
}

/** Fixed windows aligned to the epoch, as the `LimitStore` contract says. */
export function windowStartOf(now: number, windowMs: number): number {
  return Math.floor(now / windowMs) * windowMs;
}

/**
 * A `LimitStore` for one process. One counter per (key, window length), holding only the current
 * window: a counter whose window has ended counts as 0 and is overwritten on its next use. At most
 * `maxKeys` counters are held (least recently used evicted first), so a flood of tenants cannot grow
 * memory; an evicted counter restarts at 0, which can only let a tenant through early, never refuse
 * one wrongly. Several instances need a shared store (`@patchbay/redis`).
 */
export class InMemoryLimitStore implements LimitStore {
  readonly #counters: LruMap<string, Counter>;

  constructor(options: { maxKeys?: number | undefined } = {}) {
    this.#counters = new LruMap(countOption(options?.maxKeys, defaultLimitStoreMaxKeys, 'maxKeys'));
  }

  /** Counters held now (bounded by `maxKeys`). */
  get size(): number {
    return this.#counters.size;
  }

  reserve(key: string, amount: number, limit: number, windowMs: number, now: number): LimitReservation {
    const windowStart = windowStartOf(now, windowMs);
    const id = `${windowMs}\u0000${key}`;
    let counter = this.#counters.get(id);
    if (!counter || counter.windowStart !== windowStart) {
      counter = { windowStart, used: 0 };
      this.#counters.set(id, counter);
    }
    const resetAt = windowStart + windowMs;
    if (counter.used + amount > limit) return { granted: false, used: counter.used, limit, windowStart, resetAt };
    counter.used += amount;
    return { granted: true, used: counter.used, limit, windowStart, resetAt };
  }

  settle(key: string, delta: number, windowMs: number, windowStart: number): void {
    const counter = this.#counters.peek(`${windowMs}\u0000${key}`);
    // A window that has ended is gone: its correction no longer matters.
    if (!counter || counter.windowStart !== windowStart) return;
    counter.used = Math.max(0, counter.used + delta);
  }

  peek(key: string, windowMs: number, now: number): number {
    const counter = this.#counters.peek(`${windowMs}\u0000${key}`);
    return counter && counter.windowStart === windowStartOf(now, windowMs) ? counter.used : 0;
  }
}
