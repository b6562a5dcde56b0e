import { LruMap } from '../config/lru-map.js';

/** Calls and failures among a provider's most recent health-relevant attempts. */
export interface RecentOutcomeSummary {
  calls: number;
  failures: number;
}

export const defaultRecentOutcomeWindow = 20;
export const defaultRecentOutcomeKeys = 10_000;

/**
 * The last `window` attempt outcomes per provider instance (a ring of bits),
 * for `status()`. Bounded twice: `window` outcomes per key and `maxKeys` keys
 * (oldest first), so memory stays flat however many tenants call.
 */
export class RecentOutcomes {
  readonly #window: number;
  readonly #rings: LruMap<string, { failed: Uint8Array; next: number; count: number }>;

  constructor(options: { window?: number | undefined; maxKeys?: number | undefined } = {}) {
    this.#window = options.window ?? defaultRecentOutcomeWindow;
    this.#rings = new LruMap(options.maxKeys ?? defaultRecentOutcomeKeys);
  }

  get size(): number {
    return this.#rings.size;
  }

  record(key: string, failed: boolean): void {
    // `peek`, not `get`: this runs on every attempt, and keeping creation order is bound enough.
    let ring = this.#rings.peek(key);
    if (!ring) this.#rings.set(key, (ring = { failed: new Uint8Array(this.#window), next: 0, count: 0 }));
    ring.failed[ring.next] = failed ? 1 : 0;
    ring.next = (ring.next + 1) % this.#window;
    if (ring.count < this.#window) ring.count++;
  }

  summary(key: string): RecentOutcomeSummary {
    const ring = this.#rings.peek(key);
    if (!ring) return { calls: 0, failures: 0 };
    let failures = 0;
    for (let index = 0; index < ring.count; index++) failures += ring.failed[index] as number;
    return { calls: ring.count, failures };
  }

  forget(key: string): void {
    this.#rings.delete(key);
  }
}
