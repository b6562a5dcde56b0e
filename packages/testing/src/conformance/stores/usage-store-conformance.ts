import type { MaybePromise, UsageRecord, UsageSummaryRow } from '@patchbay/core';
import type { ConformanceCase } from '../conformance-case.js';
import { assert } from '../lazy-node.js';
import { type StoreConformanceOptions, storeCases } from './store-under-test.js';

/** A usage sink that answers sums, like `InMemoryUsageAggregator` and `PostgresUsageStore`. */
export interface UsageStoreLike {
  record(record: UsageRecord): void;
  rows(filter?: { tenant?: string; provider?: string }): MaybePromise<UsageSummaryRow[]>;
}

export type UsageStoreConformanceOptions = StoreConformanceOptions<UsageStoreLike>;

function usage(overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    tenant: 'tenant-a',
    kind: 'llm',
    provider: 'openai',
    vendor: 'openai',
    model: 'gpt-4o-mini',
    unit: 'input_tokens',
    quantity: 100,
    cost: 0.01,
    currency: 'USD',
    latencyMs: 200,
    outcome: 'success',
    errorCode: undefined,
    correlationId: undefined,
    route: undefined,
    attempt: 1,
    timestamp: '2026-01-01T10:00:00.000Z',
    ...overrides,
  };
}

const key = (row: UsageSummaryRow) => `${row.tenant ?? '-'}/${row.provider}/${row.model ?? '-'}/${row.unit}`;

async function byKey(store: UsageStoreLike, filter?: { tenant?: string; provider?: string }) {
  const rows = await store.rows(filter);
  return new Map(rows.map((row) => [key(row), row]));
}

/** What every usage store must answer: the sums per tenant, provider, model and unit. */
export function defineUsageStoreConformance(options: UsageStoreConformanceOptions): ConformanceCase[] {
  return storeCases(options, 'usage-store', {
    sums: {
      name: 'sums quantity, cost, records, failures and latency per tenant, provider, model and unit',
      check: async (store, flush) => {
        store.record(usage());
        store.record(usage({ quantity: 50, cost: 0.005, latencyMs: 100, outcome: 'error', errorCode: 'timeout' }));
        store.record(usage({ unit: 'output_tokens', quantity: 20, cost: 0.02 }));
        store.record(
          usage({
            tenant: undefined,
            model: undefined,
            provider: 'twilio-sms',
            vendor: 'twilio',
            kind: 'sms',
            unit: 'segments',
            quantity: 2,
            cost: null,
            currency: null,
          }),
        );
        await flush();
        const rows = await byKey(store);
        assert.equal(rows.size, 3);
        const input = rows.get('tenant-a/openai/gpt-4o-mini/input_tokens');
        assert.equal(input?.quantity, 150);
        assert.ok(Math.abs((input?.cost ?? 0) - 0.015) < 1e-9, `cost ${input?.cost}`);
        assert.equal(input?.currency, 'USD');
        assert.equal(input?.records, 2);
        assert.equal(input?.failures, 1);
        assert.equal(input?.totalLatencyMs, 300);
        assert.equal(input?.kind, 'llm');
        assert.equal(input?.vendor, 'openai');
        const sms = rows.get('-/twilio-sms/-/segments');
        assert.equal(sms?.tenant, undefined);
        assert.equal(sms?.model, undefined);
        assert.equal(sms?.cost, null, 'no price known: null, never 0');
      },
    },
    'unknown-price': {
      name: 'one unpriced record with a quantity makes the total unknown; an unpriced zero does not',
      check: async (store, flush) => {
        store.record(usage({ provider: 'a', cost: 0.5 }));
        store.record(usage({ provider: 'a', cost: null, currency: null }));
        store.record(usage({ provider: 'b', cost: 0.5 }));
        store.record(usage({ provider: 'b', cost: null, currency: null, quantity: 0 }));
        await flush();
        const rows = await byKey(store);
        assert.equal(rows.get('tenant-a/a/gpt-4o-mini/input_tokens')?.cost, null);
        assert.equal(rows.get('tenant-a/b/gpt-4o-mini/input_tokens')?.cost, 0.5);
      },
    },
    filters: {
      name: 'filters rows by tenant and provider',
      check: async (store, flush) => {
        store.record(usage({ tenant: 'tenant-a', provider: 'openai' }));
        store.record(usage({ tenant: 'tenant-b', provider: 'openai' }));
        store.record(usage({ tenant: 'tenant-b', provider: 'anthropic', vendor: 'anthropic' }));
        await flush();
        assert.deepEqual([...(await byKey(store, { tenant: 'tenant-b' })).keys()].sort(), [
          'tenant-b/anthropic/gpt-4o-mini/input_tokens',
          'tenant-b/openai/gpt-4o-mini/input_tokens',
        ]);
        assert.deepEqual(
          [...(await byKey(store, { provider: 'openai', tenant: 'tenant-a' })).keys()],
          ['tenant-a/openai/gpt-4o-mini/input_tokens'],
        );
      },
    },
    cardinality: {
      name: 'keeps every key apart at high cardinality (2,000 tenants)',
      check: async (store, flush) => {
        for (let index = 0; index < 2_000; index++) {
          store.record(usage({ tenant: `tenant-${index}`, quantity: index }));
          store.record(usage({ tenant: `tenant-${index}`, quantity: 1 }));
        }
        await flush();
        const rows = await byKey(store);
        assert.equal(rows.size, 2_000);
        assert.equal(rows.get('tenant-1999/openai/gpt-4o-mini/input_tokens')?.quantity, 2_000);
        assert.equal(rows.get('tenant-7/openai/gpt-4o-mini/input_tokens')?.records, 2);
      },
    },
  });
}
