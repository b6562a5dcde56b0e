// Test helpers: every store test runs against embedded PGlite and, when the test command started
// one, the real PostgreSQL server — each test in a schema of its own so tests never see each other.
import { randomUUID } from 'node:crypto';
import { vi } from 'vitest';
import { migrate } from '../migrate.js';
import { createPgClient, createPgliteClient, type SqlClient } from '../sql-client.js';

// The first test of a file starts PGlite (WebAssembly): seconds on a loaded machine, so the
// store tests get more time than the default 15 s. Only this package's test files import this module.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

export interface TestDatabase {
  client: SqlClient;
  schema: string;
  /** Drops the schema. */
  dispose(): Promise<void>;
}

export type DatabaseKind = 'pglite' | 'postgres';

export const postgresUrl = process.env.PATCHBAY_TEST_POSTGRES_URL;

/** The kinds to run: PGlite always; the server when its URL is set. */
export const databaseKinds: DatabaseKind[] = postgresUrl ? ['pglite', 'postgres'] : ['pglite'];

// PGlite takes seconds to start (WebAssembly): one per test file, a schema per test.
const clients = new Map<DatabaseKind, Promise<SqlClient>>();

export function sharedClient(kind: DatabaseKind): Promise<SqlClient> {
  let client = clients.get(kind);
  if (client === undefined) {
    client =
      kind === 'pglite' ? createPgliteClient() : createPgClient({ connectionString: postgresUrl as string, max: 8 });
    clients.set(kind, client);
  }
  return client;
}

/** Closes the shared clients (call in afterAll). */
export async function closeSharedClients(): Promise<void> {
  const open = [...clients.values()];
  clients.clear();
  await Promise.all(open.map(async (client) => (await client).close()));
}

export function uniqueSchema(): string {
  return `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
}

export async function openTestDatabase(kind: DatabaseKind, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const schema = uniqueSchema();
  const client = await sharedClient(kind);
  if (options.migrate !== false) await migrate(client, { schema });
  return {
    client,
    schema,
    async dispose() {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}
