// The store suites themselves: each passes a correct store and fails a store with one flaw, so a
// suite that stops checking something shows up here. (The PGlite and PostgreSQL runs are in
// packages/postgres; the delivery log and session store suites run there against messaging's stores.)
import type {
  AuditLog,
  AuditQuery,
  AuditRecord,
  StatusHistoryQuery,
  StatusHistoryStore,
  StatusSample,
} from '@patchbay/core';
import { InMemorySealedStorage, InMemoryUsageAggregator } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceCase } from '../conformance-case.js';
import { runConformance } from '../conformance-case.js';
import { defineAuditLogConformance } from './audit-log-conformance.js';
import { defineSealedCredentialStorageConformance } from './sealed-credential-storage-conformance.js';
import { defineStatusHistoryConformance } from './status-history-conformance.js';
import { defineUsageStoreConformance } from './usage-store-conformance.js';

class ReferenceAuditLog implements AuditLog {
  readonly records: AuditRecord[] = [];
  constructor(readonly flaw?: 'oldest-first' | 'no-default-limit') {}
  record(record: AuditRecord): void {
    this.records.push(record);
  }
  async query(query: AuditQuery = {}): Promise<AuditRecord[]> {
    const matches = this.records
      .map((record, index) => ({ record, index }))
      .filter(({ record }) => query.tenant === undefined || record.tenant === query.tenant)
      .filter(({ record }) => query.provider === undefined || record.provider === query.provider)
      .filter(({ record }) => query.action === undefined || record.action === query.action)
      .filter(({ record }) => query.since === undefined || record.at >= query.since)
      .filter(({ record }) => query.until === undefined || record.at < query.until)
      .sort((a, b) => (a.record.at === b.record.at ? b.index - a.index : a.record.at < b.record.at ? 1 : -1))
      .map(({ record }) => record);
    if (this.flaw === 'oldest-first') matches.reverse();
    return this.flaw === 'no-default-limit' && query.limit === undefined
      ? matches
      : matches.slice(0, query.limit ?? 100);
  }
}

class ReferenceStatusHistory implements StatusHistoryStore {
  readonly samples: StatusSample[] = [];
  constructor(readonly flaw?: 'oldest-limit' | 'tenant-null-ignored') {}
  append(sample: StatusSample): void {
    this.samples.push({ ...sample });
  }
  async query(query: StatusHistoryQuery = {}): Promise<StatusSample[]> {
    const matches = this.samples
      .filter((s) => query.provider === undefined || s.provider === query.provider)
      .filter(
        (s) =>
          query.tenant === undefined ||
          (this.flaw === 'tenant-null-ignored' && query.tenant === null) ||
          s.tenant === query.tenant,
      )
      .filter((s) => query.since === undefined || s.at >= query.since)
      .filter((s) => query.until === undefined || s.at < query.until)
      .sort((a, b) => a.at - b.at);
    if (query.limit === undefined || matches.length <= query.limit) return matches;
    return this.flaw === 'oldest-limit' ? matches.slice(0, query.limit) : matches.slice(matches.length - query.limit);
  }
}

/** Storage whose replace ignores the version: a rotation would revert a concurrent set(). */
class LastWriteWinsStorage extends InMemorySealedStorage {
  override replace(tenant: string, provider: string, sealed: string): boolean {
    const row = this.read(tenant, provider);
    if (!row) return false;
    this.write(tenant, provider, sealed);
    return true;
  }
}

/** An aggregator that treats an unknown price as 0. */
class GuessingAggregator extends InMemoryUsageAggregator {
  constructor() {
    super();
    const record = this.record;
    Object.defineProperty(this, 'record', {
      value: (usage: Parameters<typeof record>[0]) => record({ ...usage, cost: usage.cost ?? 0 }),
    });
  }
}

async function failures(cases: ConformanceCase[]): Promise<string[]> {
  const failed: string[] = [];
  for (const conformanceCase of cases) {
    try {
      await conformanceCase.run();
    } catch {
      failed.push(conformanceCase.id);
    }
  }
  return failed;
}

describe('store conformance suites pass correct stores', () => {
  describe('sealed credential storage', () =>
    runConformance(
      defineSealedCredentialStorageConformance({ create: () => ({ store: new InMemorySealedStorage() }) }),
      {
        it,
      },
    ));
  describe('usage', () =>
    runConformance(defineUsageStoreConformance({ create: () => ({ store: new InMemoryUsageAggregator() }) }), { it }));
  describe('audit log', () =>
    runConformance(defineAuditLogConformance({ create: () => ({ store: new ReferenceAuditLog() }) }), { it }));
  describe('status history', () =>
    runConformance(defineStatusHistoryConformance({ create: () => ({ store: new ReferenceStatusHistory() }) }), {
      it,
    }));
});

describe('store conformance suites fail flawed stores', () => {
  it('sealed storage: a replace that ignores the version', async () => {
    const cases = defineSealedCredentialStorageConformance({ create: () => ({ store: new LastWriteWinsStorage() }) });
    expect(await failures(cases)).toEqual([
      'sealed-storage.replace-compare-and-set',
      'sealed-storage.replace-concurrent',
    ]);
  });

  it('usage: an unknown price counted as 0', async () => {
    const cases = defineUsageStoreConformance({ create: () => ({ store: new GuessingAggregator() }) });
    expect(await failures(cases)).toEqual(['usage-store.sums', 'usage-store.unknown-price']);
  });

  it('audit log: oldest first, or no default limit', async () => {
    const oldest = defineAuditLogConformance({ create: () => ({ store: new ReferenceAuditLog('oldest-first') }) });
    expect(await failures(oldest)).toEqual(['audit-log.newest-first', 'audit-log.filters', 'audit-log.limit']);
    const unlimited = defineAuditLogConformance({
      create: () => ({ store: new ReferenceAuditLog('no-default-limit') }),
    });
    expect(await failures(unlimited)).toEqual(['audit-log.limit']);
  });

  it('status history: the oldest samples under a limit, or tenant null read as "any tenant"', async () => {
    const oldest = defineStatusHistoryConformance({
      create: () => ({ store: new ReferenceStatusHistory('oldest-limit') }),
    });
    expect(await failures(oldest)).toEqual(['status-history.limit']);
    const anyTenant = defineStatusHistoryConformance({
      create: () => ({ store: new ReferenceStatusHistory('tenant-null-ignored') }),
    });
    expect(await failures(anyTenant)).toEqual(['status-history.filters']);
  });

  it('skips a case by id', () => {
    const cases = defineAuditLogConformance({
      create: () => ({ store: new ReferenceAuditLog() }),
      skip: ['audit-log.limit'],
    });
    expect(cases.map((conformanceCase) => conformanceCase.id)).not.toContain('audit-log.limit');
  });
});
