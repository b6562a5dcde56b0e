import type { StatusReportCache } from '@patchbay/core';
import type { ConformanceCase } from '../conformance-case.js';
import { assert } from '../lazy-node.js';
import { type StoreConformanceOptions, storeCases } from './store-under-test.js';

export interface StatusReportCacheConformanceOptions extends StoreConformanceOptions<StatusReportCache> {
  /**
   * Lets `ms` pass for the store: advance the fake clock it reads, or really wait for a store
   * whose expiry runs on the real clock (Redis).
   */
  elapse: (ms: number) => Promise<void>;
  /** The lease and report time-to-live the cases use. Default 100 ms (keep it small for real waits). */
  ttlMs?: number | undefined;
}

/**
 * What every `StatusReportCache` must do: one instance holds a scope's poll lease at a time,
 * the lease expires after its ttl unless its holder renews it, and reports round-trip and expire.
 */
export function defineStatusReportCacheConformance(options: StatusReportCacheConformanceOptions): ConformanceCase[] {
  const ttlMs = options.ttlMs ?? 100;
  // Long enough that a holder's lease is certainly still held (a minute), so those checks do not race the clock.
  const longMs = 60_000;
  return storeCases(options, 'status-report-cache', {
    'lease-one-holder': {
      name: 'the poll lease of a scope is held by one instance id at a time; scopes are separate',
      check: async (cache) => {
        assert.equal(await cache.acquirePollLease('platform', 'instance-a', longMs), true);
        assert.equal(await cache.acquirePollLease('platform', 'instance-b', longMs), false);
        assert.equal(await cache.acquirePollLease('platform', 'instance-a', longMs), true);
        assert.equal(await cache.acquirePollLease('platform', 'instance-c', longMs), false);
        assert.equal(await cache.acquirePollLease('tenant:acme', 'instance-b', longMs), true);
      },
    },
    'lease-expires': {
      name: 'a lease nobody renews expires after its ttl and another instance takes it',
      check: async (cache) => {
        assert.equal(await cache.acquirePollLease('platform', 'instance-a', ttlMs), true);
        await options.elapse(ttlMs * 1.5);
        assert.equal(await cache.acquirePollLease('platform', 'instance-b', longMs), true);
        assert.equal(await cache.acquirePollLease('platform', 'instance-a', longMs), false);
      },
    },
    'lease-renewal': {
      name: 'the holder renews its lease for a new ttl',
      check: async (cache) => {
        assert.equal(await cache.acquirePollLease('platform', 'instance-a', ttlMs), true);
        // Renewed for a minute: without the renewal the first lease would have expired below.
        assert.equal(await cache.acquirePollLease('platform', 'instance-a', longMs), true);
        await options.elapse(ttlMs * 1.5);
        assert.equal(await cache.acquirePollLease('platform', 'instance-b', longMs), false);
      },
    },
    'report-round-trip': {
      name: 'returns the report last written for a scope, and nothing for a scope never written',
      check: async (cache) => {
        const report = JSON.stringify({ status: 'degraded', integrations: [{ provider: 'openai' }] });
        assert.equal(await cache.read('platform'), undefined);
        await cache.write('platform', '{"status":"ok"}', longMs);
        await cache.write('platform', report, longMs);
        assert.equal(await cache.read('platform'), report);
        assert.equal(await cache.read('tenant:acme'), undefined);
      },
    },
    'report-expires': {
      name: 'a report is gone once its ttl has passed',
      check: async (cache) => {
        await cache.write('platform', '{"status":"ok"}', ttlMs);
        await options.elapse(ttlMs * 1.5);
        assert.equal(await cache.read('platform'), undefined);
      },
    },
  });
}
