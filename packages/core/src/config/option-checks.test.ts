// Options passed to constructors outside the configuration: a bad one is an `invalid_request` PatchbayError naming
// the option, at construction (never a RangeError or TypeError from inside, never a timer Node overflows to 1 ms).
import { createFakeClock, type FakeClock, mockFactories } from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryAuditLog } from '../audit/in-memory-audit-log.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import { createCredentialAdminHandler } from '../http/admin-credentials-handler.js';
import { createStatusHandler } from '../http/status-handler.js';
import { toNodeListener } from '../http/status-node-listener.js';
import { createValidateCredentialsHandler } from '../http/validate-credentials-handler.js';
import { InMemoryLimitStore } from '../limits/in-memory-limit-store.js';
import { InMemoryUsageAggregator } from '../metering/in-memory-usage-aggregator.js';
import { InMemoryStatusHistoryStore } from '../monitor/in-memory-status-history.js';
import { InMemoryStatusReportCache } from '../monitor/in-memory-status-report-cache.js';
import { createStatusMonitor } from '../monitor/status-monitor.js';
import { createPatchbay, type Patchbay, type PatchbayOptions } from '../patchbay.js';

const config = {
  providers: { a: { kind: 'llm' as const, vendor: 'mock', settings: { script: { text: 'ok' } } } },
};
const tooLong = 2_147_483_648;
let open: Patchbay[] = [];
let clock: FakeClock | undefined;

afterEach(() => {
  for (const instance of open) void instance.close();
  open = [];
  clock?.uninstall();
  clock = undefined;
});

function patchbay(extra: Partial<PatchbayOptions> = {}): Patchbay {
  const instance = createPatchbay({ config, factories: mockFactories, env: false, ...extra });
  open.push(instance);
  return instance;
}

/** The error `make` throws: must be an `invalid_request` PatchbayError naming `field`. */
function refusalOf(make: () => unknown, field: string): PatchbayError {
  let caught: unknown;
  try {
    make();
  } catch (error) {
    caught = error;
  }
  expect(PatchbayError.isInstance(caught), `${field}: expected a PatchbayError, got ${String(caught)}`).toBe(true);
  const error = caught as PatchbayError;
  expect(error.code).toBe('invalid_request');
  expect(error.message.startsWith(`${field}: `)).toBe(true);
  expect(error.details).toMatchObject({ field, issues: [{ path: field }] });
  return error;
}

describe('createPatchbay options', () => {
  it('refuses a duration past 2,147,483,647 ms, negative or not a finite number, naming the option', () => {
    for (const bad of [tooLong, -1, Number.NaN, Number.POSITIVE_INFINITY, '100' as never]) {
      refusalOf(() => patchbay({ limitStoreTimeoutMs: bad }), 'limitStoreTimeoutMs');
      refusalOf(() => patchbay({ usageQueue: { closeTimeoutMs: bad } }), 'usageQueue.closeTimeoutMs');
    }
    // The bound itself and 0 (do not wait) are accepted.
    patchbay({ limitStoreTimeoutMs: 2_147_483_647, usageQueue: { closeTimeoutMs: 0 } });
    patchbay({ limitStoreTimeoutMs: 0, usageQueue: { closeTimeoutMs: 2_147_483_647 } });
  });

  it('refuses bad bounds with a PatchbayError naming the option, not a RangeError', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      refusalOf(() => patchbay({ tenantLimits: { maxViews: bad } }), 'tenantLimits.maxViews');
      refusalOf(() => patchbay({ tenantLimits: { maxScopes: bad } }), 'tenantLimits.maxScopes');
      refusalOf(() => patchbay({ audit: { sinks: [], maxPendingPerSink: bad } }), 'audit.maxPendingPerSink');
    }
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      refusalOf(() => patchbay({ usageQueue: { capacity: bad } }), 'usageQueue.capacity');
    }
    // 0 holds no record while a sink is busy: allowed.
    patchbay({ usageQueue: { capacity: 0 }, tenantLimits: { maxViews: 1, maxScopes: 1 } });
  });

  it('refuses a flush time limit out of range', async () => {
    const pb = patchbay();
    for (const bad of [tooLong, -1, Number.NaN]) {
      const error = await pb.flush({ timeoutMs: bad }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ code: 'invalid_request', details: { field: 'timeoutMs' } });
    }
    await expect(pb.flush({ timeoutMs: 0 })).resolves.toEqual({ drained: true, pending: 0 });
  });
});

describe('createStatusMonitor options', () => {
  it('refuses an interval Node would overflow instead of polling every millisecond (fake clock)', async () => {
    clock = createFakeClock();
    const pb = patchbay();
    refusalOf(() => createStatusMonitor(pb, { intervalMs: 3e9 }), 'intervalMs');
    expect(clock.pendingTimers()).toBe(0);
    for (const bad of [tooLong, 0, -1, Number.NaN]) {
      refusalOf(() => createStatusMonitor(pb, { intervalMs: bad, autoStart: false }), 'intervalMs');
      refusalOf(() => createStatusMonitor(pb, { timeoutMs: bad, autoStart: false }), 'timeoutMs');
      refusalOf(() => createStatusMonitor(pb, { usage: { bucketMs: bad }, autoStart: false }), 'usage.bucketMs');
      refusalOf(() => createStatusMonitor(pb, { usage: { spanMs: bad }, autoStart: false }), 'usage.spanMs');
    }
    refusalOf(() => createStatusMonitor(pb, { usage: { maxKeys: 0 }, autoStart: false }), 'usage.maxKeys');
    // Each usage key preallocates spanMs / bucketMs buckets: at most 10,080 (a week of minutes). 2^31 − 1 ms of
    // 1-second buckets would be 2.1 million buckets per key, times 1,000 keys.
    const week = 7 * 24 * 3_600_000;
    for (const usage of [
      { bucketMs: 60_000, spanMs: week + 1 },
      { bucketMs: 1_000, spanMs: 2_147_483_647 },
      { bucketMs: 1, spanMs: 10_081_000 },
      { bucketMs: 60_000, spanMs: 2_147_483_647 },
    ]) {
      const error = refusalOf(() => createStatusMonitor(pb, { usage, autoStart: false }), 'usage.spanMs');
      expect(error.message).toContain('at most 10080 buckets');
    }
    createStatusMonitor(pb, { usage: { bucketMs: 60_000, spanMs: week }, autoStart: false });
    createStatusMonitor(pb, { usage: { bucketMs: 1, spanMs: 10_080_000 }, autoStart: false });
    createStatusMonitor(pb, { usage: { spanMs: 2_147_483_647 }, autoStart: false }); // 7,159 5-minute buckets
    // The longest interval Node holds is accepted, and waits that long.
    const monitor = createStatusMonitor(pb, { intervalMs: 2_147_483_647, jitter: 0, attach: false });
    try {
      await clock.advance(0);
      expect(await monitor.history('a')).toHaveLength(1);
      await clock.advance(60_000);
      expect(await monitor.history('a')).toHaveLength(1);
      expect(clock.pendingTimers()).toBe(1);
    } finally {
      monitor.stop();
    }
  });

  it('refuses bad bounds of its default stores with a PatchbayError naming the option', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      refusalOf(() => new InMemoryStatusHistoryStore({ maxSeries: bad }), 'maxSeries');
      refusalOf(() => new InMemoryStatusHistoryStore({ maxSamplesPerSeries: bad }), 'maxSamplesPerSeries');
      refusalOf(() => new InMemoryStatusReportCache({ maxScopes: bad }), 'maxScopes');
    }
  });
});

describe('createStatusHandler options', () => {
  it('refuses a missing Patchbay and out-of-range durations with a PatchbayError naming the option', () => {
    refusalOf(() => createStatusHandler({} as never), 'patchbay');
    refusalOf(() => createStatusHandler(undefined as never), 'patchbay');
    const pb = patchbay();
    for (const bad of [tooLong, -1, Number.NaN]) {
      refusalOf(() => createStatusHandler({ patchbay: pb, hookTimeoutMs: bad }), 'hookTimeoutMs');
      refusalOf(() => createStatusHandler({ patchbay: pb, minRefreshIntervalMs: bad }), 'minRefreshIntervalMs');
      refusalOf(() => createStatusHandler({ patchbay: pb, pageRefreshMs: bad }), 'pageRefreshMs');
    }
    // A hook time limit of 0 would fail every request.
    refusalOf(() => createStatusHandler({ patchbay: pb, hookTimeoutMs: 0 }), 'hookTimeoutMs');
    expect(typeof createStatusHandler({ patchbay: pb, minRefreshIntervalMs: 0, pageRefreshMs: 0 })).toBe('function');
  });
});

describe('credential handler and toNodeListener options', () => {
  const authorize = () => true;
  const badBytes = [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 64 * 1024 * 1024 + 1, '1024' as never];

  it('refuses a maxBodyBytes that is not a whole number from 1 to 64 MiB (NaN would have read any body)', () => {
    const pb = patchbay();
    for (const bad of badBytes) {
      refusalOf(() => createValidateCredentialsHandler(pb, { authorize, maxBodyBytes: bad }), 'maxBodyBytes');
      refusalOf(() => createCredentialAdminHandler(pb, { authorize, maxBodyBytes: bad }), 'maxBodyBytes');
      refusalOf(() => toNodeListener(async () => new Response(), { maxBodyBytes: bad }), 'maxBodyBytes');
    }
    for (const fine of [1, 64 * 1024 * 1024, undefined]) {
      expect(typeof createValidateCredentialsHandler(pb, { authorize, maxBodyBytes: fine })).toBe('function');
      expect(typeof createCredentialAdminHandler(pb, { authorize, maxBodyBytes: fine })).toBe('function');
      expect(typeof toNodeListener(async () => new Response(), { maxBodyBytes: fine })).toBe('function');
    }
  });

  it('refuses a rate limit that would not limit (NaN max) or a bad window or store, naming rateLimit.<option>', () => {
    const pb = patchbay();
    const make = (rateLimit: unknown) => () => createValidateCredentialsHandler(pb, { authorize, rateLimit } as never);
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10'])
      refusalOf(make({ max: bad, windowMs: 60_000 }), 'rateLimit.max');
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, tooLong, '60000'])
      refusalOf(make({ max: 10, windowMs: bad }), 'rateLimit.windowMs');
    for (const bad of [null, 42, {}, { reserve: 'yes' }])
      refusalOf(make({ max: 10, windowMs: 60_000, store: bad }), 'rateLimit.store');
    refusalOf(make({ key: 'actor' }), 'rateLimit.key');
    for (const bad of [true, 10, 'off', []]) refusalOf(make(bad), 'rateLimit');
    // Defaults: the whole option, or either field, omitted; false turns it off.
    for (const fine of [
      undefined,
      false,
      {},
      { max: 1 },
      { windowMs: 2_147_483_647 },
      { store: new InMemoryLimitStore() },
    ])
      expect(typeof make(fine)()).toBe('function');
  });

  it('refuses a missing authorize hook at construction', () => {
    const pb = patchbay();
    for (const bad of [undefined, true, 'admin']) {
      refusalOf(() => createValidateCredentialsHandler(pb, { authorize: bad } as never), 'authorize');
      refusalOf(() => createCredentialAdminHandler(pb, { authorize: bad } as never), 'authorize');
    }
    refusalOf(() => createValidateCredentialsHandler(pb, undefined as never), 'authorize');
    refusalOf(() => createCredentialAdminHandler(pb, undefined as never), 'authorize');
  });
});

describe('stores given as options', () => {
  it('refuses a bad capacity with a PatchbayError naming it, not a RangeError', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      refusalOf(() => new InMemoryAuditLog({ capacity: bad }), 'capacity');
      refusalOf(() => new InMemoryLimitStore({ maxKeys: bad }), 'maxKeys');
    }
    expect(new InMemoryAuditLog({ capacity: 1 }).capacity).toBe(1);
  });
});

describe('InMemoryUsageAggregator options', () => {
  it('refuses a maxKeys that is not a whole number ≥ 0 (NaN would have left it unbounded)', () => {
    for (const bad of [Number.NaN, -1, 1.5, '10' as never])
      refusalOf(() => new InMemoryUsageAggregator({ maxKeys: bad }), 'maxKeys');
    expect(new InMemoryUsageAggregator({ maxKeys: 0 })).toBeInstanceOf(InMemoryUsageAggregator);
  });
});
