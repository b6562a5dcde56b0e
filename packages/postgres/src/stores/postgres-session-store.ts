import { randomUUID } from 'node:crypto';
import { PatchbayError } from '@patchbay/core/adapter';
import {
  type ConversationThread,
  normalizePhoneNumber,
  type OmnichannelSession,
  type OpenSessionOptions,
  type SessionActivity,
  type SessionChannel,
  type SessionLookup,
  type SessionStore,
  type SessionUpdate,
} from '@patchbay/messaging';
import type { SqlClient } from '../sql-client.js';
import { resolveTables, type TableOptions } from '../table-names.js';

export interface PostgresSessionStoreOptions extends TableOptions {
  /** A session idle this long is closed and the next activity opens a new one (default 24 hours). */
  idleTimeoutMs?: number | undefined;
  /** Entries a thread read returns, most recent (default 200). */
  maxThreadEntries?: number | undefined;
  now?: (() => Date) | undefined;
  newId?: (() => string) | undefined;
}

interface SessionRow {
  id: string;
  tenant: string;
  contact: string;
  primary_channel: SessionChannel;
  active_channels: SessionChannel[] | string;
  last_active_channel: SessionChannel;
  status: OmnichannelSession['status'];
  last_agent_id: string | null;
  last_intent: string | null;
  thread_id: string;
  created_at: Date | string;
  updated_at: Date | string;
}

function channels(value: SessionChannel[] | string): SessionChannel[] {
  return typeof value === 'string' ? (JSON.parse(value) as SessionChannel[]) : value;
}

function toSession(row: SessionRow): OmnichannelSession {
  const session: OmnichannelSession = {
    id: row.id,
    tenant: row.tenant === '' ? undefined : row.tenant,
    contact: row.contact,
    primaryChannel: row.primary_channel,
    activeChannels: channels(row.active_channels),
    lastActiveChannel: row.last_active_channel,
    status: row.status,
    lastAgentId: row.last_agent_id ?? undefined,
    lastIntent: row.last_intent ?? undefined,
    threadId: row.thread_id,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
  return session;
}

/**
 * Omnichannel sessions and threads in PostgreSQL (`<prefix>sessions`, `<prefix>thread_entries`,
 * `<prefix>contact_channels`). `getOrCreate`, `recordActivity` and an `update` to an open status hold a
 * transaction-scoped advisory lock per tenant and contact, so instances sharing the database never open two
 * sessions for one contact: reopening a closed session while its contact has another open one is refused
 * (`invalid_request` naming `status`).
 */
export class PostgresSessionStore implements SessionStore {
  readonly #client: SqlClient;
  readonly #sessions: string;
  readonly #entries: string;
  readonly #contacts: string;
  readonly #prefix: string;
  readonly #idleTimeoutMs: number;
  readonly #maxEntries: number;
  readonly #now: () => Date;
  readonly #newId: () => string;

  constructor(client: SqlClient, options: PostgresSessionStoreOptions = {}) {
    this.#client = client;
    const tables = resolveTables(options);
    this.#sessions = tables.table('sessions');
    this.#entries = tables.table('thread_entries');
    this.#contacts = tables.table('contact_channels');
    this.#prefix = `${tables.schema}.${tables.prefix}`;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 24 * 60 * 60 * 1000;
    this.#maxEntries = Math.max(1, options.maxThreadEntries ?? 200);
    this.#now = options.now ?? (() => new Date());
    this.#newId = options.newId ?? randomUUID;
  }

  /** The contact's open session (closing it first when idle), within `client`'s transaction. */
  async #open(client: SqlClient, tenant: string, contact: string, at: Date): Promise<SessionRow | undefined> {
    const result = await client.query<SessionRow>(
      `SELECT * FROM ${this.#sessions} WHERE tenant = $1 AND contact = $2 AND status <> 'closed'
       ORDER BY created_at DESC LIMIT 1`,
      [tenant, contact],
    );
    const row = result.rows[0];
    if (row === undefined) return undefined;
    if (at.getTime() - new Date(row.updated_at).getTime() > this.#idleTimeoutMs) {
      await client.query(`UPDATE ${this.#sessions} SET status = 'closed' WHERE id = $1`, [row.id]);
      return undefined;
    }
    return row;
  }

  async #locked<T>(tenant: string, contact: string, work: (client: SqlClient) => Promise<T>): Promise<T> {
    return this.#client.transaction(async (transaction) => {
      await transaction.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `patchbay-session:${this.#prefix}:${tenant.length}:${tenant}:${contact}`,
      ]);
      return work(transaction);
    });
  }

  async #create(
    client: SqlClient,
    tenant: string,
    contact: string,
    options: OpenSessionOptions,
    at: Date,
  ): Promise<SessionRow> {
    const result = await client.query<SessionRow>(
      `INSERT INTO ${this.#sessions} (id, tenant, contact, primary_channel, active_channels, last_active_channel, status,
         last_agent_id, last_intent, thread_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $4, 'active', $6, $7, $8, $9, $9) RETURNING *`,
      [
        this.#newId(),
        tenant,
        contact,
        options.channel,
        JSON.stringify([options.channel]),
        options.agentId ?? null,
        options.intent ?? null,
        this.#newId(),
        at,
      ],
    );
    await client.query(
      `INSERT INTO ${this.#contacts} (tenant, contact, channel) VALUES ($1, $2, $3)
       ON CONFLICT (tenant, contact) DO UPDATE SET channel = EXCLUDED.channel`,
      [tenant, contact, options.channel],
    );
    return result.rows[0] as SessionRow;
  }

  async getOrCreate(contact: string, options: OpenSessionOptions): Promise<OmnichannelSession> {
    const e164 = normalizePhoneNumber(contact, { field: 'contact' });
    const tenant = options.tenant ?? '';
    const at = this.#now();
    return this.#locked(tenant, e164, async (client) => {
      const open = await this.#open(client, tenant, e164, at);
      if (open === undefined) return toSession(await this.#create(client, tenant, e164, options, at));
      if (options.agentId === undefined && options.intent === undefined) return toSession(open);
      const updated = await client.query<SessionRow>(
        `UPDATE ${this.#sessions} SET last_agent_id = coalesce($2, last_agent_id), last_intent = coalesce($3, last_intent)
         WHERE id = $1 RETURNING *`,
        [open.id, options.agentId ?? null, options.intent ?? null],
      );
      return toSession(updated.rows[0] as SessionRow);
    });
  }

  async get(sessionId: string): Promise<OmnichannelSession | undefined> {
    const result = await this.#client.query<SessionRow>(`SELECT * FROM ${this.#sessions} WHERE id = $1`, [sessionId]);
    const row = result.rows[0];
    return row === undefined ? undefined : toSession(row);
  }

  async findOpen(contact: string, lookup: SessionLookup = {}): Promise<OmnichannelSession | undefined> {
    const e164 = normalizePhoneNumber(contact, { field: 'contact' });
    const open = await this.#open(this.#client, lookup.tenant ?? '', e164, this.#now());
    return open === undefined ? undefined : toSession(open);
  }

  async update(sessionId: string, update: SessionUpdate): Promise<OmnichannelSession | undefined> {
    const at = this.#now();
    const write = async (client: SqlClient) => {
      const result = await client.query<SessionRow>(
        `UPDATE ${this.#sessions} SET status = coalesce($2, status), last_agent_id = coalesce($3, last_agent_id),
           last_intent = coalesce($4, last_intent), updated_at = $5
         WHERE id = $1 RETURNING *`,
        [sessionId, update.status ?? null, update.lastAgentId ?? null, update.lastIntent ?? null, at],
      );
      const row = result.rows[0];
      return row === undefined ? undefined : toSession(row);
    };
    if (update.status === undefined || update.status === 'closed') return write(this.#client);
    // An open status could reopen a closed session: under the contact's lock, as getOrCreate opens one,
    // and only while the contact has no other open session.
    const found = await this.#client.query<Pick<SessionRow, 'tenant' | 'contact'>>(
      `SELECT tenant, contact FROM ${this.#sessions} WHERE id = $1`,
      [sessionId],
    );
    const key = found.rows[0];
    if (key === undefined) return undefined;
    return this.#locked(key.tenant, key.contact, async (client) => {
      const open = await this.#open(client, key.tenant, key.contact, at);
      if (open !== undefined && open.id !== sessionId) {
        throw new PatchbayError({
          code: 'invalid_request',
          message: `status "${update.status}" would reopen session ${sessionId} while its contact has another open session (${open.id}); close that one first`,
          details: { field: 'status' },
        });
      }
      return write(client);
    });
  }

  async recordActivity(
    activity: SessionActivity,
  ): Promise<{ session: OmnichannelSession; thread: ConversationThread }> {
    const e164 = normalizePhoneNumber(activity.contact, { field: 'contact' });
    const tenant = activity.tenant ?? '';
    const at = activity.at ?? this.#now();
    return this.#locked(tenant, e164, async (client) => {
      const row =
        (await this.#open(client, tenant, e164, at)) ??
        (await this.#create(client, tenant, e164, { channel: activity.channel, tenant: activity.tenant }, at));
      const active = channels(row.active_channels);
      if (!active.includes(activity.channel)) active.push(activity.channel);
      const updated = await client.query<SessionRow>(
        `UPDATE ${this.#sessions} SET active_channels = $2, last_active_channel = $3,
           updated_at = greatest(updated_at, $4::timestamptz)
         WHERE id = $1 RETURNING *`,
        [row.id, JSON.stringify(active), activity.channel, at],
      );
      await client.query(
        `INSERT INTO ${this.#entries} (thread_id, channel, direction, message_id, at) VALUES ($1, $2, $3, $4, $5)`,
        [row.thread_id, activity.channel, activity.direction, activity.messageId ?? null, at],
      );
      await client.query(
        `INSERT INTO ${this.#contacts} (tenant, contact, channel) VALUES ($1, $2, $3)
         ON CONFLICT (tenant, contact) DO UPDATE SET channel = EXCLUDED.channel`,
        [tenant, e164, activity.channel],
      );
      const session = toSession(updated.rows[0] as SessionRow);
      return { session, thread: await this.#thread(client, session) };
    });
  }

  async #thread(client: SqlClient, session: OmnichannelSession): Promise<ConversationThread> {
    const entries = await client.query<{
      channel: SessionChannel;
      direction: 'inbound' | 'outbound';
      message_id: string | null;
      at: Date | string;
    }>(
      `SELECT channel, direction, message_id, at FROM (
         SELECT seq, channel, direction, message_id, at FROM ${this.#entries} WHERE thread_id = $1
         ORDER BY seq DESC LIMIT $2
       ) recent ORDER BY seq`,
      [session.threadId, this.#maxEntries],
    );
    return {
      id: session.threadId,
      sessionId: session.id,
      tenant: session.tenant,
      contact: session.contact,
      // A thread's channels are its session's: both grow with each activity.
      channels: [...session.activeChannels],
      entries: entries.rows.map((entry) => ({
        channel: entry.channel,
        direction: entry.direction,
        messageId: entry.message_id ?? undefined,
        at: new Date(entry.at),
      })),
    };
  }

  async getThread(threadId: string): Promise<ConversationThread | undefined> {
    const result = await this.#client.query<SessionRow>(`SELECT * FROM ${this.#sessions} WHERE thread_id = $1`, [
      threadId,
    ]);
    const row = result.rows[0];
    return row === undefined ? undefined : this.#thread(this.#client, toSession(row));
  }

  async lastActiveChannel(contact: string, lookup: SessionLookup = {}): Promise<SessionChannel | undefined> {
    const e164 = normalizePhoneNumber(contact, { field: 'contact' });
    const result = await this.#client.query<{ channel: SessionChannel }>(
      `SELECT channel FROM ${this.#contacts} WHERE tenant = $1 AND contact = $2`,
      [lookup.tenant ?? '', e164],
    );
    return result.rows[0]?.channel;
  }
}
