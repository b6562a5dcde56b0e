import { readdir, readFile } from 'node:fs/promises';
import type { SqlClient } from './sql-client.js';
import { resolveTables, type TableOptions } from './table-names.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface MigrationReport {
  /** Versions applied by this call, in order. */
  applied: number[];
  /** The schema version after the call. */
  version: number;
}

const migrationsDirectory = new URL('../migrations/', import.meta.url);

/** The SQL migrations shipped with the package, oldest first. */
export async function loadMigrations(): Promise<Migration[]> {
  const files = (await readdir(migrationsDirectory)).filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql: await readFile(new URL(file, migrationsDirectory), 'utf8'),
    })),
  );
}

function statements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((statement) =>
      statement
        .split('\n')
        .filter((line) => !line.trimStart().startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter((statement) => statement.length > 0);
}

/**
 * Brings the schema up to date: applies every shipped migration not yet recorded in the
 * `<prefix>migrations` table, in one transaction. Safe to run again and from several
 * processes at once: a transaction-scoped advisory lock lets one apply while the others wait and
 * then find nothing left to do.
 */
export async function migrate(client: SqlClient, options: TableOptions = {}): Promise<MigrationReport> {
  const tables = resolveTables(options);
  const migrations = await loadMigrations();
  const ledger = tables.table('migrations');
  const lockKey = `patchbay-migrations:${tables.schema}:${tables.prefix}`;
  const applied: number[] = [];
  let version = 0;
  await client.transaction(async (transaction) => {
    await transaction.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey]);
    await transaction.query(`CREATE SCHEMA IF NOT EXISTS ${tables.schema}`);
    await transaction.query(
      `CREATE TABLE IF NOT EXISTS ${ledger} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = await transaction.query<{ version: number }>(`SELECT version FROM ${ledger}`);
    const recorded = new Set(done.rows.map((row) => Number(row.version)));
    for (const migration of migrations) {
      if (recorded.has(migration.version)) continue;
      const sql = migration.sql.replaceAll('{{schema}}', tables.schema).replaceAll('{{prefix}}', tables.prefix);
      for (const statement of statements(sql)) await transaction.query(statement);
      await transaction.query(`INSERT INTO ${ledger} (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
      recorded.add(migration.version);
    }
    version = Math.max(0, ...recorded);
  });
  return { applied, version };
}
