import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventHub } from '../events/event-hub.js';
import type { PatchbayEvents } from '../routing/routing-events.js';
import type { UsageRecord } from '../spec/usage.js';
import { InMemoryUsageAggregator } from './in-memory-usage-aggregator.js';
import { PriceTable } from './price-table.js';
import { isoNow, type MeterInput, UsageMeter } from './usage-meter.js';

const entry = (
  values: Partial<{ provider: string; vendor: string; model: string }> & {
    unit: 'input_tokens' | 'characters';
    price: number;
    per?: number;
  },
) => ({
  per: 1,
  currency: 'USD',
  ...values,
});

describe('PriceTable', () => {
  const table = new PriceTable([
    entry({ vendor: 'openai', unit: 'input_tokens', price: 1, per: 1_000_000 }),
    entry({ vendor: 'openai', model: 'gpt-x', unit: 'input_tokens', price: 2, per: 1_000_000 }),
    entry({ provider: 'openai-eu', unit: 'input_tokens', price: 3, per: 1_000_000 }),
  ]);

  it('uses the most specific price', () => {
    expect(
      table.cost({ provider: 'openai-main', vendor: 'openai', model: 'gpt-y', unit: 'input_tokens' }, 1_000_000).cost,
    ).toBe(1);
    expect(
      table.cost({ provider: 'openai-main', vendor: 'openai', model: 'gpt-x', unit: 'input_tokens' }, 1_000_000).cost,
    ).toBe(2);
    expect(
      table.cost({ provider: 'openai-eu', vendor: 'openai', model: 'gpt-x', unit: 'input_tokens' }, 1_000_000).cost,
    ).toBe(3);
  });

  it('prices alternating providers, models and units right (the last-lookup memo never mixes them up)', () => {
    const prices = new PriceTable([
      entry({ provider: 'a', model: 'm1', unit: 'input_tokens', price: 1 }),
      entry({ provider: 'a', model: 'm2', unit: 'input_tokens', price: 2 }),
      entry({ provider: 'b', model: 'm1', unit: 'input_tokens', price: 3 }),
      entry({ provider: 'b', model: 'm1', unit: 'characters', price: 4 }),
    ]);
    const lookups: [string, string, 'input_tokens' | 'characters', number | undefined][] = [
      ['a', 'm1', 'input_tokens', 1],
      ['a', 'm2', 'input_tokens', 2],
      ['b', 'm1', 'input_tokens', 3],
      ['b', 'm1', 'characters', 4],
      ['a', 'm1', 'characters', undefined],
      ['a', 'm1', 'input_tokens', 1],
      ['b', 'm2', 'input_tokens', undefined],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [provider, model, unit, price] of lookups) {
        expect(prices.unitPrice(provider, 'v', model, unit)?.price).toBe(price);
      }
    }
  });

  it('prices a record with the provider + model entry over the provider-only one, whatever their order', () => {
    for (const order of ['provider first', 'model first'] as const) {
      const providerOnly = entry({ provider: 'a', unit: 'input_tokens', price: 1, per: 1_000_000 });
      const providerAndModel = entry({ provider: 'a', model: 'big', unit: 'input_tokens', price: 5, per: 1_000_000 });
      const prices = new PriceTable(
        order === 'provider first' ? [providerOnly, providerAndModel] : [providerAndModel, providerOnly],
      );
      const hub = new EventHub<PatchbayEvents>();
      const records: UsageRecord[] = [];
      hub.on('usage', (usage) => records.push(usage));
      const meter = new UsageMeter(() => prices, hub);
      for (const model of ['big', 'small']) {
        meter.record({
          route: 'llm',
          kind: 'llm',
          provider: 'a',
          vendor: 'v',
          model,
          tenant: undefined,
          correlationId: undefined,
          attempt: 1,
          latencyMs: 1,
          outcome: 'success',
          errorCode: undefined,
          quantities: [{ unit: 'input_tokens', quantity: 2_000_000 }],
        });
      }
      expect(records.map((usage) => [usage.model, usage.cost, usage.currency])).toEqual([
        ['big', 10, 'USD'],
        ['small', 2, 'USD'],
      ]);
    }
  });

  it('gives null, not 0, for an unknown price', () => {
    expect(table.cost({ provider: 'x', vendor: 'anthropic', model: undefined, unit: 'input_tokens' }, 10)).toEqual({
      cost: null,
      currency: null,
    });
  });
});

function record(values: Partial<UsageRecord>): UsageRecord {
  return {
    tenant: 'acme',
    kind: 'llm',
    provider: 'p',
    vendor: 'v',
    model: 'm',
    unit: 'input_tokens',
    quantity: 1,
    cost: 1,
    currency: 'USD',
    latencyMs: 1,
    outcome: 'success',
    errorCode: undefined,
    correlationId: undefined,
    route: 'llm',
    attempt: 1,
    timestamp: new Date(0).toISOString(),
    ...values,
  };
}

describe('InMemoryUsageAggregator', () => {
  it('sums per key and counts failures', () => {
    const aggregator = new InMemoryUsageAggregator();
    aggregator.record(record({ quantity: 10, cost: 0.5 }));
    aggregator.record(record({ quantity: 0, cost: 0, outcome: 'error' }));
    const [row] = aggregator.rows();
    expect(row).toMatchObject({ quantity: 10, cost: 0.5, records: 2, failures: 1 });
  });

  it('sums alternating tenants, providers and models into their own rows (the last-key memo never mixes them up)', () => {
    const aggregator = new InMemoryUsageAggregator();
    const keys = [
      { tenant: 'acme', provider: 'p', model: 'm' },
      { tenant: undefined, provider: 'p', model: 'm' },
      { tenant: 'acme', provider: 'q', model: 'm' },
      { tenant: 'acme', provider: 'p', model: undefined },
    ];
    for (let round = 0; round < 3; round++) {
      for (const [index, key] of keys.entries()) {
        aggregator.record(record({ ...key, quantity: index + 1, unit: 'input_tokens' }));
        aggregator.record(record({ ...key, quantity: 10 * (index + 1), unit: 'output_tokens' }));
      }
    }
    expect(aggregator.size).toBe(8);
    for (const [index, key] of keys.entries()) {
      const rows = aggregator.rows().filter((row) => row.tenant === key.tenant && row.provider === key.provider);
      const mine = rows.filter((row) => row.model === key.model);
      expect(mine.find((row) => row.unit === 'input_tokens')?.quantity).toBe(3 * (index + 1));
      expect(mine.find((row) => row.unit === 'output_tokens')?.quantity).toBe(30 * (index + 1));
    }
  });

  it('after reset, sums start again in fresh rows (no row from before is written to)', () => {
    const aggregator = new InMemoryUsageAggregator();
    aggregator.record(record({ quantity: 5 }));
    aggregator.record(record({ quantity: 5 }));
    const before = aggregator.rows()[0];
    aggregator.reset();
    aggregator.record(record({ quantity: 2 }));
    expect(aggregator.rows()).toEqual([expect.objectContaining({ quantity: 2, records: 1 })]);
    expect(before?.quantity).toBe(10);
  });

  it('turns the cost null once any record had no price', () => {
    const aggregator = new InMemoryUsageAggregator();
    aggregator.record(record({ cost: 1 }));
    aggregator.record(record({ cost: null }));
    expect(aggregator.costByProvider()).toEqual({ p: null });
  });

  it('grows with distinct keys, not with records', () => {
    const aggregator = new InMemoryUsageAggregator({ maxKeys: 3 });
    for (let index = 0; index < 10_000; index++) aggregator.record(record({ tenant: `t${index % 2}` }));
    expect(aggregator.size).toBe(2);
    for (let index = 0; index < 5; index++) aggregator.record(record({ provider: `other-${index}` }));
    expect(aggregator.size).toBe(3);
    expect(aggregator.droppedRecords).toBe(4);
  });
});

describe('InMemoryUsageAggregator default bound', () => {
  it('holds 10,000 keys by default: a 10,001st distinct key is counted in droppedRecords, stored keys keep summing', () => {
    const aggregator = new InMemoryUsageAggregator();
    const base = record({ quantity: 1 });
    for (let index = 0; index < 10_001; index++) {
      base.tenant = `tenant-${index}`;
      aggregator.record(base);
    }
    expect(aggregator.size).toBe(10_000);
    expect(aggregator.rows()).toHaveLength(10_000);
    expect(aggregator.droppedRecords).toBe(1);
    expect(aggregator.rows({ tenant: 'tenant-10000' })).toEqual([]);
    // A key already stored is not dropped.
    base.tenant = 'tenant-0';
    aggregator.record(base);
    expect(aggregator.droppedRecords).toBe(1);
    expect(aggregator.rows({ tenant: 'tenant-0' })).toMatchObject([{ quantity: 2, records: 2 }]);
  });
});

describe('InMemoryUsageAggregator at high cardinality', () => {
  it('allocates nothing for new keys past maxKeys: 300k distinct tenants keep the heap flat', () => {
    const aggregator = new InMemoryUsageAggregator({ maxKeys: 10_000 });
    const base = record({});
    // The tenant ids are made before measuring: what is measured is what the aggregator keeps, not the caller's garbage.
    const tenants = Array.from({ length: 300_000 }, (_, index) => `tenant-${index}`);
    const before = process.memoryUsage().heapUsed;
    for (let index = 0; index < 600_000; index++) {
      base.tenant = tenants[index >> 1];
      aggregator.record(base);
    }
    const grownMb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
    expect(aggregator.size).toBe(10_000);
    expect(aggregator.droppedRecords).toBe(600_000 - 20_000);
    // Before the fix every dropped tenant still got its nested index maps (~1 KB each: ~300 MB here). Measured ~10 MB
    // (the 10,000 rows and their index maps); a regression to tens of MB fails.
    expect(grownMb).toBeLessThan(25);
  });
});

describe('UsageMeter', () => {
  const input = (quantity: number): MeterInput => ({
    route: 'llm',
    kind: 'llm',
    provider: 'p',
    vendor: 'v',
    model: 'm',
    tenant: undefined,
    correlationId: undefined,
    attempt: 1,
    latencyMs: 2,
    outcome: 'success',
    errorCode: undefined,
    quantities: [
      { unit: 'input_tokens', quantity },
      { unit: 'output_tokens', quantity: 1 },
    ],
  });

  it('feeds the aggregator directly, and builds and emits usage records only while someone listens', () => {
    class CountingHub extends EventHub<PatchbayEvents> {
      emitted = 0;
      override emit<K extends keyof PatchbayEvents>(type: K, event: PatchbayEvents[K]): void {
        this.emitted++;
        super.emit(type, event);
      }
    }
    const hub = new CountingHub();
    const aggregator = new InMemoryUsageAggregator();
    const meter = new UsageMeter(() => new PriceTable([]), hub, aggregator);
    meter.record(input(10));
    expect(hub.emitted).toBe(0);
    const seen: [string, number][] = [];
    const stop = hub.on('usage', (record) => seen.push([record.unit, record.quantity]));
    meter.record(input(5));
    expect(hub.emitted).toBe(2);
    expect(seen).toEqual([
      ['input_tokens', 5],
      ['output_tokens', 1],
    ]);
    stop();
    meter.record(input(1));
    expect(hub.emitted).toBe(2);
    expect(aggregator.rows().map((row) => [row.unit, row.quantity, row.records])).toEqual([
      ['input_tokens', 16, 3],
      ['output_tokens', 3, 3],
    ]);
  });
});

describe('costs of zero quantities', () => {
  it('counts a quantity-0 record as cost 0 even without a price; only a priced-nowhere non-zero quantity is null', () => {
    const aggregator = new InMemoryUsageAggregator();
    aggregator.record(record({ quantity: 5, cost: 5 }));
    aggregator.record(record({ quantity: 0, cost: null, outcome: 'error' }));
    expect(aggregator.costByProvider()).toEqual({ p: 5 });
    aggregator.record(record({ quantity: 3, cost: null }));
    expect(aggregator.costByProvider()).toEqual({ p: null });
  });
});

describe('usage timestamps', () => {
  afterEach(() => vi.useRealTimers());

  it('match toISOString at every millisecond, across second, minute and year boundaries', () => {
    vi.useFakeTimers();
    const starts = [Date.UTC(2026, 11, 31, 23, 59, 58, 990), Date.UTC(2027, 0, 1, 0, 0, 0, 0), 1_000, 9, 99_999];
    for (const start of starts) {
      for (let step = 0; step < 1_200; step += 7) {
        vi.setSystemTime(start + step);
        expect(isoNow()).toBe(new Date(start + step).toISOString());
      }
    }
  });
});
