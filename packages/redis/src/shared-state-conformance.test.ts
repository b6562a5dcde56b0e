// The shared-state conformance suites from @patchbay/testing, run against the in-memory stores
// (core and messaging) and the Redis ones on the run's real redis-server. Lease and key expiry in
// Redis runs on the server's clock, so those cases really wait (ttl 100 ms, a few times per run);
// the in-memory stores read a hand-moved clock instead.
import { InMemoryLimitStore, InMemoryStatusReportCache } from '@patchbay/core';
import { InMemoryDualChannelState, InMemoryIdempotencyStore } from '@patchbay/messaging';
import {
  defineDualChannelStateConformance,
  defineIdempotencyStoreConformance,
  defineLimitStoreConformance,
  defineStatusReportCacheConformance,
  runConformance,
} from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { RedisDualChannelState } from './messaging/redis-dual-channel-state.js';
import { RedisIdempotencyStore } from './messaging/redis-idempotency-store.js';
import type { RedisLimitStoreOptions } from './redis-limit-store.js';
import type { RedisSharedState } from './redis-shared-state.js';
import { cluster, testRedisUrl } from './redis-test-support.js';

/** A clock moved by hand, for the in-memory stores that take `now`. */
function manualClock(): { now: () => number; elapse: (ms: number) => Promise<void> } {
  let time = Date.UTC(2026, 0, 1);
  return {
    now: () => time,
    elapse: async (ms) => {
      time += ms;
    },
  };
}

const realWait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One fresh Redis store per case: its own key prefix, its connection closed after the case. */
async function onRedis<S>(
  build: (shared: RedisSharedState) => S,
  limits?: RedisLimitStoreOptions,
): Promise<{ store: S; dispose: () => Promise<void> }> {
  const { members, closeAll } = await cluster(1, limits ? { limits } : {});
  return { store: build(members[0] as RedisSharedState), dispose: closeAll };
}

describe('in memory', () => {
  describe('limit store', () =>
    runConformance(defineLimitStoreConformance({ create: () => ({ store: new InMemoryLimitStore() }) }), { it }));
  describe('status report cache', () => {
    const clock = manualClock();
    runConformance(
      defineStatusReportCacheConformance({
        create: () => ({ store: new InMemoryStatusReportCache({ now: clock.now }) }),
        elapse: clock.elapse,
      }),
      { it },
    );
  });
  describe('dual-channel state', () =>
    runConformance(defineDualChannelStateConformance({ create: () => ({ store: new InMemoryDualChannelState() }) }), {
      it,
    }));
  describe('idempotency store', () => {
    const clock = manualClock();
    runConformance(
      defineIdempotencyStoreConformance({
        create: () => ({ store: new InMemoryIdempotencyStore({ now: clock.now }) }),
        elapse: clock.elapse,
      }),
      { it },
    );
  });
});

// Without a server (PATCHBAY_TEST_SERVERS=off, or no redis-server package) the runs below are
// left out; this line shows that as a skip instead of passing quietly.
it.skipIf(!testRedisUrl)('a real redis-server is available for the runs below', () => {
  expect(testRedisUrl).toMatch(/^redis:\/\/127\.0\.0\.1:\d+/);
});

describe.skipIf(!testRedisUrl)('redis-server', () => {
  describe('limit store', () =>
    runConformance(defineLimitStoreConformance({ create: () => onRedis((shared) => shared.limits) }), { it }));
  describe('limit store with local leases', () =>
    runConformance(
      defineLimitStoreConformance({
        create: () => onRedis((shared) => shared.limits, { localLeases: { blockFraction: 0.1 } }),
      }),
      { it },
    ));
  describe('status report cache', () =>
    runConformance(
      defineStatusReportCacheConformance({
        create: () => onRedis((shared) => shared.statusReports),
        elapse: realWait,
        ttlMs: 100,
      }),
      { it },
    ));
  describe('dual-channel state', () =>
    runConformance(
      defineDualChannelStateConformance({
        create: () => onRedis((shared) => new RedisDualChannelState(shared.connection)),
      }),
      { it },
    ));
  describe('idempotency store', () =>
    runConformance(
      defineIdempotencyStoreConformance({
        create: () => onRedis((shared) => new RedisIdempotencyStore(shared.connection)),
        elapse: realWait,
        ttlMs: 100,
      }),
      { it },
    ));
});
