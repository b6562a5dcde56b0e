import type { SealedCredentialStorage, SealedEntry, SealedRow } from '@patchbay/core';
import type { SqlClient } from '../sql-client.js';
import { resolveTables, type TableOptions } from '../table-names.js';
import { checkIdentifier } from './storable-text.js';

interface Row {
  tenant: string;
  provider: string;
  sealed: string;
  version: string | number;
}

/** The key id of a sealed value (`pb2.<key id>.…`), kept in its own column so rotation progress can be queried. */
function keyIdOf(sealed: string): string | null {
  const parts = sealed.split('.', 3);
  return parts.length === 3 ? (parts[1] as string) : null;
}

/**
 * Sealed credentials in one table: ciphertext rows with their key id and a version that makes
 * re-encryption a compare-and-set. Pass it to `EncryptedCredentialStore`; plaintext never reaches
 * the database.
 */
export class PostgresSealedCredentialStorage implements SealedCredentialStorage {
  readonly #client: SqlClient;
  readonly #table: string;

  constructor(client: SqlClient, options: TableOptions = {}) {
    this.#client = client;
    this.#table = resolveTables(options).table('sealed_credentials');
  }

  async read(tenant: string, provider: string): Promise<SealedEntry | undefined> {
    checkIdentifier(tenant, 'tenant');
    checkIdentifier(provider, 'provider');
    const result = await this.#client.query<Row>(
      `SELECT sealed, version FROM ${this.#table} WHERE tenant = $1 AND provider = $2`,
      [tenant, provider],
    );
    const row = result.rows[0];
    return row === undefined ? undefined : { sealed: row.sealed, version: Number(row.version) };
  }

  async write(tenant: string, provider: string, sealed: string): Promise<void> {
    checkIdentifier(tenant, 'tenant');
    checkIdentifier(provider, 'provider');
    await this.#client.query(
      `INSERT INTO ${this.#table} AS t (tenant, provider, sealed, key_id, version) VALUES ($1, $2, $3, $4, 1)
       ON CONFLICT (tenant, provider) DO UPDATE SET sealed = EXCLUDED.sealed, key_id = EXCLUDED.key_id,
       version = t.version + 1, updated_at = now()`,
      [tenant, provider, sealed, keyIdOf(sealed)],
    );
  }

  async replace(tenant: string, provider: string, sealed: string, version: number): Promise<boolean> {
    checkIdentifier(tenant, 'tenant');
    checkIdentifier(provider, 'provider');
    const result = await this.#client.query(
      `UPDATE ${this.#table} SET sealed = $3, key_id = $4, version = version + 1, updated_at = now()
       WHERE tenant = $1 AND provider = $2 AND version = $5`,
      [tenant, provider, sealed, keyIdOf(sealed), version],
    );
    return result.rowCount === 1;
  }

  async remove(tenant: string, provider: string): Promise<void> {
    checkIdentifier(tenant, 'tenant');
    checkIdentifier(provider, 'provider');
    await this.#client.query(`DELETE FROM ${this.#table} WHERE tenant = $1 AND provider = $2`, [tenant, provider]);
  }

  /** Every row, read in pages of 500 by primary key, so a large table is never held in memory at once. */
  async *entries(): AsyncIterable<SealedRow> {
    let after: [string, string] | undefined;
    for (;;) {
      const result = await this.#client.query<Row>(
        after === undefined
          ? `SELECT tenant, provider, sealed, version FROM ${this.#table} ORDER BY tenant, provider LIMIT 500`
          : `SELECT tenant, provider, sealed, version FROM ${this.#table} WHERE (tenant, provider) > ($1, $2)
             ORDER BY tenant, provider LIMIT 500`,
        after,
      );
      for (const row of result.rows) {
        yield { tenant: row.tenant, provider: row.provider, sealed: row.sealed, version: Number(row.version) };
      }
      if (result.rows.length < 500) return;
      const last = result.rows[result.rows.length - 1] as Row;
      after = [last.tenant, last.provider];
    }
  }

  /** Rows per key id: how far a rotation has come. */
  async countByKeyId(): Promise<Record<string, number>> {
    const result = await this.#client.query<{ key_id: string | null; count: string | number }>(
      `SELECT key_id, count(*) AS count FROM ${this.#table} GROUP BY key_id`,
    );
    const counts: Record<string, number> = Object.create(null);
    for (const row of result.rows) counts[row.key_id ?? ''] = Number(row.count);
    return counts;
  }
}
