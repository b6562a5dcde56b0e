import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { withWritesBetweenStatements } from '../test-support/between-statements.js';
import { spawnOnSources } from '../test-support/child-process.js';
import {
  closeSharedClients,
  databaseKinds,
  openTestDatabase,
  postgresUrl,
  type TestDatabase,
} from '../test-support/databases.js';
import { usageRecord as usage } from '../test-support/usage-records.js';
import { PostgresUsageStore } from './postgres-usage-store.js';

afterAll(closeSharedClients);

const day = 86_400_000;

describe.each(databaseKinds)('PostgresUsageStore (%s)', (kind) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it('answers per-day sums, and a rollup into daily rows leaves every total unchanged', async () => {
    database = await openTestDatabase(kind);
    const store = new PostgresUsageStore(database.client, { schema: database.schema, flushIntervalMs: 0 });
    store.record(usage('2026-01-01T08:00:00.000Z'));
    store.record(usage('2026-01-01T23:59:59.999Z', { outcome: 'error', cost: null, currency: null }));
    store.record(usage('2026-01-02T00:00:00.000Z'));
    store.record(usage('2026-01-20T12:00:00.000Z'));
    await store.flush();
    const before = await store.summary({ groupBy: 'day' });
    expect(before.map((row) => [row.day, row.quantity, row.records, row.failures, row.cost])).toEqual([
      ['2026-01-01', 20, 2, 1, null],
      ['2026-01-02', 10, 1, 0, 0.5],
      ['2026-01-20', 10, 1, 0, 0.5],
    ]);
    const totalsBefore = await store.rows();

    // On Jan 21 with a 7-day raw window, the records of Jan 1 and 2 become daily rows.
    const result = await store.rollup(new Date('2026-01-21T06:00:00.000Z'), { rawRetentionMs: 7 * day });
    expect(result).toEqual({ rolledUp: 3, expiredDays: 0 });
    const raw = await database.client.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM ${database.schema}.patchbay_usage_records`,
    );
    expect(raw.rows[0]?.count).toBe(1);
    expect(await store.summary({ groupBy: 'day' })).toEqual(before);
    expect(await store.rows()).toEqual(totalsBefore);
    expect(await store.costByProvider()).toEqual({ openai: null });
    expect((await store.summary({ since: new Date('2026-01-02T00:00:00Z') }))[0]?.quantity).toBe(20);

    // Rolling up again (records arriving late for a rolled-up day) adds to the daily row.
    store.record(usage('2026-01-02T09:00:00.000Z'));
    await store.flush();
    await store.rollup(new Date('2026-01-21T06:00:00.000Z'), { rawRetentionMs: 7 * day });
    const jan2 = (await store.summary({ groupBy: 'day' })).find((row) => row.day === '2026-01-02');
    expect(jan2).toMatchObject({ quantity: 20, records: 2, cost: 1 });

    // Daily rows expire after their own window.
    const expired = await store.rollup(new Date('2026-03-01T00:00:00.000Z'), {
      rawRetentionMs: 7 * day,
      dailyRetentionMs: 50 * day,
    });
    expect(expired).toEqual({ rolledUp: 1, expiredDays: 2 });
    expect((await store.summary({ groupBy: 'day' })).map((row) => row.day)).toEqual(['2026-01-20']);
    await store.close();
  });

  it('never throws from record() while the database fails, and writes what it holds once it is back', async () => {
    database = await openTestDatabase(kind);
    const schema = database.schema;
    const errors: unknown[] = [];
    const store = new PostgresUsageStore(database.client, {
      schema,
      flushIntervalMs: 0,
      onError: (e) => errors.push(e),
    });
    await database.client.query(`ALTER TABLE ${schema}.patchbay_usage_records RENAME TO usage_away`);
    expect(() => store.record(usage('2026-01-01T00:00:00.000Z'))).not.toThrow();
    await expect(store.flush()).rejects.toThrow();
    expect(errors).toHaveLength(1);
    store.record(usage('2026-01-01T00:00:01.000Z'));
    await database.client.query(`ALTER TABLE ${schema}.usage_away RENAME TO patchbay_usage_records`);
    await store.close();
    expect((await store.rows())[0]?.records).toBe(2);
  });
});

describe('PostgresUsageStore rollup beside other writers', () => {
  it.runIf(postgresUrl)(
    'a late record another connection commits while a rollup runs is counted once, never lost',
    async () => {
      const database = await openTestDatabase('postgres');
      try {
        const other = new PostgresUsageStore(database.client, { schema: database.schema, flushIntervalMs: 0 });
        let late = 0;
        // After every statement of the rollup's transaction, another instance commits a record for a day being
        // rolled up (READ COMMITTED: a later statement of the rollup sees it).
        const client = withWritesBetweenStatements(database.client, async () => {
          late++;
          other.record(usage('2026-01-01T12:00:00.000Z', { correlationId: `late-${late}` }));
          await other.flush();
        });
        const store = new PostgresUsageStore(client, { schema: database.schema, flushIntervalMs: 0 });
        store.record(usage('2026-01-01T08:00:00.000Z'));
        store.record(usage('2026-01-01T09:00:00.000Z'));
        await store.flush();

        await store.rollup(new Date('2026-01-21T06:00:00.000Z'), { rawRetentionMs: 7 * day });
        expect(late).toBeGreaterThan(0);
        const [total] = await store.summary();
        expect(total).toMatchObject({ records: 2 + late, quantity: 10 * (2 + late) });
        await Promise.all([store.close(), other.close()]);
      } finally {
        await database.dispose();
      }
    },
  );
});

/** The promise, or a failure naming `phase` once `ms` have passed. */
async function within<T>(ms: number, phase: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${phase} took over ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('PostgresUsageStore durability', () => {
  it.runIf(postgresUrl)(
    'a writer killed with SIGKILL mid-flight loses no record whose flush had resolved',
    async () => {
      // Each phase is bounded on its own, so a hang fails naming the phase rather than as a bare test timeout.
      const database = await within(10_000, 'opening the test schema', openTestDatabase('postgres'));
      const script = fileURLToPath(new URL('../test-support/usage-writer-child.ts', import.meta.url));
      const child = spawnOnSources(script, [postgresUrl as string, database.schema]);
      try {
        let acknowledged = 0;
        let stderr = '';
        child.stderr?.on('data', (chunk) => (stderr += chunk));
        // The writer loops until killed: a stalled run fails with what it got so far, and never leaves it behind.
        const stalled = setTimeout(() => child.kill('SIGKILL'), 30_000);
        const exited = new Promise((resolve) => child.once('exit', resolve));
        await new Promise<void>((resolve, reject) => {
          const ended = () =>
            reject(
              new Error(`writer ended (exited, or stalled 30 s and killed) after ${acknowledged} records: ${stderr}`),
            );
          child.once('exit', ended);
          // Counting goes on until the kill lands: every acknowledged record must be stored. Only this wait's own
          // exit listener is removed (chunks still arrive after the kill; removing every listener lost `exited`).
          child.stdout?.on('data', (chunk: Buffer) => {
            for (const match of chunk.toString().matchAll(/flushed (\d+)/g)) acknowledged = Number(match[1]);
            // Several rounds acknowledged, the next one under way: kill it now.
            if (acknowledged >= 2_000) {
              child.off('exit', ended);
              resolve();
            }
          });
        }).finally(() => clearTimeout(stalled));
        child.kill('SIGKILL');
        await within(10_000, 'waiting for the killed writer to exit', exited);
        const result = await within(
          10_000,
          'reading the records back',
          database.client.query<{ correlation_id: string }>(
            `SELECT correlation_id FROM ${database.schema}.patchbay_usage_records`,
          ),
        );
        const stored = new Set(result.rows.map((row) => row.correlation_id));
        const missing: string[] = [];
        for (let index = 0; index < acknowledged; index++) {
          if (!stored.has(`record-${index}`)) missing.push(`record-${index}`);
        }
        expect(missing).toEqual([]);
        expect(stored.size).toBeGreaterThanOrEqual(acknowledged);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await within(10_000, 'dropping the test schema', database.dispose());
      }
    },
    // The phases' bounds add up to 70 s.
    90_000,
  );
});

describe.each(databaseKinds)('PostgresUsageStore with hostile input (%s)', (kind) => {
  it('a record PostgreSQL refuses (a NUL byte in the tenant) is dropped alone; its batch is written', async () => {
    const database = await openTestDatabase(kind);
    try {
      const store = new PostgresUsageStore(database.client, { schema: database.schema, flushIntervalMs: 0 });
      store.record(usage('2026-01-01T00:00:00.000Z', { tenant: 'tenant-a' }));
      store.record(usage('2026-01-01T00:00:01.000Z', { tenant: 'evil\u0000tenant' }));
      store.record(usage('2026-01-01T00:00:02.000Z', { tenant: 'tenant-b' }));
      await store.flush();
      expect(store.stats).toMatchObject({ written: 2, rejected: 1, queued: 0 });
      expect((await store.rows()).map((row) => row.tenant).sort()).toEqual(['tenant-a', 'tenant-b']);
      await store.close();
    } finally {
      await database.dispose();
    }
  });
});
