// The `patchbay-postgres` command: `patchbay-postgres migrate --url postgres://… | --pglite ./data`.
import { parseArgs } from 'node:util';
import { migrate } from '../migrate.js';
import { createPgClient, createPgliteClient, type SqlClient } from '../sql-client.js';

export interface CliOutput {
  out(line: string): void;
  error(line: string): void;
}

const usage = `Usage: patchbay-postgres migrate (--url <postgres://…> | --pglite <directory>) [--schema <name>] [--table-prefix <prefix>]

  --url            a PostgreSQL connection string (or set PATCHBAY_POSTGRES_URL)
  --pglite         an embedded PGlite data directory (created when missing)
  --schema         schema holding the tables (default public)
  --table-prefix   prefix of every table (default patchbay_)`;

/** Runs the command; answers the exit code. Never prints the connection string (it may hold a password). */
export async function runCli(argv: readonly string[], output: CliOutput): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    output.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const { positionals, values } = parsed;
  if (positionals[0] !== 'migrate' || positionals.length !== 1) {
    output.error(usage);
    return 2;
  }
  const url = values.url ?? (process.env.PATCHBAY_POSTGRES_URL || undefined);
  if ((url === undefined) === (values.pglite === undefined)) {
    output.error(`Give exactly one of --url and --pglite.\n\n${usage}`);
    return 2;
  }
  let client: SqlClient | undefined;
  try {
    client =
      values.pglite !== undefined
        ? await createPgliteClient({ dataDir: values.pglite })
        : await createPgClient({ connectionString: url as string, max: 1 });
    const report = await migrate(client, { schema: values.schema, tablePrefix: values['table-prefix'] });
    output.out(
      report.applied.length > 0
        ? `Applied migration(s) ${report.applied.join(', ')}; schema version ${report.version}.`
        : `Schema up to date (version ${report.version}).`,
    );
    return 0;
  } catch (error) {
    output.error(`Migration failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await client?.close().catch(() => {});
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      pglite: { type: 'string' },
      schema: { type: 'string' },
      'table-prefix': { type: 'string' },
    },
  });
}
