import type { AuditLog, AuditQuery, AuditRecord } from '@patchbay/core';
import { BatchWriter, type BatchWriterOptions, type BatchWriterStats, valuesClause } from '../batch-writer.js';
import type { SqlClient } from '../sql-client.js';
import { resolveTables, type TableOptions } from '../table-names.js';

export interface PostgresAuditLogOptions extends TableOptions, BatchWriterOptions {}

interface Row {
  id: string;
  at: Date | string;
  actor: string | null;
  tenant: string | null;
  provider: string | null;
  route: string | null;
  action: AuditRecord['action'];
  outcome: AuditRecord['outcome'];
  fields: string[] | string;
  before: string | null;
  after: string | null;
  detail: string | null;
}

/**
 * Audit records in PostgreSQL. `record()` queues and returns at once (writes are batched off the
 * call path); `query()` first writes what is queued, so a caller reads its own records.
 */
export class PostgresAuditLog implements AuditLog {
  readonly #client: SqlClient;
  readonly #table: string;
  readonly #writer: BatchWriter<AuditRecord>;

  constructor(client: SqlClient, options: PostgresAuditLogOptions = {}) {
    this.#client = client;
    this.#table = resolveTables(options).table('audit_log');
    this.#writer = new BatchWriter((records) => this.#insert(records), options);
  }

  record(record: AuditRecord): void {
    this.#writer.enqueue(record);
  }

  get stats(): BatchWriterStats {
    return this.#writer.stats;
  }

  flush(): Promise<void> {
    return this.#writer.flush();
  }

  close(): Promise<void> {
    return this.#writer.close();
  }

  async #insert(records: readonly AuditRecord[]): Promise<void> {
    const values = valuesClause(
      records.map((r) => [
        r.id,
        r.at,
        r.actor,
        r.tenant,
        r.provider,
        r.route,
        r.action,
        r.outcome,
        JSON.stringify(r.fields),
        r.before,
        r.after,
        r.detail ?? null,
      ]),
    );
    // A record written twice (a retried batch whose first commit was not acknowledged) is kept once.
    await this.#client.query(
      `INSERT INTO ${this.#table} (id, at, actor, tenant, provider, route, action, outcome, fields, before, after, detail)
       VALUES ${values.text} ON CONFLICT (id) DO NOTHING`,
      values.params,
    );
  }

  async query(query: AuditQuery = {}): Promise<AuditRecord[]> {
    await this.#writer.flush().catch(() => {});
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (condition: (placeholder: string) => string, value: unknown) => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (query.tenant !== undefined) add((p) => `tenant = ${p}`, query.tenant);
    if (query.provider !== undefined) add((p) => `provider = ${p}`, query.provider);
    if (query.action !== undefined) add((p) => `action = ${p}`, query.action);
    if (query.since !== undefined) add((p) => `at >= ${p}::timestamptz`, query.since);
    if (query.until !== undefined) add((p) => `at < ${p}::timestamptz`, query.until);
    params.push(Math.max(0, Math.floor(query.limit ?? 100)));
    const result = await this.#client.query<Row>(
      `SELECT id, at, actor, tenant, provider, route, action, outcome, fields, before, after, detail
       FROM ${this.#table} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY at DESC, seq DESC LIMIT $${params.length}`,
      params,
    );
    return result.rows.map((row) => {
      const record: AuditRecord = {
        id: row.id,
        at: new Date(row.at).toISOString(),
        actor: row.actor,
        tenant: row.tenant,
        provider: row.provider,
        route: row.route,
        action: row.action,
        outcome: row.outcome,
        fields: typeof row.fields === 'string' ? (JSON.parse(row.fields) as string[]) : row.fields,
        before: row.before,
        after: row.after,
      };
      if (row.detail !== null) record.detail = row.detail;
      return record;
    });
  }
}
