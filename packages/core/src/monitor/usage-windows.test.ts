import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { PatchbayError } from '../errors/patchbay-error.js';
import type { UsageRecord } from '../spec/usage.js';
import { maxUsageBucketsPerKey, UsageWindows } from './usage-windows.js';

// A real collection before each reading, so the figures are what is retained, not garbage not yet collected.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function retained(): number {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

const minute = 60_000;
const week = 7 * 24 * 60 * minute;

function refusal(make: () => unknown): PatchbayError {
  try {
    make();
  } catch (error) {
    expect(PatchbayError.isInstance(error)).toBe(true);
    return error as PatchbayError;
  }
  throw new Error('expected a refusal');
}

function record(at: number, overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    tenant: 'acme',
    kind: 'llm',
    provider: 'openai',
    vendor: 'openai',
    model: 'gpt',
    unit: 'input_tokens',
    quantity: 10,
    cost: 0.5,
    currency: 'USD',
    latencyMs: 5,
    outcome: 'success',
    errorCode: undefined,
    correlationId: undefined,
    route: 'llm',
    attempt: 1,
    timestamp: new Date(at).toISOString(),
    ...overrides,
  };
}

describe('UsageWindows', () => {
  it('sums usage and cost over the last window in whole buckets, forgetting older laps', () => {
    const windows = new UsageWindows({ bucketMs: 5 * minute, spanMs: 60 * minute });
    const now = 1_000 * 60 * minute;
    windows.record(record(now - 90 * minute)); // beyond the span: its slot is reused below
    windows.record(record(now - 30 * minute));
    windows.record(record(now - 2 * minute, { outcome: 'error' }));
    windows.record(record(now - 1 * minute, { cost: null }));
    windows.record(record(now, { tenant: undefined, quantity: 3 }));
    const lastTen = windows.rows({ windowMs: 10 * minute, now, tenant: 'acme' });
    expect(lastTen).toEqual([
      {
        tenant: 'acme',
        provider: 'openai',
        unit: 'input_tokens',
        quantity: 20,
        cost: null,
        currency: 'USD',
        calls: 2,
        failures: 1,
      },
    ]);
    const lastHour = windows.rows({ windowMs: 60 * minute, now, tenant: 'acme' });
    expect(lastHour[0]?.quantity).toBe(30);
    expect(windows.rows({ windowMs: 60 * minute, now, tenant: null })[0]?.quantity).toBe(3);
    expect(windows.rows({ windowMs: 60 * minute, now })).toHaveLength(2);
    expect(windows.rows({ windowMs: 5 * minute, now: now + 30 * minute })).toEqual([]);
  });

  it('stays bounded at high cardinality', () => {
    const windows = new UsageWindows({ maxKeys: 100 });
    const now = Date.now();
    for (let tenant = 0; tenant < 20_000; tenant++) windows.record(record(now, { tenant: `t${tenant}` }));
    expect(windows.size).toBe(100);
    expect(windows.rows({ windowMs: 3_600_000, now, tenant: 't19999' })).toHaveLength(1);
    expect(windows.rows({ windowMs: 3_600_000, now, tenant: 't0' })).toEqual([]);
  });

  it('holds 1,000 keys by default, dropping the least recently written', () => {
    const windows = new UsageWindows();
    const now = Date.UTC(2026, 0, 1);
    for (let tenant = 0; tenant < 1_000; tenant++) windows.record(record(now, { tenant: `t${tenant}` }));
    expect(windows.size).toBe(1_000);
    expect(windows.rows({ windowMs: minute, now, tenant: 't0' })).toHaveLength(1);
    windows.record(record(now, { tenant: 't1000' }));
    expect(windows.size).toBe(1_000);
    expect(windows.rows({ windowMs: minute, now, tenant: 't0' })).toEqual([]);
    expect(windows.rows({ windowMs: minute, now, tenant: 't1' })).toHaveLength(1);
  });

  it('sums in 5-minute buckets by default', () => {
    const windows = new UsageWindows();
    // 00:05 is a 5-minute boundary (and not one of 4- or 6-minute buckets).
    const boundary = Date.UTC(2026, 0, 1, 0, 5);
    windows.record(record(boundary - 1, { quantity: 1 }));
    windows.record(record(boundary, { quantity: 10 }));
    windows.record(record(boundary + 5 * minute - 1, { quantity: 100 }));
    windows.record(record(boundary + 5 * minute, { quantity: 1_000 }));
    // The shortest window is one whole bucket: the one `now` falls in.
    const bucketOf = (now: number) => windows.rows({ windowMs: 1, now })[0]?.quantity;
    expect(bucketOf(boundary)).toBe(110);
    expect(bucketOf(boundary + 5 * minute - 1)).toBe(110);
    expect(bucketOf(boundary - 1)).toBe(1);
    expect(bucketOf(boundary + 5 * minute)).toBe(1_000);
  });

  it('reaches back 24 h by default: the oldest bucket of the day counts, one bucket older does not', () => {
    const windows = new UsageWindows();
    expect(windows.spanMs).toBe(86_400_000);
    const now = Date.UTC(2026, 0, 2);
    windows.record(record(now - 24 * 60 * minute + 5 * minute, { quantity: 1 }));
    windows.record(record(now - 24 * 60 * minute, { quantity: 10 }));
    expect(windows.rows({ windowMs: 7 * 24 * 60 * minute, now })[0]?.quantity).toBe(1);
  });

  it('holds at most 10,080 buckets per key: a week of minutes is accepted and answered in full, one more refused', () => {
    const windows = new UsageWindows({ bucketMs: minute, spanMs: week });
    expect(windows.spanMs).toBe(week);
    const now = Date.UTC(2026, 0, 8);
    windows.record(record(now - week + minute, { quantity: 1 })); // the oldest bucket of the week
    windows.record(record(now - week, { quantity: 10 })); // one bucket older: outside the span
    windows.record(record(now, { quantity: 100 }));
    expect(windows.rows({ windowMs: week, now })[0]?.quantity).toBe(101);

    // Past the bound, whichever way it is reached (a bucket under 1 s counts as 1 s), naming usage.spanMs.
    for (const options of [
      { bucketMs: minute, spanMs: week + 1 },
      { bucketMs: 1_000, spanMs: 2_147_483_647 }, // was 2,147,484 buckets per key
      { bucketMs: 1, spanMs: 10_081_000 },
    ]) {
      const error = refusal(() => new UsageWindows(options));
      expect(error.code).toBe('invalid_request');
      expect(error.details).toMatchObject({ field: 'usage.spanMs' });
      expect(error.message).toMatch(/^usage\.spanMs: must be at most 10080 buckets of usage\.bucketMs/);
    }
    expect(new UsageWindows({ bucketMs: 1, spanMs: 10_080_000 }).spanMs).toBe(10_080_000);
    // The longest span with the default 5-minute buckets is 7,159 buckets: accepted.
    expect(new UsageWindows({ spanMs: 2_147_483_647 }).spanMs).toBe(7_159 * 5 * minute);
    expect(maxUsageBucketsPerKey).toBe(10_080);
  });

  it('stays bounded at high cardinality with the most buckets per key (retained heap after GC)', () => {
    const before = retained();
    const windows = new UsageWindows({ bucketMs: minute, spanMs: week, maxKeys: 20 });
    const now = Date.UTC(2026, 0, 8);
    for (let tenant = 0; tenant < 2_000; tenant++)
      windows.record(record(now - (tenant % 10_080) * minute, { tenant: `t${tenant}` }));
    expect(windows.size).toBe(20);
    // At most 20 keys × 10,080 buckets × 33 bytes ≈ 6.3 MiB; the 1,980 dropped keys (~630 MiB in all) are gone.
    const grownMb = (retained() - before) / 1024 / 1024;
    expect(grownMb).toBeGreaterThan(2); // the measurement sees what is held
    expect(grownMb).toBeLessThan(12);
    expect(windows.rows({ windowMs: week, now })).toHaveLength(20);
    expect(windows.rows({ windowMs: week, now, tenant: 't1999' })).toHaveLength(1);
    expect(windows.rows({ windowMs: week, now, tenant: 't0' })).toEqual([]);
  });
});
