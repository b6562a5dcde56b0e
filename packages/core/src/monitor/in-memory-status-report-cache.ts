import { LruMap } from '../config/lru-map.js';
import { countOption } from '../config/option-checks.js';
import type { StatusReportCache } from '../spec/state.js';

export interface InMemoryStatusReportCacheOptions {
  /** Scopes held (leases and reports each; least recently used dropped first). Default 10,000. */
  maxScopes?: number | undefined;
  /** Clock in epoch milliseconds, for tests. Default `Date.now`. */
  now?: (() => number) | undefined;
}

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

/**
 * A `StatusReportCache` for one process: the lease and reports behave as the shared one in
 * `@patchbay/redis` does (one holder per scope until its lease expires, the holder may renew,
 * reports expire), which makes it the reference for the conformance suite and lets several
 * monitors in one process share one poller. Bounded by `maxScopes`.
 */
export class InMemoryStatusReportCache implements StatusReportCache {
  readonly #leases: LruMap<string, Expiring<string>>;
  readonly #reports: LruMap<string, Expiring<string>>;
  readonly #now: () => number;

  constructor(options: InMemoryStatusReportCacheOptions = {}) {
    const maxScopes = countOption(options.maxScopes, 10_000, 'maxScopes');
    this.#leases = new LruMap(maxScopes);
    this.#reports = new LruMap(maxScopes);
    this.#now = options.now ?? Date.now;
  }

  acquirePollLease(scope: string, instanceId: string, ttlMs: number): boolean {
    const now = this.#now();
    const lease = this.#leases.get(scope);
    if (lease && lease.expiresAt > now && lease.value !== instanceId) return false;
    this.#leases.set(scope, { value: instanceId, expiresAt: now + Math.max(1, ttlMs) });
    return true;
  }

  write(scope: string, report: string, ttlMs: number): void {
    this.#reports.set(scope, { value: report, expiresAt: this.#now() + Math.max(1, ttlMs) });
  }

  read(scope: string): string | undefined {
    const report = this.#reports.get(scope);
    if (!report) return undefined;
    if (report.expiresAt > this.#now()) return report.value;
    this.#reports.delete(scope);
    return undefined;
  }
}
