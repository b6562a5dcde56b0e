// Durable state with nothing to install: the delivery log and usage go to embedded PostgreSQL
// (PGlite) in .demo-data/, so each run shows what the earlier runs left. Point the same stores at a
// server with `createPgClient({ connectionString })` instead of `createPgliteClient`.
import type { Patchbay } from '@patchbay/core';
import { createPgliteClient, migrate, PostgresUsageStore } from '@patchbay/postgres';
import { PostgresDeliveryLog } from '@patchbay/postgres/messaging';

const demoDataDir = new URL('./.demo-data/', import.meta.url).pathname;

/** Opens the demo's store and sends the run's usage to it; call `report()` at the end. */
export async function openDemoStorage(
  patchbay: Pick<Patchbay, 'on'>,
  options: { dataDir?: string; print?: (line: string) => void } = {},
) {
  const print = options.print ?? console.log;
  const client = await createPgliteClient({ dataDir: options.dataDir ?? demoDataDir });
  await migrate(client);
  await client.query(
    'CREATE TABLE IF NOT EXISTS demo_runs (run serial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())',
  );
  const usage = new PostgresUsageStore(client);
  const deliveryLog = new PostgresDeliveryLog(client);
  const stopUsage = patchbay.on('usage', usage.record);
  const count = async (sql: string) => Number((await client.query<{ count: number }>(sql)).rows[0]?.count ?? 0);
  const earlierRuns = await count('SELECT count(*)::int AS count FROM demo_runs');
  const earlierDeliveries = await count('SELECT count(*)::int AS count FROM patchbay_delivery_log');

  return {
    deliveryLog,
    /** Prints what is on record across runs, then closes the store (usage is flushed first). */
    async report(): Promise<void> {
      stopUsage();
      await usage.close();
      await client.query('INSERT INTO demo_runs DEFAULT VALUES');
      const deliveries = await count('SELECT count(*)::int AS count FROM patchbay_delivery_log');
      const records = (await usage.rows()).reduce((total, row) => total + row.records, 0);
      print(
        `\nDurable state (embedded PostgreSQL in ${options.dataDir ?? 'examples/call-centre/.demo-data/'}): ${earlierRuns} earlier run(s); ` +
          `${deliveries} deliveries (${deliveries - earlierDeliveries} this run) and ${records} usage records on record`,
      );
      await client.close();
    },
  };
}
