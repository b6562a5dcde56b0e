import type { UsageRecord, UsageSummaryRow } from '@patchbay/core';
import { BatchWriter, type BatchWriterOptions, type BatchWriterStats } from '../batch-writer.js';
import type { SqlClient } from '../sql-client.js';
import { resolveTables, type TableOptions } from '../table-names.js';

export interface PostgresUsageStoreOptions extends TableOptions, BatchWriterOptions {}

export interface UsageSummaryQuery {
  tenant?: string | undefined;
  provider?: string | undefined;
  model?: string | undefined;
  unit?: string | undefined;
  /** Inclusive. Rolled-up days count whole: a day is in when its date is on or after this date (UTC). */
  since?: Date | undefined;
  /** Exclusive; rolled-up days count whole, like `since`. */
  until?: Date | undefined;
  /** `'day'`: one row per UTC day as well (the row's `day`, `YYYY-MM-DD`). */
  groupBy?: 'day' | undefined;
}

export interface UsageSummaryDayRow extends UsageSummaryRow {
  /** `YYYY-MM-DD` (UTC) when grouped by day. */
  day?: string | undefined;
}

export interface UsageRetention {
  /** Individual records older than this are rolled up into daily rows (default 7 days). */
  rawRetentionMs?: number | undefined;
  /** Daily rows older than this are deleted (default 400 days). */
  dailyRetentionMs?: number | undefined;
}

const dayMs = 86_400_000;

interface SummaryRow {
  day?: string;
  tenant: string;
  kind: string;
  provider: string;
  vendor: string;
  model: string;
  unit: string;
  quantity: number | string;
  cost: number | string | null;
  currency: string | null;
  records: number | string;
  failures: number | string;
  total_latency_ms: number | string;
}

const columnTypes = [
  'timestamptz',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'float8',
  'float8',
  'text',
  'float8',
  'text',
  'text',
  'text',
  'text',
  'int4',
];

const columns =
  'at, tenant, kind, provider, vendor, model, unit, quantity, cost, currency, latency_ms, outcome, error_code, correlation_id, route, attempt';

/**
 * Usage records in PostgreSQL, and the sums the in-memory aggregator answers (per tenant,
 * provider, model, unit, and per day). A `UsageSink`: `record()` queues in O(1) and never throws;
 * rows are written in multi-row INSERTs off the call path. Reads write what is queued first.
 */
export class PostgresUsageStore {
  readonly #client: SqlClient;
  readonly #raw: string;
  readonly #daily: string;
  readonly #writer: BatchWriter<UsageRecord>;

  constructor(client: SqlClient, options: PostgresUsageStoreOptions = {}) {
    this.#client = client;
    const tables = resolveTables(options);
    this.#raw = tables.table('usage_records');
    this.#daily = tables.table('usage_daily');
    this.#writer = new BatchWriter((records) => this.#insert(records), options);
  }

  /** Bound, so it can be passed as a sink (`usageSinks: [usage]` or `usage.record`). */
  readonly record = (record: UsageRecord): void => {
    this.#writer.enqueue(record);
  };

  get stats(): BatchWriterStats {
    return this.#writer.stats;
  }

  /** Resolves once every record passed to `record()` before the call is committed. */
  flush(): Promise<void> {
    return this.#writer.flush();
  }

  /** Writes what is queued and stops taking records. Does not close the client. */
  close(): Promise<void> {
    return this.#writer.close();
  }

  async #insert(records: readonly UsageRecord[]): Promise<void> {
    // One array per column and INSERT … SELECT FROM unnest(…): 16 parameters per batch instead of
    // 16 per row, which PostgreSQL parses and plans much faster for large batches.
    const columnValues: unknown[][] = Array.from({ length: columnTypes.length }, () => []);
    for (const r of records) {
      const row = [
        r.timestamp,
        r.tenant ?? null,
        r.kind,
        r.provider,
        r.vendor,
        r.model ?? null,
        r.unit,
        r.quantity,
        r.cost,
        r.currency,
        r.latencyMs,
        r.outcome,
        r.errorCode ?? null,
        r.correlationId ?? null,
        r.route ?? null,
        r.attempt,
      ];
      for (let column = 0; column < row.length; column++) (columnValues[column] as unknown[]).push(row[column]);
    }
    const arrays = columnTypes.map((type, index) => `$${index + 1}::${type}[]`).join(', ');
    await this.#client.query(`INSERT INTO ${this.#raw} (${columns}) SELECT * FROM unnest(${arrays})`, columnValues);
  }

  /** Sums over raw records and daily rollups alike, so a rollup never changes a total. */
  async summary(query: UsageSummaryQuery = {}): Promise<UsageSummaryDayRow[]> {
    await this.#writer.flush().catch(() => {});
    const params: unknown[] = [];
    const rawWhere: string[] = [];
    const dailyWhere: string[] = [];
    const both = (column: string, value: unknown) => {
      params.push(value);
      rawWhere.push(`${column} = $${params.length}`);
      dailyWhere.push(`${column} = $${params.length}`);
    };
    if (query.tenant !== undefined) both('tenant', query.tenant);
    if (query.provider !== undefined) both('provider', query.provider);
    if (query.model !== undefined) both('model', query.model);
    if (query.unit !== undefined) both('unit', query.unit);
    if (query.since !== undefined) {
      params.push(query.since.toISOString());
      rawWhere.push(`at >= $${params.length}::timestamptz`);
      dailyWhere.push(`day >= ($${params.length}::timestamptz AT TIME ZONE 'UTC')::date`);
    }
    if (query.until !== undefined) {
      params.push(query.until.toISOString());
      rawWhere.push(`at < $${params.length}::timestamptz`);
      dailyWhere.push(`day < ($${params.length}::timestamptz AT TIME ZONE 'UTC')::date`);
    }
    const where = (conditions: string[]) => (conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '');
    const byDay = query.groupBy === 'day';
    const result = await this.#client.query<SummaryRow>(
      `WITH combined AS (
         SELECT day, tenant, kind, provider, vendor, model, unit, quantity, cost, cost IS NULL AS unpriced,
                currency, records, failures, total_latency_ms
         FROM ${this.#daily} ${where(dailyWhere)}
         UNION ALL
         SELECT (at AT TIME ZONE 'UTC')::date, coalesce(tenant, ''), kind, provider, vendor, coalesce(model, ''), unit,
                quantity, cost, cost IS NULL AND quantity <> 0, currency, 1, CASE WHEN outcome = 'success' THEN 0 ELSE 1 END,
                latency_ms
         FROM ${this.#raw} ${where(rawWhere)}
       )
       SELECT ${byDay ? "to_char(day, 'YYYY-MM-DD') AS day," : ''} tenant, provider, model, unit,
              min(kind) AS kind, min(vendor) AS vendor, sum(quantity) AS quantity,
              CASE WHEN bool_or(unpriced) THEN NULL ELSE sum(coalesce(cost, 0)) END AS cost,
              min(currency) AS currency, sum(records) AS records, sum(failures) AS failures,
              sum(total_latency_ms) AS total_latency_ms
       FROM combined
       GROUP BY ${byDay ? 'day, ' : ''}tenant, provider, model, unit
       ORDER BY ${byDay ? 'day, ' : ''}tenant, provider, model, unit`,
      params,
    );
    return result.rows.map((row) => {
      const summary: UsageSummaryDayRow = {
        tenant: row.tenant === '' ? undefined : row.tenant,
        kind: row.kind as UsageSummaryRow['kind'],
        provider: row.provider,
        vendor: row.vendor,
        model: row.model === '' ? undefined : row.model,
        unit: row.unit as UsageSummaryRow['unit'],
        quantity: Number(row.quantity),
        cost: row.cost === null ? null : Number(row.cost),
        currency: row.currency,
        records: Number(row.records),
        failures: Number(row.failures),
        totalLatencyMs: Number(row.total_latency_ms),
      };
      if (byDay) summary.day = row.day;
      return summary;
    });
  }

  /** The aggregator's rows (`InMemoryUsageAggregator.rows()`), over every record. */
  rows(filter: { tenant?: string; provider?: string } = {}): Promise<UsageSummaryRow[]> {
    return this.summary(filter);
  }

  /** Total cost per provider; `null` where any of its usage has no known price. */
  async costByProvider(query: Omit<UsageSummaryQuery, 'groupBy'> = {}): Promise<Record<string, number | null>> {
    const totals: Record<string, number | null> = Object.create(null);
    for (const row of await this.summary(query)) {
      const previous = totals[row.provider];
      totals[row.provider] = previous === null || row.cost === null ? null : (previous ?? 0) + row.cost;
    }
    return totals;
  }

  /**
   * Rolls records of whole UTC days older than `rawRetentionMs` into daily rows and deletes them,
   * in one statement (totals never change, even with other instances writing), then deletes daily
   * rows older than `dailyRetentionMs`. Run it on a schedule; `now` is explicit so it can be tested.
   */
  async rollup(now: Date, retention: UsageRetention = {}): Promise<{ rolledUp: number; expiredDays: number }> {
    const rawCutoff = Math.floor((now.getTime() - (retention.rawRetentionMs ?? 7 * dayMs)) / dayMs) * dayMs;
    const dailyCutoff = Math.floor((now.getTime() - (retention.dailyRetentionMs ?? 400 * dayMs)) / dayMs) * dayMs;
    const cutoff = new Date(rawCutoff).toISOString();
    await this.#writer.flush().catch(() => {});
    return this.#client.transaction(async (transaction) => {
      // One statement: the rows counted are exactly the rows deleted. (An INSERT … SELECT then a DELETE would,
      // under READ COMMITTED, also delete a late record another connection committed between the two, uncounted.)
      const moved = await transaction.query<{ rolled_up: number }>(
        `WITH moved AS (
           DELETE FROM ${this.#raw} WHERE at < $1::timestamptz
           RETURNING at, tenant, kind, provider, vendor, model, unit, quantity, cost, currency, latency_ms, outcome
         ), added AS (
           INSERT INTO ${this.#daily} AS d (day, tenant, kind, provider, vendor, model, unit, quantity, cost, currency,
             records, failures, total_latency_ms)
           SELECT (at AT TIME ZONE 'UTC')::date, coalesce(tenant, ''), min(kind), provider, min(vendor), coalesce(model, ''),
                  unit, sum(quantity),
                  CASE WHEN bool_or(cost IS NULL AND quantity <> 0) THEN NULL ELSE sum(coalesce(cost, 0)) END,
                  min(currency), count(*), count(*) FILTER (WHERE outcome <> 'success'), sum(latency_ms)
           FROM moved
           GROUP BY 1, 2, 4, 6, 7
           ON CONFLICT (day, tenant, provider, model, unit) DO UPDATE SET
             quantity = d.quantity + EXCLUDED.quantity,
             cost = CASE WHEN d.cost IS NULL OR EXCLUDED.cost IS NULL THEN NULL ELSE d.cost + EXCLUDED.cost END,
             currency = coalesce(d.currency, EXCLUDED.currency),
             records = d.records + EXCLUDED.records,
             failures = d.failures + EXCLUDED.failures,
             total_latency_ms = d.total_latency_ms + EXCLUDED.total_latency_ms
         )
         SELECT count(*)::int AS rolled_up FROM moved`,
        [cutoff],
      );
      const expired = await transaction.query(
        `DELETE FROM ${this.#daily} WHERE day < ($1::timestamptz AT TIME ZONE 'UTC')::date`,
        [new Date(dailyCutoff).toISOString()],
      );
      return { rolledUp: Number(moved.rows[0]?.rolled_up ?? 0), expiredDays: expired.rowCount };
    });
  }
}
