import { PatchbayError } from '@patchbay/core/adapter';

export interface TableOptions {
  /** Schema holding the tables (default `public`); created when missing. */
  schema?: string | undefined;
  /** Prefix of every table name (default `patchbay_`). */
  tablePrefix?: string | undefined;
}

const identifier = /^[a-z_][a-z0-9_]{0,39}$/;
const prefixPattern = /^[a-z_][a-z0-9_]{0,19}$|^$/;

export interface ResolvedTables {
  schema: string;
  prefix: string;
  /** `schema.prefixname`, safe to splice into SQL: both parts were checked against a strict pattern. */
  table(name: string): string;
}

/** Checks the names once: they are spliced into SQL text, so only plain lower-case identifiers pass. */
export function resolveTables(options: TableOptions = {}): ResolvedTables {
  const schema = options.schema ?? 'public';
  const prefix = options.tablePrefix ?? 'patchbay_';
  if (!identifier.test(schema)) {
    throw new PatchbayError({
      code: 'invalid_request',
      message: 'schema must be 1–40 characters of a-z 0-9 _ and not start with a digit',
      details: { field: 'schema' },
    });
  }
  if (!prefixPattern.test(prefix)) {
    throw new PatchbayError({
      code: 'invalid_request',
      message: 'tablePrefix must be up to 20 characters of a-z 0-9 _ and not start with a digit',
      details: { field: 'tablePrefix' },
    });
  }
  return { schema, prefix, table: (name) => `${schema}.${prefix}${name}` };
}
