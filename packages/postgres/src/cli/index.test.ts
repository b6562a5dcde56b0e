import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runOnSources } from '../test-support/child-process.js';
import { closeSharedClients, postgresUrl, sharedClient, uniqueSchema } from '../test-support/databases.js';
import { redactConnectionSecrets } from './connection-string.js';
import { runCli } from './index.js';

const bin = fileURLToPath(new URL('../../bin/patchbay-postgres.js', import.meta.url));

// Port 1 on 127.0.0.1: nothing listens there, so a connection is refused at once and nothing is contacted.
const password = 's3cret-pass';
const refusedUrl = `postgres://user:${password}@127.0.0.1:1/db`;

/**
 * Fails if any 6 characters in a row of the password appear in `text`: pg can print a password cut short (a
 * database name read from a malformed URL loses its first character).
 */
function expectNoPasswordIn(text: string): void {
  for (let start = 0; start + 6 <= password.length; start++) {
    expect(text, 'a piece of the password is printed').not.toContain(password.slice(start, start + 6));
  }
}

async function run(argv: readonly string[]): Promise<{ code: number; out: string; error: string }> {
  const out: string[] = [];
  const error: string[] = [];
  const code = await runCli(argv, { out: (line) => out.push(line), error: (line) => error.push(line) });
  return { code, out: out.join('\n'), error: error.join('\n') };
}

/** `url` with the test server's credentials swapped for a password, so the run shows whether it is printed. */
function serverUrlWithPassword(): string {
  return (postgresUrl as string).replace('postgres@', `postgres:${password}@`);
}

async function tablesIn(schema: string): Promise<number> {
  const client = await sharedClient('postgres');
  const tables = await client.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM information_schema.tables WHERE table_schema = $1',
    [schema],
  );
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  return tables.rows[0]?.count ?? 0;
}

afterAll(closeSharedClients);
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('patchbay-postgres migrate: PATCHBAY_POSTGRES_URL', () => {
  it('connects with PATCHBAY_POSTGRES_URL when --url is not given', async () => {
    vi.stubEnv('PATCHBAY_POSTGRES_URL', refusedUrl);
    const result = await run(['migrate']);
    expect(result.code).toBe(1);
    expect(result.error).toBe(
      'Could not connect to PostgreSQL with PATCHBAY_POSTGRES_URL: connect ECONNREFUSED 127.0.0.1:1',
    );
  });

  it.runIf(postgresUrl)('migrates the server PATCHBAY_POSTGRES_URL names when --url is not given', async () => {
    const schema = uniqueSchema();
    vi.stubEnv('PATCHBAY_POSTGRES_URL', postgresUrl);
    const result = await run(['migrate', '--schema', schema]);
    expect(result).toEqual({ code: 0, out: 'Applied migration(s) 1; schema version 1.', error: '' });
    expect(await tablesIn(schema)).toBe(11);
  });

  it('an explicit --url wins over PATCHBAY_POSTGRES_URL', async () => {
    vi.stubEnv('PATCHBAY_POSTGRES_URL', 'postgres://user:env-pass@127.0.0.1:2/db');
    const result = await run(['migrate', '--url', refusedUrl]);
    expect(result.code).toBe(1);
    expect(result.error).toBe('Could not connect to PostgreSQL with --url: connect ECONNREFUSED 127.0.0.1:1');
  });

  it.runIf(postgresUrl)('an explicit --url to a server wins over a PATCHBAY_POSTGRES_URL that is down', async () => {
    const schema = uniqueSchema();
    vi.stubEnv('PATCHBAY_POSTGRES_URL', refusedUrl);
    const result = await run(['migrate', '--url', postgresUrl as string, '--schema', schema]);
    expect(result).toEqual({ code: 0, out: 'Applied migration(s) 1; schema version 1.', error: '' });
    expect(await tablesIn(schema)).toBe(11);
  });

  it('--pglite wins over PATCHBAY_POSTGRES_URL', async () => {
    vi.stubEnv('PATCHBAY_POSTGRES_URL', refusedUrl);
    const directory = mkdtempSync(join(tmpdir(), 'patchbay-cli-'));
    try {
      const result = await run(['migrate', '--pglite', directory]);
      expect(result).toEqual({ code: 0, out: 'Applied migration(s) 1; schema version 1.', error: '' });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('a PATCHBAY_POSTGRES_URL set but empty counts as unset', async () => {
    vi.stubEnv('PATCHBAY_POSTGRES_URL', '');
    const result = await run(['migrate']);
    expect(result.code).toBe(2);
    expect(result.error).toMatch(/^No database given: pass --url <postgres:\/\/…> \(or set PATCHBAY_POSTGRES_URL\)/);
  });
});

describe('patchbay-postgres migrate: failure messages never echo the connection string', () => {
  it('with no --url, --pglite or PATCHBAY_POSTGRES_URL names what is missing and exits 2', async () => {
    vi.stubEnv('PATCHBAY_POSTGRES_URL', undefined);
    const result = await run(['migrate']);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.error).toMatch(
      /^No database given: pass --url <postgres:\/\/…> \(or set PATCHBAY_POSTGRES_URL\) or --pglite <directory>\.\n\nUsage: /,
    );
  });

  it('with both --url and --pglite names the conflict and exits 2, printing neither', async () => {
    const result = await run(['migrate', '--url', refusedUrl, '--pglite', './unused-directory']);
    expect(result.code).toBe(2);
    expect(result.error).toMatch(/^Give either --url or --pglite, not both\./);
    expectNoPasswordIn(result.out + result.error);
  });

  it('a refused connection names --url and the address, exits 1, and never prints the password', async () => {
    const result = await run(['migrate', '--url', refusedUrl]);
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.error).toBe('Could not connect to PostgreSQL with --url: connect ECONNREFUSED 127.0.0.1:1');
  });

  it.each([
    ['--url', ['migrate', '--url', `postgres://user:${password}@127.0.0.1:notaport/db`], undefined],
    ['PATCHBAY_POSTGRES_URL', ['migrate'], `postgres://user:${password}@127.0.0.1:99999/db`],
  ])('a malformed %s is refused by name, exit 2, without echoing it', async (source, argv, environment) => {
    vi.stubEnv('PATCHBAY_POSTGRES_URL', environment);
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.error).toBe(
      `${source} is not a valid connection string: expected postgres://user:password@host:port/database, with a numeric port and special characters in the user name and password percent-encoded (the value is not shown: it may hold a password).`,
    );
  });

  it.each([
    ['--url', ['migrate', '--url', `user:${password}@127.0.0.1:1/db`], undefined],
    ['PATCHBAY_POSTGRES_URL', ['migrate'], `mysql://user:${password}@127.0.0.1:1/db`],
  ])(
    'a %s that is not a postgres:// connection string is refused by name, exit 2',
    async (source, argv, environment) => {
      vi.stubEnv('PATCHBAY_POSTGRES_URL', environment);
      const result = await run(argv);
      expect(result.code).toBe(2);
      expect(result.error).toBe(
        `${source} is not a PostgreSQL connection string: expected postgres://user:password@host:port/database (the value is not shown: it may hold a password).`,
      );
    },
  );

  // Without `//` after the scheme, pg reads the rest as a path on its default host: the part holding the
  // password becomes the database name, which the server then prints back ("database "3cret-pass@…" does not
  // exist", before this check).
  // Parameters steer it to the test server here; a server on localhost:5432 would do the same.
  it.runIf(postgresUrl)(
    'a --url without // after postgres: never reaches a server that would print its password',
    async () => {
      const port = new URL(postgresUrl as string).port;
      const result = await run([
        'migrate',
        '--url',
        `postgres:${password}@127.0.0.1/db?host=127.0.0.1&port=${port}&user=postgres`,
      ]);
      expectNoPasswordIn(result.out + result.error);
      expect(result.code).toBe(2);
      expect(result.error).toMatch(/^--url is not a PostgreSQL connection string/);
    },
  );

  it.runIf(postgresUrl)(
    'a server refusing the connection is named with --url, exit 1, without the password',
    async () => {
      const result = await run(['migrate', '--url', serverUrlWithPassword().replace(/\/[^/]*$/, '/no_such_database')]);
      expect(result.code).toBe(1);
      expect(result.error).toMatch(/^Could not connect to PostgreSQL with --url: .*no_such_database/);
      expectNoPasswordIn(result.out + result.error);
    },
  );

  it('the bin exits non-zero and prints neither the URL nor the password, given by --url or PATCHBAY_POSTGRES_URL', async () => {
    const byOption = await runOnSources(bin, ['migrate', '--url', refusedUrl], { PATCHBAY_POSTGRES_URL: '' });
    expect(byOption.code).toBe(1);
    expect(byOption.stdout).toBe('');
    expect(byOption.stderr).toBe('Could not connect to PostgreSQL with --url: connect ECONNREFUSED 127.0.0.1:1\n');
    const byEnvironment = await runOnSources(bin, ['migrate'], {
      PATCHBAY_POSTGRES_URL: `postgres://user:${password}@127.0.0.1:notaport/db`,
    });
    expect(byEnvironment.code).toBe(2);
    expect(byEnvironment.stdout).toBe('');
    expect(byEnvironment.stderr).toMatch(/^PATCHBAY_POSTGRES_URL is not a valid connection string: /);
    expectNoPasswordIn(byEnvironment.stdout + byEnvironment.stderr);
  }, 60_000);

  it('redacts the connection string and its password, as typed, decoded or as a password= parameter', () => {
    const url = 'postgres://user:p%40ss-word@127.0.0.1:1/db?password=other-secret';
    const text = `url ${url}; typed p%40ss-word; decoded p@ss-word; parameter other-secret; user user`;
    expect(redactConnectionSecrets(text, url)).toBe('url ***; typed ***; decoded ***; parameter ***; user user');
  });

  it('finds the password though an @ comes later in the URL (a query value)', () => {
    const url = 'postgres://user:s3cret-pass@127.0.0.1:1/db?application_name=a@b';
    expect(redactConnectionSecrets('connecting with s3cret-pass failed', url)).toBe('connecting with *** failed');
  });
});
