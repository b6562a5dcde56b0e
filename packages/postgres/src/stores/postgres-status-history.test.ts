import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { withWritesBetweenStatements } from '../test-support/between-statements.js';
import {
  closeSharedClients,
  databaseKinds,
  openTestDatabase,
  postgresUrl,
  type TestDatabase,
} from '../test-support/databases.js';
import { PostgresStatusHistoryStore } from './postgres-status-history.js';

afterAll(closeSharedClients);

const day = 86_400_000;
const jan1 = Date.UTC(2026, 0, 1);

describe.each(databaseKinds)('PostgresStatusHistoryStore retention (%s)', (kind) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it('rolls old samples into daily counts per status and expires old days', async () => {
    database = await openTestDatabase(kind);
    const history = new PostgresStatusHistoryStore(database.client, { schema: database.schema, flushIntervalMs: 0 });
    history.append({ provider: 'openai', tenant: null, at: jan1 + 1_000, status: 'connected', latencyMs: 100 });
    history.append({ provider: 'openai', tenant: null, at: jan1 + 2_000, status: 'connected', latencyMs: 300 });
    history.append({
      provider: 'openai',
      tenant: null,
      at: jan1 + 3_000,
      status: 'error',
      latencyMs: null,
      code: 'timeout',
    });
    history.append({ provider: 'openai', tenant: 'acme', at: jan1 + day + 1, status: 'connected', latencyMs: 50 });
    history.append({ provider: 'openai', tenant: null, at: jan1 + 10 * day, status: 'connected', latencyMs: 80 });

    const now = new Date(jan1 + 10 * day + 3_600_000);
    expect(await history.rollup(now, { rawRetentionMs: 7 * day })).toEqual({ rolledUp: 4, expiredDays: 0 });
    expect((await history.query()).map((sample) => sample.at)).toEqual([jan1 + 10 * day]);
    expect(await history.daily()).toEqual([
      { day: '2026-01-01', provider: 'openai', tenant: null, status: 'connected', samples: 2, meanLatencyMs: 200 },
      { day: '2026-01-01', provider: 'openai', tenant: null, status: 'error', samples: 1, meanLatencyMs: null },
      { day: '2026-01-02', provider: 'openai', tenant: 'acme', status: 'connected', samples: 1, meanLatencyMs: 50 },
    ]);

    const later = new Date(jan1 + 35 * day);
    expect(await history.rollup(later, { rawRetentionMs: 7 * day, dailyRetentionMs: 30 * day })).toEqual({
      rolledUp: 1,
      expiredDays: 3,
    });
    expect((await history.daily()).map((row) => row.day)).toEqual(['2026-01-11']);
    await history.close();
  });
});

describe('PostgresStatusHistoryStore rollup beside other writers', () => {
  it.runIf(postgresUrl)(
    'a late sample another connection commits while a rollup runs is counted once, never lost',
    async () => {
      const database = await openTestDatabase('postgres');
      try {
        const other = new PostgresStatusHistoryStore(database.client, { schema: database.schema, flushIntervalMs: 0 });
        let late = 0;
        // After every statement of the rollup's transaction, another instance commits a sample for a day being
        // rolled up (READ COMMITTED: a later statement of the rollup sees it).
        const client = withWritesBetweenStatements(database.client, async () => {
          late++;
          other.append({
            provider: 'openai',
            tenant: null,
            at: jan1 + 5_000 + late,
            status: 'connected',
            latencyMs: 10,
          });
          await other.flush();
        });
        const history = new PostgresStatusHistoryStore(client, { schema: database.schema, flushIntervalMs: 0 });
        history.append({ provider: 'openai', tenant: null, at: jan1 + 1_000, status: 'connected', latencyMs: 10 });
        history.append({ provider: 'openai', tenant: null, at: jan1 + 2_000, status: 'connected', latencyMs: 10 });
        await history.flush();

        await history.rollup(new Date(jan1 + 10 * day), { rawRetentionMs: 7 * day });
        expect(late).toBeGreaterThan(0);
        const rolledUp = (await history.daily()).reduce((sum, row) => sum + row.samples, 0);
        const raw = (await history.query()).length;
        expect(rolledUp + raw).toBe(2 + late);
        await Promise.all([history.close(), other.close()]);
      } finally {
        await database.dispose();
      }
    },
  );
});
