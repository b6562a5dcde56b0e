// Child process for the durability test: writes usage records in rounds, printing `flushed <n>`
// after each flush resolves, until it is killed.
import { createPgClient } from '../sql-client.js';
import { PostgresUsageStore } from '../stores/postgres-usage-store.js';
import { usageRecord } from './usage-records.js';

const [url, schema] = process.argv.slice(2) as [string, string];
const client = await createPgClient({ connectionString: url, max: 2 });
const usage = new PostgresUsageStore(client, { schema, flushIntervalMs: 5 });
let sent = 0;
for (;;) {
  for (let index = 0; index < 200; index++) {
    const record = usageRecord(new Date().toISOString(), {
      quantity: 1,
      cost: null,
      currency: null,
      latencyMs: 1,
      correlationId: `record-${sent}`,
    });
    usage.record(record);
    sent++;
  }
  await usage.flush();
  process.stdout.write(`flushed ${sent}\n`);
}
