import type { StatusHistoryQuery, StatusHistoryStore, StatusSample } from '@patchbay/core';
import { BatchWriter, type BatchWriterOptions, type BatchWriterStats, valuesClause } from '../batch-writer.js';
import type { SqlClient } from '../sql-client.js';
import { resolveTables, type TableOptions } from '../table-names.js';

export interface PostgresStatusHistoryOptions extends TableOptions, BatchWriterOptions {}

export interface StatusRetention {
  /** Samples older than this are rolled up into daily counts per status (default 7 days). */
  rawRetentionMs?: number | undefined;
  /** Daily counts older than this are deleted (default 90 days). */
  dailyRetentionMs?: number | undefined;
}

export interface StatusDailyRow {
  day: string;
  provider: string;
  tenant: string | null;
  status: StatusSample['status'];
  samples: number;
  /** Mean latency of the samples that had one; null when none did. */
  meanLatencyMs: number | null;
}

interface Row {
  provider: string;
  tenant: string | null;
  at: string | number;
  status: StatusSample['status'];
  latency_ms: number | null;
  code: string | null;
}

const dayMs = 86_400_000;

/** The status monitor's history in PostgreSQL; `append()` queues (batched writes), `query()` flushes first. */
export class PostgresStatusHistoryStore implements StatusHistoryStore {
  readonly #client: SqlClient;
  readonly #table: string;
  readonly #daily: string;
  readonly #writer: BatchWriter<StatusSample>;

  constructor(client: SqlClient, options: PostgresStatusHistoryOptions = {}) {
    this.#client = client;
    const tables = resolveTables(options);
    this.#table = tables.table('status_samples');
    this.#daily = tables.table('status_daily');
    this.#writer = new BatchWriter((samples) => this.#insert(samples), options);
  }

  append(sample: StatusSample): void {
    this.#writer.enqueue(sample);
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

  async #insert(samples: readonly StatusSample[]): Promise<void> {
    const values = valuesClause(
      samples.map((s) => [s.provider, s.tenant, s.at, s.status, s.latencyMs, s.code ?? null]),
    );
    await this.#client.query(
      `INSERT INTO ${this.#table} (provider, tenant, at, status, latency_ms, code) VALUES ${values.text}`,
      values.params,
    );
  }

  /** Oldest first; with `limit`, the most recent `limit` matches. */
  async query(query: StatusHistoryQuery = {}): Promise<StatusSample[]> {
    await this.#writer.flush().catch(() => {});
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (condition: (placeholder: string) => string, value: unknown) => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (query.provider !== undefined) add((p) => `provider = ${p}`, query.provider);
    if (query.tenant === null) where.push('tenant IS NULL');
    else if (query.tenant !== undefined) add((p) => `tenant = ${p}`, query.tenant);
    if (query.since !== undefined) add((p) => `at >= ${p}`, query.since);
    if (query.until !== undefined) add((p) => `at < ${p}`, query.until);
    let limit = '';
    if (query.limit !== undefined) {
      params.push(Math.max(0, Math.floor(query.limit)));
      limit = `LIMIT $${params.length}`;
    }
    const result = await this.#client.query<Row>(
      `SELECT provider, tenant, at, status, latency_ms, code FROM (
         SELECT seq, provider, tenant, at, status, latency_ms, code FROM ${this.#table}
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY at DESC, seq DESC ${limit}
       ) recent ORDER BY at, seq`,
      params,
    );
    return result.rows.map((row) => {
      const sample: StatusSample = {
        provider: row.provider,
        tenant: row.tenant,
        at: Number(row.at),
        status: row.status,
        latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
      };
      if (row.code !== null) sample.code = row.code;
      return sample;
    });
  }

  /** Daily counts per status, oldest first. */
  async daily(query: { provider?: string | undefined } = {}): Promise<StatusDailyRow[]> {
    const result = await this.#client.query<{
      day: string;
      provider: string;
      tenant: string;
      status: StatusSample['status'];
      samples: string | number;
      total_latency_ms: string | number;
      latency_samples: string | number;
    }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, provider, tenant, status, samples, total_latency_ms, latency_samples
       FROM ${this.#daily} ${query.provider !== undefined ? 'WHERE provider = $1' : ''}
       ORDER BY day, provider, tenant, status`,
      query.provider !== undefined ? [query.provider] : [],
    );
    return result.rows.map((row) => ({
      day: row.day,
      provider: row.provider,
      tenant: row.tenant === '' ? null : row.tenant,
      status: row.status,
      samples: Number(row.samples),
      meanLatencyMs:
        Number(row.latency_samples) === 0 ? null : Number(row.total_latency_ms) / Number(row.latency_samples),
    }));
  }

  /**
   * Rolls samples of whole UTC days older than `rawRetentionMs` into daily counts per status and
   * deletes them (one statement, so totals never change), then deletes daily counts older than
   * `dailyRetentionMs`.
   */
  async rollup(now: Date, retention: StatusRetention = {}): Promise<{ rolledUp: number; expiredDays: number }> {
    const rawCutoff = Math.floor((now.getTime() - (retention.rawRetentionMs ?? 7 * dayMs)) / dayMs) * dayMs;
    const dailyCutoff = Math.floor((now.getTime() - (retention.dailyRetentionMs ?? 90 * dayMs)) / dayMs) * dayMs;
    await this.#writer.flush().catch(() => {});
    return this.#client.transaction(async (transaction) => {
      // One statement: the samples counted are exactly the samples deleted, even when another connection
      // commits a late sample meanwhile (see PostgresUsageStore.rollup).
      const moved = await transaction.query<{ rolled_up: number }>(
        `WITH moved AS (
           DELETE FROM ${this.#table} WHERE at < $1 RETURNING provider, tenant, at, status, latency_ms
         ), added AS (
           INSERT INTO ${this.#daily} AS d (day, provider, tenant, status, samples, total_latency_ms, latency_samples)
           SELECT (to_timestamp(at / 1000.0) AT TIME ZONE 'UTC')::date, provider, coalesce(tenant, ''), status, count(*),
                  coalesce(sum(latency_ms), 0), count(latency_ms)
           FROM moved
           GROUP BY 1, 2, 3, 4
           ON CONFLICT (day, provider, tenant, status) DO UPDATE SET
             samples = d.samples + EXCLUDED.samples,
             total_latency_ms = d.total_latency_ms + EXCLUDED.total_latency_ms,
             latency_samples = d.latency_samples + EXCLUDED.latency_samples
         )
         SELECT count(*)::int AS rolled_up FROM moved`,
        [rawCutoff],
      );
      const expired = await transaction.query(
        `DELETE FROM ${this.#daily} WHERE day < (to_timestamp($1 / 1000.0) AT TIME ZONE 'UTC')::date`,
        [dailyCutoff],
      );
      return { rolledUp: Number(moved.rows[0]?.rolled_up ?? 0), expiredDays: expired.rowCount };
    });
  }
}
