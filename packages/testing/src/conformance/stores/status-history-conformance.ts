import type { StatusHistoryStore, StatusSample } from '@patchbay/core';
import type { ConformanceCase } from '../conformance-case.js';
import { assert } from '../lazy-node.js';
import { type StoreConformanceOptions, storeCases } from './store-under-test.js';

export type StatusHistoryConformanceOptions = StoreConformanceOptions<StatusHistoryStore>;

const start = Date.UTC(2026, 0, 1);

function sample(minute: number, overrides: Partial<StatusSample> = {}): StatusSample {
  return {
    provider: 'openai',
    tenant: null,
    at: start + minute * 60_000,
    status: 'connected',
    latencyMs: 120,
    ...overrides,
  };
}

/** What every `StatusHistoryStore` must do: oldest first, filters, and the most recent `limit`. */
export function defineStatusHistoryConformance(options: StatusHistoryConformanceOptions): ConformanceCase[] {
  return storeCases(options, 'status-history', {
    'round-trip': {
      name: 'returns samples as appended, oldest first',
      check: async (history, flush) => {
        const failing = sample(2, { status: 'error', latencyMs: null, code: 'authentication' });
        await history.append(sample(1));
        await history.append(failing);
        await flush();
        assert.deepEqual(await history.query(), [sample(1), failing]);
      },
    },
    filters: {
      name: 'filters by provider, tenant (null is the platform check) and time window',
      check: async (history, flush) => {
        await history.append(sample(1));
        await history.append(sample(2, { tenant: 'tenant-a' }));
        await history.append(sample(3, { provider: 'anthropic' }));
        await history.append(sample(4));
        await flush();
        const minutes = async (query: Parameters<StatusHistoryStore['query']>[0]) =>
          (await history.query(query)).map((s) => (s.at - start) / 60_000);
        assert.deepEqual(await minutes({ provider: 'openai' }), [1, 2, 4]);
        assert.deepEqual(await minutes({ tenant: null }), [1, 3, 4]);
        assert.deepEqual(await minutes({ tenant: 'tenant-a' }), [2]);
        assert.deepEqual(await minutes({ provider: 'openai', tenant: null }), [1, 4]);
        assert.deepEqual(await minutes({ since: start + 2 * 60_000, until: start + 4 * 60_000 }), [2, 3]);
      },
    },
    limit: {
      name: 'with limit, answers the most recent samples, still oldest first',
      check: async (history, flush) => {
        for (let minute = 0; minute < 30; minute++) await history.append(sample(minute));
        await flush();
        assert.deepEqual(
          (await history.query({ limit: 3 })).map((s) => (s.at - start) / 60_000),
          [27, 28, 29],
        );
      },
    },
  });
}
