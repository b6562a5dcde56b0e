import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PatchbayError } from '@patchbay/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { migrate } from './migrate.js';
import { createPgClient, createPgliteClient } from './sql-client.js';
import { runOnSources } from './test-support/child-process.js';
import {
  closeSharedClients,
  databaseKinds,
  openTestDatabase,
  postgresUrl,
  sharedClient,
  type TestDatabase,
  uniqueSchema,
} from './test-support/databases.js';

const bin = fileURLToPath(new URL('../bin/patchbay-postgres.js', import.meta.url));

afterAll(closeSharedClients);

describe.each(databaseKinds)('migrate (%s)', (kind) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it('applies every shipped migration once and records it', async () => {
    database = await openTestDatabase(kind, { migrate: false });
    const first = await migrate(database.client, { schema: database.schema });
    expect(first.applied).toEqual([1]);
    expect(first.version).toBe(1);
    const again = await migrate(database.client, { schema: database.schema });
    expect(again).toEqual({ applied: [], version: 1 });
    const ledger = await database.client.query<{ version: number; name: string }>(
      `SELECT version, name FROM ${database.schema}.patchbay_migrations`,
    );
    expect(ledger.rows).toEqual([{ version: 1, name: 'initial' }]);
  });

  it('keeps two table prefixes in one schema apart', async () => {
    database = await openTestDatabase(kind, { migrate: false });
    await migrate(database.client, { schema: database.schema, tablePrefix: 'blue_' });
    await migrate(database.client, { schema: database.schema, tablePrefix: 'green_' });
    const tables = await database.client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name LIKE '%audit_log'
       ORDER BY table_name`,
      [database.schema],
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual(['blue_audit_log', 'green_audit_log']);
  });
});

describe('migrate', () => {
  it.runIf(postgresUrl)('from several connections at once applies each migration exactly once', async () => {
    const schema = uniqueSchema();
    const clients = await Promise.all(
      Array.from({ length: 5 }, () => createPgClient({ connectionString: postgresUrl as string, max: 1 })),
    );
    try {
      const reports = await Promise.all(clients.map((client) => migrate(client, { schema })));
      expect(reports.flatMap((report) => report.applied)).toEqual([1]);
      expect(reports.every((report) => report.version === 1)).toBe(true);
    } finally {
      await clients[0]?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await Promise.all(clients.map((client) => client.close()));
    }
  });

  it('refuses a schema or prefix that is not a plain identifier, naming the field', async () => {
    const client = await sharedClient('pglite');
    const failure = await migrate(client, { schema: 'public; DROP TABLE x' }).catch((error: unknown) => error);
    expect(PatchbayError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ code: 'invalid_request', details: { field: 'schema' } });
    await expect(migrate(client, { tablePrefix: 'A"' })).rejects.toMatchObject({ details: { field: 'tablePrefix' } });
  });
});

describe('patchbay-postgres migrate (child process)', () => {
  it('migrates a PGlite directory, then finds it up to date', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'patchbay-cli-'));
    try {
      const first = await runOnSources(bin, ['migrate', '--pglite', directory]);
      expect(first.stderr).toBe('');
      expect(first.stdout).toBe('Applied migration(s) 1; schema version 1.\n');
      expect(first.code).toBe(0);
      const second = await runOnSources(bin, ['migrate', '--pglite', directory]);
      expect(second.stdout).toBe('Schema up to date (version 1).\n');
      const client = await createPgliteClient({ dataDir: directory });
      const count = await client.query<{ count: number }>('SELECT count(*)::int AS count FROM patchbay_migrations');
      await client.close();
      expect(count.rows[0]?.count).toBe(1);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, 60_000);

  it.runIf(postgresUrl)(
    'migrates a server by URL into a schema, printing no connection string',
    async () => {
      const schema = uniqueSchema();
      const secretUrl = (postgresUrl as string).replace('postgres@', 'postgres:hunter2-password@');
      const result = await runOnSources(bin, ['migrate', '--url', secretUrl, '--schema', schema]);
      const client = await sharedClient('postgres');
      const tables = await client.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM information_schema.tables WHERE table_schema = $1',
        [schema],
      );
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      expect(result.stdout).toBe('Applied migration(s) 1; schema version 1.\n');
      expect(result.code).toBe(0);
      expect(tables.rows[0]?.count).toBe(11);
      expect(result.stdout + result.stderr).not.toContain('hunter2');
    },
    60_000,
  );

  it('explains its usage and exits 2 without a target', async () => {
    const result = await runOnSources(bin, ['migrate'], { PATCHBAY_POSTGRES_URL: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No database given: pass --url');
  }, 60_000);
});
