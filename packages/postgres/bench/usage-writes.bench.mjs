// Usage-record writes to PostgreSQL: how many records a second one PostgresUsageStore writes with
// batching (multi-row INSERT, one flush at a time), and what `record()` costs the call path.
// Method: for each batch size, enqueue ROUNDS × 50,000 records (the default queue bound; PGlite: one
// round), flushing after each round, and time from the first record() to the last resolved flush();
// the call-path cost is the mean time of one record() call, measured over 50,000 calls, (a) into an
// empty queue and (b) into a full queue whose database hangs (the drop path). Runs against
// PATCHBAY_BENCH_POSTGRES_URL / PATCHBAY_TEST_POSTGRES_URL, else starts a throwaway local server
// (scripts/test-servers/postgres-server.mjs), and PGlite for comparison.
// Run after a build: `./run bench postgres` (or `node packages/postgres/bench/usage-writes.bench.mjs`).
import { createPgClient, createPgliteClient, migrate, PostgresUsageStore } from '@patchbay/postgres';
import { startPostgres } from '../../../scripts/test-servers/postgres-server.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
const perRound = 50_000;

function record(index) {
  return {
    tenant: `tenant-${index % 100}`,
    kind: 'llm',
    provider: 'openai-main',
    vendor: 'openai',
    model: 'gpt-4o-mini',
    unit: index % 2 === 0 ? 'input_tokens' : 'output_tokens',
    quantity: 120,
    cost: 0.000018,
    currency: 'USD',
    latencyMs: 230,
    outcome: 'success',
    errorCode: undefined,
    correlationId: `req-${index}`,
    route: 'llm',
    attempt: 1,
    timestamp: new Date(Date.UTC(2026, 0, 1) + index).toISOString(),
  };
}

async function throughput(client, schema, batchSize, totalRounds) {
  await migrate(client, { schema });
  const store = new PostgresUsageStore(client, { schema, batchSize, flushIntervalMs: 0, maxQueue: perRound });
  const started = performance.now();
  let index = 0;
  for (let round = 0; round < totalRounds; round++) {
    for (let n = 0; n < perRound; n++) store.record(record(index++));
    await store.flush();
  }
  const seconds = (performance.now() - started) / 1000;
  const { dropped } = store.stats;
  await store.close();
  await client.query(`DROP SCHEMA ${schema} CASCADE`);
  if (dropped > 0) throw new Error(`${dropped} records dropped`);
  return index / seconds;
}

function enqueueCost(store, count) {
  const records = Array.from({ length: count }, (_, index) => record(index));
  const started = process.hrtime.bigint();
  for (const item of records) store.record(item);
  return Number(process.hrtime.bigint() - started) / count;
}

let server;
let url = process.env.PATCHBAY_BENCH_POSTGRES_URL || process.env.PATCHBAY_TEST_POSTGRES_URL;
if (!url) {
  server = await startPostgres();
  url = server?.url;
}
const format = (value) => Math.round(value).toLocaleString('en-US');
console.log(
  `PostgresUsageStore write throughput (${rounds} × ${perRound.toLocaleString('en-US')} records per server variant, 1 × ${perRound.toLocaleString('en-US')} for PGlite)`,
);
try {
  if (!url) {
    console.log('  no PostgreSQL server available (install the postgresql package): server figures skipped');
  } else {
    for (const batchSize of [100, 500, 2_000]) {
      const client = await createPgClient({ connectionString: url, max: 2 });
      const rate = await throughput(client, `bench_${batchSize}`, batchSize, rounds);
      await client.close();
      console.log(`  PostgreSQL 127.0.0.1, batch ${String(batchSize).padStart(5)}: ${format(rate)} records/s`);
    }
  }
  const pglite = await createPgliteClient();
  const rate = await throughput(pglite, 'bench_pglite', 500, 1);
  await pglite.close();
  console.log(`  PGlite (in-process), batch   500: ${format(rate)} records/s`);

  // Call-path cost: record() only queues.
  const idle = await createPgliteClient();
  const empty = new PostgresUsageStore(idle, { flushIntervalMs: 0, batchSize: 1_000_000, maxQueue: perRound });
  console.log(`  record() into the queue:            ${enqueueCost(empty, perRound).toFixed(0)} ns per call`);
  const hanging = {
    query: () => new Promise(() => {}),
    transaction: () => new Promise(() => {}),
    close: async () => {},
  };
  const full = new PostgresUsageStore(hanging, { flushIntervalMs: 0, maxQueue: 1_000 });
  enqueueCost(full, 1_000);
  full.flush().catch(() => {});
  console.log(
    `  record() while the database hangs:  ${enqueueCost(full, perRound).toFixed(0)} ns per call (dropped, counted: ${full.stats.dropped.toLocaleString('en-US')})`,
  );
  await idle.close();
} finally {
  await server?.stop();
}
