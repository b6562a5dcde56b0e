// README (packages/postgres/README.md, "Writes off the call path"): reads (`query()`, `summary()`, `rows()`,
// `rollup()`) write what is queued first, so a caller reads its own writes. No `flush()` here, and no
// background flush (`flushIntervalMs: 0`): only the read itself can have written the records.
import type { AuditRecord } from '@patchbay/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeSharedClients, databaseKinds, openTestDatabase, type TestDatabase } from '../test-support/databases.js';
import { usageRecord as usage } from '../test-support/usage-records.js';
import { PostgresAuditLog } from './postgres-audit-log.js';
import { PostgresUsageStore } from './postgres-usage-store.js';

afterAll(closeSharedClients);

const audit: AuditRecord = {
  id: 'audit-read-own-1',
  at: '2026-01-01T00:00:01.000Z',
  actor: 'admin@example.com',
  tenant: 'tenant-a',
  provider: 'openai',
  route: null,
  action: 'credentials.set',
  outcome: 'success',
  fields: ['apiKey'],
  before: null,
  after: 'f1e2d3',
};

describe.each(databaseKinds)('reads see records still queued (%s)', (kind) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it('usage: summary(), rows() and costByProvider() each write the queue first', async () => {
    database = await openTestDatabase(kind);
    const store = new PostgresUsageStore(database.client, { schema: database.schema, flushIntervalMs: 0 });
    store.record(usage('2026-01-01T08:00:00.000Z'));
    expect((await store.summary()).map((row) => row.quantity)).toEqual([10]);
    store.record(usage('2026-01-01T09:00:00.000Z'));
    expect((await store.rows()).map((row) => row.quantity)).toEqual([20]);
    store.record(usage('2026-01-01T10:00:00.000Z'));
    expect(await store.costByProvider()).toEqual({ openai: 1.5 });
    await store.close();
  });

  it('usage: rollup() writes the queue first, so no queued record escapes it', async () => {
    database = await openTestDatabase(kind);
    const store = new PostgresUsageStore(database.client, { schema: database.schema, flushIntervalMs: 0 });
    store.record(usage('2026-01-01T08:00:00.000Z'));
    expect(await store.rollup(new Date('2026-01-21T06:00:00.000Z'), { rawRetentionMs: 7 * 86_400_000 })).toEqual({
      rolledUp: 1,
      expiredDays: 0,
    });
    await store.close();
  });

  it('audit log: query() writes the queue first', async () => {
    database = await openTestDatabase(kind);
    const log = new PostgresAuditLog(database.client, { schema: database.schema, flushIntervalMs: 0 });
    log.record(audit);
    expect(await log.query()).toEqual([audit]);
    await log.close();
  });
});
