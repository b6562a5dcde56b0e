import type { AuditLog, AuditRecord } from '@patchbay/core';
import type { ConformanceCase } from '../conformance-case.js';
import { assert } from '../lazy-node.js';
import { type StoreConformanceOptions, storeCases } from './store-under-test.js';

export type AuditLogConformanceOptions = StoreConformanceOptions<AuditLog>;

function auditRecord(index: number, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: `audit-${String(index).padStart(6, '0')}`,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
    actor: 'admin@example.com',
    tenant: 'tenant-a',
    provider: 'openai',
    route: null,
    action: 'credentials.set',
    outcome: 'success',
    fields: ['apiKey'],
    before: null,
    after: 'f1e2d3',
    ...overrides,
  };
}

/** What every `AuditLog` must do: keep what it was given, answer newest first, filter and limit. */
export function defineAuditLogConformance(options: AuditLogConformanceOptions): ConformanceCase[] {
  return storeCases(options, 'audit-log', {
    'round-trip': {
      name: 'returns a record as it was recorded',
      check: async (log, flush) => {
        const record = auditRecord(1, {
          fields: ['apiKey', 'settings.baseURL'],
          before: 'aa11',
          detail: 'rotated by the nightly job',
          route: 'chat',
        });
        await log.record(record);
        await flush();
        assert.deepEqual(await log.query(), [record]);
      },
    },
    'newest-first': {
      name: 'answers newest first, by time then by insertion',
      check: async (log, flush) => {
        await log.record(auditRecord(2));
        await log.record(auditRecord(1));
        await log.record(auditRecord(3, { at: auditRecord(2).at }));
        await flush();
        assert.deepEqual(
          (await log.query()).map((record) => record.id),
          ['audit-000003', 'audit-000002', 'audit-000001'],
        );
      },
    },
    filters: {
      name: 'filters by tenant, provider, action and time window',
      check: async (log, flush) => {
        await log.record(auditRecord(1, { tenant: 'tenant-b' }));
        await log.record(auditRecord(2, { provider: 'anthropic' }));
        await log.record(auditRecord(3, { action: 'credentials.delete' }));
        await log.record(auditRecord(4));
        await flush();
        const ids = async (query: Parameters<AuditLog['query']>[0]) => (await log.query(query)).map((r) => r.id);
        assert.deepEqual(await ids({ tenant: 'tenant-b' }), ['audit-000001']);
        assert.deepEqual(await ids({ provider: 'anthropic' }), ['audit-000002']);
        assert.deepEqual(await ids({ action: 'credentials.delete' }), ['audit-000003']);
        assert.deepEqual(await ids({ since: auditRecord(2).at, until: auditRecord(4).at }), [
          'audit-000003',
          'audit-000002',
        ]);
      },
    },
    limit: {
      name: 'returns 100 records unless told otherwise, and honours limit',
      check: async (log, flush) => {
        for (let index = 0; index < 150; index++) await log.record(auditRecord(index));
        await flush();
        const page = await log.query();
        assert.equal(page.length, 100);
        assert.equal(page[0]?.id, 'audit-000149');
        assert.deepEqual(
          (await log.query({ limit: 2 })).map((record) => record.id),
          ['audit-000149', 'audit-000148'],
        );
      },
    },
  });
}
