import { PatchbayError } from '@patchbay/core/adapter';

/** What a query answers: the rows and how many rows it changed. */
export interface SqlResult<Row> {
  rows: Row[];
  rowCount: number;
}

/**
 * The one query interface every store uses. A `pg` `Pool` (`fromPgPool`) and PGlite
 * (`createPgliteClient`) both satisfy it; anything else that speaks PostgreSQL's `$1` parameters can.
 */
export interface SqlClient {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<Row>>;
  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T>;
  /** Releases what this client opened (a pool it created, an embedded database). */
  close(): Promise<void>;
}

/** The part of `pg`'s `Pool` used here, so the types do not require `pg` to be installed. */
export interface PgPoolLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
  connect(): Promise<PgPoolClientLike>;
  end(): Promise<void>;
}

export interface PgPoolClientLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
  release(error?: Error | boolean): void;
}

type Queryable = Pick<PgPoolClientLike, 'query'>;

function pgQuery(target: Queryable) {
  return async <Row>(text: string, params?: readonly unknown[]): Promise<SqlResult<Row>> => {
    const result = await target.query(text, params === undefined ? undefined : [...params]);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  };
}

function insideTransaction(query: SqlClient['query']): SqlClient {
  const client: SqlClient = {
    query,
    // Already in one: nested work joins it (PostgreSQL has no nested BEGIN).
    transaction: (work) => work(client),
    close: async () => {},
  };
  return client;
}

export interface PgPoolClientOptions {
  /** End the pool on `close()` (default false: the pool is yours). */
  ownsPool?: boolean | undefined;
}

/** Wraps a user-supplied `pg` `Pool`. `close()` leaves the pool open unless `ownsPool`. */
export function fromPgPool(pool: PgPoolLike, options: PgPoolClientOptions = {}): SqlClient {
  return {
    query: pgQuery(pool),
    async transaction(work) {
      const connection = await pool.connect();
      try {
        await connection.query('BEGIN');
        const result = await work(insideTransaction(pgQuery(connection)));
        await connection.query('COMMIT');
        connection.release();
        return result;
      } catch (error) {
        try {
          await connection.query('ROLLBACK');
          connection.release();
        } catch {
          // A connection that cannot even roll back is broken: the pool discards it.
          connection.release(true);
        }
        throw error;
      }
    },
    close: async () => {
      if (options.ownsPool) await pool.end();
    },
  };
}

export interface PgClientSettings {
  /** `postgres://user:password@host:port/database`. */
  connectionString: string;
  /** Pool size (default 10). */
  max?: number | undefined;
}

/** Opens a `pg` pool (loaded lazily: `pg` is an optional peer dependency) owned by the client. */
export async function createPgClient(settings: PgClientSettings): Promise<SqlClient> {
  const pg = await loadOptional<{ default: { Pool: new (config: object) => PgPoolLike } }>('pg');
  const pool = new pg.default.Pool({ connectionString: settings.connectionString, max: settings.max ?? 10 });
  return fromPgPool(pool, { ownsPool: true });
}

export interface PgliteClientSettings {
  /** Where the database lives: a directory (created when missing); omit for memory only. */
  dataDir?: string | undefined;
}

interface PgliteQueryable {
  query<Row>(text: string, params?: unknown[]): Promise<{ rows: Row[]; affectedRows?: number }>;
}

interface PgliteDatabase extends PgliteQueryable {
  transaction<T>(work: (tx: PgliteQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function pgliteQuery(target: PgliteQueryable) {
  return async <Row>(text: string, params?: readonly unknown[]): Promise<SqlResult<Row>> => {
    const result = await target.query<Row>(text, params === undefined ? undefined : [...params]);
    return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
  };
}

/**
 * Embedded PostgreSQL (PGlite, compiled to WebAssembly, in this process): durable storage with no
 * server to run. `@electric-sql/pglite` is an optional peer dependency, loaded on first use.
 * One process at a time may open a data directory.
 */
export async function createPgliteClient(settings: PgliteClientSettings = {}): Promise<SqlClient> {
  const module = await loadOptional<{ PGlite: { create(dataDir?: string): Promise<PgliteDatabase> } }>(
    '@electric-sql/pglite',
  );
  const database = await module.PGlite.create(settings.dataDir);
  return fromPglite(database);
}

/** Wraps a PGlite instance you created yourself. `close()` closes it. */
export function fromPglite(database: PgliteDatabase): SqlClient {
  return {
    query: pgliteQuery(database),
    transaction: (work) => database.transaction((tx) => work(insideTransaction(pgliteQuery(tx)))),
    close: () => database.close(),
  };
}

async function loadOptional<T>(name: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    const missing = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
    if (!missing) throw error;
    throw new PatchbayError({
      code: 'not_configured',
      message: `The optional dependency "${name}" is not installed: add it to your project (npm install ${name})`,
    });
  }
}
