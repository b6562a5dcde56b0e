import { randomUUID } from 'node:crypto';
import type { DeliveryLogEntry, DeliveryLogFilter, DeliveryLogRecord, DeliveryLogStore } from '@patchbay/messaging';
import type { SqlClient } from '../sql-client.js';
import { resolveTables, type TableOptions } from '../table-names.js';
import { storableText } from './storable-text.js';

export interface PostgresDeliveryLogOptions extends TableOptions {
  /** Clock, for tests. */
  now?: (() => Date) | undefined;
}

interface Row {
  id: string;
  event: DeliveryLogRecord['event'];
  tenant: string | null;
  correlation_id: string | null;
  channel: DeliveryLogRecord['channel'];
  direction: DeliveryLogRecord['direction'];
  status: DeliveryLogRecord['status'];
  vendor: string | null;
  provider: string | null;
  message_id: string | null;
  to_address: string | null;
  from_address: string | null;
  error_code: string | null;
  error_message: string | null;
  reason: string | null;
  fallback_of: string | null;
  segments: number | null;
  cost_amount: number | null;
  cost_currency: string | null;
  session_id: string | null;
  thread_id: string | null;
  attempt: number;
  created_at: Date | string;
  updated_at: Date | string;
}

const columns =
  'id, event, tenant, correlation_id, channel, direction, status, vendor, provider, message_id, to_address, ' +
  'from_address, error_code, error_message, reason, fallback_of, segments, cost_amount, cost_currency, session_id, ' +
  'thread_id, attempt, created_at, updated_at';

/** Optional fields come back absent (not null), as the in-memory log keeps them. */
function toRecord(row: Row): DeliveryLogRecord {
  const record: DeliveryLogRecord = {
    id: row.id,
    event: row.event,
    channel: row.channel,
    direction: row.direction,
    status: row.status,
    attempt: Number(row.attempt),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
  const optional: [keyof DeliveryLogRecord, unknown][] = [
    ['tenant', row.tenant],
    ['correlationId', row.correlation_id],
    ['vendor', row.vendor],
    ['provider', row.provider],
    ['messageId', row.message_id],
    ['to', row.to_address],
    ['from', row.from_address],
    ['errorCode', row.error_code],
    ['errorMessage', row.error_message],
    ['reason', row.reason],
    ['fallbackOf', row.fallback_of],
    ['segments', row.segments === null ? null : Number(row.segments)],
    ['sessionId', row.session_id],
    ['threadId', row.thread_id],
  ];
  for (const [key, value] of optional) if (value !== null) (record as unknown as Record<string, unknown>)[key] = value;
  if (row.cost_amount !== null && row.cost_currency !== null) {
    record.cost = { amount: Number(row.cost_amount), currency: row.cost_currency };
  }
  return record;
}

/**
 * The delivery log as a table (`<prefix>delivery_log`): send attempts, delivery-status webhook
 * updates (`recordWebhookEvent`) and inbound messages, each an appended row. `append` writes
 * at once: status updates look up the send they belong to.
 */
export class PostgresDeliveryLog implements DeliveryLogStore {
  readonly #client: SqlClient;
  readonly #table: string;
  readonly #now: () => Date;

  constructor(client: SqlClient, options: PostgresDeliveryLogOptions = {}) {
    this.#client = client;
    this.#table = resolveTables(options).table('delivery_log');
    this.#now = options.now ?? (() => new Date());
  }

  async append(entry: DeliveryLogEntry): Promise<DeliveryLogRecord> {
    const createdAt = entry.createdAt ?? this.#now();
    const params = [
      entry.id ?? randomUUID(),
      entry.event,
      entry.tenant ?? null,
      entry.correlationId ?? null,
      entry.channel,
      entry.direction,
      entry.status,
      entry.vendor ?? null,
      entry.provider ?? null,
      entry.messageId ?? null,
      entry.to ?? null,
      entry.from ?? null,
      entry.errorCode ?? null,
      entry.errorMessage ?? null,
      entry.reason ?? null,
      entry.fallbackOf ?? null,
      entry.segments ?? null,
      entry.cost?.amount ?? null,
      entry.cost?.currency ?? null,
      entry.sessionId ?? null,
      entry.threadId ?? null,
      entry.attempt,
      createdAt,
      entry.updatedAt ?? createdAt,
    ];
    // Vendor webhooks fill most of these fields: a NUL byte in one must not make the webhook fail forever.
    for (let index = 0; index < params.length; index++) {
      if (typeof params[index] === 'string') params[index] = storableText(params[index] as string);
    }
    const placeholders = params.map((_, index) => `$${index + 1}`).join(', ');
    // Appending a record with an id already logged replaces it, as the in-memory log does.
    const result = await this.#client.query<Row>(
      `INSERT INTO ${this.#table} (${columns}) VALUES (${placeholders})
       ON CONFLICT (id) DO UPDATE SET ${columns
         .split(', ')
         .slice(1)
         .map((column) => `${column} = EXCLUDED.${column}`)
         .join(', ')}
       RETURNING ${columns}`,
      params,
    );
    return toRecord(result.rows[0] as Row);
  }

  async list(filter: DeliveryLogFilter = {}): Promise<DeliveryLogRecord[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const equal = (column: string, value: unknown) => {
      if (value === undefined) return;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    };
    equal('tenant', filter.tenant);
    equal('correlation_id', filter.correlationId);
    equal('channel', filter.channel);
    equal('direction', filter.direction);
    equal('status', filter.status);
    equal('event', filter.event);
    equal('message_id', filter.messageId);
    equal('to_address', filter.to);
    if (filter.since !== undefined) {
      params.push(filter.since);
      where.push(`created_at >= $${params.length}`);
    }
    if (filter.until !== undefined) {
      params.push(filter.until);
      where.push(`created_at < $${params.length}`);
    }
    let limit = '';
    if (filter.limit !== undefined) {
      params.push(Math.max(0, Math.floor(filter.limit)));
      limit = `LIMIT $${params.length}`;
    }
    const result = await this.#client.query<Row & { seq: string }>(
      `SELECT * FROM (
         SELECT seq, ${columns} FROM ${this.#table} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY seq DESC ${limit}
       ) recent ORDER BY seq`,
      params,
    );
    return result.rows.map(toRecord);
  }

  findByMessageId(messageId: string): Promise<DeliveryLogRecord[]> {
    return this.list({ messageId });
  }

  /** Deletes records created before `before` (retention); answers how many. */
  async prune(before: Date): Promise<number> {
    const result = await this.#client.query(`DELETE FROM ${this.#table} WHERE created_at < $1`, [before]);
    return result.rowCount;
  }
}
