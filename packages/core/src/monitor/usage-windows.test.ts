import { describe, expect, it } from 'vitest';
import type { UsageRecord } from '../spec/usage.js';
import { UsageWindows } from './usage-windows.js';

const minute = 60_000;

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
});
