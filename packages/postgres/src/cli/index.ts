// The `patchbay-postgres` command: `patchbay-postgres migrate --url postgres://… | --pglite ./data`.
import { parseArgs } from 'node:util';
import { migrate } from '../migrate.js';
import { createPgClient, createPgliteClient, type SqlClient } from '../sql-client.js';
import { failureMessage, isConnectionString, redactConnectionSecrets } from './connection-string.js';

export interface CliOutput {
  out(line: string): void;
  error(line: string): void;
}

const usage = `Usage: patchbay-postgres migrate (--url <postgres://…> | --pglite <directory>) [--schema <name>] [--table-prefix <prefix>]

  --url            a PostgreSQL connection string (else PATCHBAY_POSTGRES_URL, unless --pglite is given)
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
  if (values.url !== undefined && values.pglite !== undefined) {
    output.error(`Give either --url or --pglite, not both.\n\n${usage}`);
    return 2;
  }
  // PATCHBAY_POSTGRES_URL stands in for --url when neither option is given; set but empty, it counts as unset.
  const fromEnvironment = values.url === undefined && values.pglite === undefined;
  const url = fromEnvironment ? process.env.PATCHBAY_POSTGRES_URL || undefined : values.url;
  const source = fromEnvironment ? 'PATCHBAY_POSTGRES_URL' : '--url';
  if (url === undefined && values.pglite === undefined) {
    output.error(
      `No database given: pass --url <postgres://…> (or set PATCHBAY_POSTGRES_URL) or --pglite <directory>.\n\n${usage}`,
    );
    return 2;
  }
  if (url !== undefined && !isConnectionString(url)) {
    output.error(`${source} is not a PostgreSQL connection string: expected ${expected} ${notShown}`);
    return 2;
  }
  let client: SqlClient | undefined;
  try {
    if (url === undefined) {
      client = await createPgliteClient({ dataDir: values.pglite });
    } else {
      client = await createPgClient({ connectionString: url, max: 1 });
      const failure = await client.query('SELECT 1').then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
      if (failure !== undefined) return connectionFailed(output, source, url, failure.error);
    }
    const report = await migrate(client, { schema: values.schema, tablePrefix: values['table-prefix'] });
    output.out(
      report.applied.length > 0
        ? `Applied migration(s) ${report.applied.join(', ')}; schema version ${report.version}.`
        : `Schema up to date (version ${report.version}).`,
    );
    return 0;
  } catch (error) {
    const message = failureMessage(error);
    output.error(`Migration failed: ${url === undefined ? message : redactConnectionSecrets(message, url)}`);
    return 1;
  } finally {
    await client?.close().catch(() => {});
  }
}

const expected = 'postgres://user:password@host:port/database';
const notShown = '(the value is not shown: it may hold a password).';

function connectionFailed(output: CliOutput, source: string, url: string, error: unknown): number {
  if ((error as { code?: unknown } | null)?.code === 'ERR_INVALID_URL') {
    output.error(
      `${source} is not a valid connection string: expected ${expected}, with a numeric port and special characters in the user name and password percent-encoded ${notShown}`,
    );
    return 2;
  }
  output.error(
    `Could not connect to PostgreSQL with ${source}: ${redactConnectionSecrets(failureMessage(error), url)}`,
  );
  return 1;
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
