import { PatchbayError } from '@patchbay/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createPgClient, type SqlClient } from '../sql-client.js';
import {
  closeSharedClients,
  databaseKinds,
  openTestDatabase,
  postgresUrl,
  type TestDatabase,
} from '../test-support/databases.js';
import { PostgresSessionStore } from './postgres-session-store.js';

afterAll(closeSharedClients);

describe.each(databaseKinds)('PostgresSessionStore (%s)', (kind) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it('closes a session idle past idleTimeoutMs; the next activity opens a new one', async () => {
    database = await openTestDatabase(kind);
    let now = Date.UTC(2026, 0, 1, 9);
    const store = new PostgresSessionStore(database.client, {
      schema: database.schema,
      idleTimeoutMs: 60 * 60_000,
      now: () => new Date(now),
    });
    const first = await store.recordActivity({ contact: '+250788123456', channel: 'voice', direction: 'inbound' });
    now += 59 * 60_000;
    expect((await store.findOpen('+250788123456'))?.id).toBe(first.session.id);
    now += 2 * 60_000;
    expect(await store.findOpen('+250788123456')).toBeUndefined();
    expect((await store.get(first.session.id))?.status).toBe('closed');
    const next = await store.recordActivity({ contact: '+250788123456', channel: 'sms', direction: 'outbound' });
    expect(next.session.id).not.toBe(first.session.id);
    expect(next.thread.entries).toHaveLength(1);
    expect(await store.lastActiveChannel('+250788123456')).toBe('sms');
  });

  it('by default closes a session idle over 24 hours, and a thread read returns its 200 most recent entries', async () => {
    database = await openTestDatabase(kind);
    let now = Date.UTC(2026, 0, 1, 9);
    const store = new PostgresSessionStore(database.client, { schema: database.schema, now: () => new Date(now) });
    const first = await store.recordActivity({ contact: '+250788123456', channel: 'voice', direction: 'inbound' });
    // 200 more entries in one statement (200 calls would only be slower): 201 in all.
    await database.client.query(
      `INSERT INTO ${database.schema}.patchbay_thread_entries (thread_id, channel, direction, message_id, at)
       SELECT $1, 'sms', 'inbound', 'm' || i, $2::timestamptz FROM generate_series(1, 200) AS i`,
      [first.thread.id, new Date(now)],
    );
    const thread = await store.getThread(first.thread.id);
    expect(thread?.entries).toHaveLength(200);
    expect([thread?.entries[0]?.messageId, thread?.entries.at(-1)?.messageId]).toEqual(['m1', 'm200']);

    now += 24 * 60 * 60_000;
    expect((await store.findOpen('+250788123456'))?.id).toBe(first.session.id);
    now += 1;
    expect(await store.findOpen('+250788123456')).toBeUndefined();
  });

  it('refuses to reopen a closed session while the contact has another open one, naming the field', async () => {
    database = await openTestDatabase(kind);
    const store = new PostgresSessionStore(database.client, { schema: database.schema });
    const first = await store.getOrCreate('+250788123456', { channel: 'sms' });
    await store.update(first.id, { status: 'closed' });
    const second = await store.getOrCreate('+250788123456', { channel: 'whatsapp' });
    expect(second.id).not.toBe(first.id);
    for (const status of ['active', 'waiting'] as const) {
      const failure = await Promise.resolve(store.update(first.id, { status })).catch((error: unknown) => error);
      expect(PatchbayError.isInstance(failure)).toBe(true);
      expect(failure).toMatchObject({ code: 'invalid_request', details: { field: 'status' } });
    }
    const open = await database.client.query<{ id: string }>(
      `SELECT id FROM ${database.schema}.patchbay_sessions WHERE contact = $1 AND status <> 'closed'`,
      ['+250788123456'],
    );
    expect(open.rows.map((row) => row.id)).toEqual([second.id]);
    expect((await store.get(first.id))?.status).toBe('closed');
    expect((await store.findOpen('+250788123456'))?.id).toBe(second.id);
    // Other fields of the closed session still change, and the open one moves between statuses.
    expect((await store.update(first.id, { lastIntent: 'resolved' }))?.lastIntent).toBe('resolved');
    expect((await store.update(second.id, { status: 'waiting' }))?.status).toBe('waiting');
    expect((await store.update(second.id, { status: 'active' }))?.status).toBe('active');
  });

  it('reopens a closed session when the contact has no other open one', async () => {
    database = await openTestDatabase(kind);
    let now = Date.UTC(2026, 0, 1, 9);
    const store = new PostgresSessionStore(database.client, {
      schema: database.schema,
      idleTimeoutMs: 60 * 60_000,
      now: () => new Date(now),
    });
    const first = await store.getOrCreate('+250788123456', { channel: 'sms' });
    await store.update(first.id, { status: 'closed' });
    const reopened = await store.update(first.id, { status: 'waiting' });
    expect(reopened?.status).toBe('waiting');
    expect((await store.findOpen('+250788123456'))?.id).toBe(first.id);
    // A newer session that went idle is closed by the reopen rather than blocking it.
    await store.update(first.id, { status: 'closed' });
    const second = await store.getOrCreate('+250788123456', { channel: 'voice' });
    now += 61 * 60_000;
    expect((await store.update(first.id, { status: 'active' }))?.status).toBe('active');
    expect((await store.get(second.id))?.status).toBe('closed');
    expect((await store.findOpen('+250788123456'))?.id).toBe(first.id);
  });

  it('refuses a contact that is not a phone number, naming the field', async () => {
    database = await openTestDatabase(kind);
    const store = new PostgresSessionStore(database.client, { schema: database.schema });
    await expect(store.getOrCreate('not a number', { channel: 'sms' })).rejects.toMatchObject({
      code: 'invalid_request',
      details: { field: 'contact' },
    });
  });
});

/**
 * Widens the race an unlocked `getOrCreate` or `recordActivity` would lose: the first transaction to read
 * a contact's open session waits there, before it writes, until a second transaction has read it too (at
 * most `maxWaitMs`). Without a lock shared by the instances the second read also finds no session and both
 * insert; under the lock the second cannot read before the first commits, so the wait runs out and nothing
 * else changes. With `duringFirstRead`, the first read starts that work and also stops waiting once it settles.
 */
class FirstSessionReadGate {
  readonly #maxWaitMs: number;
  readonly #secondRead: Promise<void>;
  #onSecondRead: () => void = () => {};
  reads = 0;

  readonly #duringFirstRead: (() => Promise<unknown>) | undefined;

  constructor(maxWaitMs: number, duringFirstRead?: () => Promise<unknown>) {
    this.#maxWaitMs = maxWaitMs;
    this.#duringFirstRead = duringFirstRead;
    this.#secondRead = new Promise((resolve) => {
      this.#onSecondRead = resolve;
    });
  }

  /** `client` with the gate after each open-session read made inside a transaction. */
  wrap(client: SqlClient): SqlClient {
    const gated = (inner: SqlClient): SqlClient => ({
      query: async <Row>(text: string, params?: readonly unknown[]) => {
        const result = await inner.query<Row>(text, params);
        if (/FROM \S+sessions WHERE tenant = \$1 AND contact = \$2/.test(text)) await this.#read();
        return result;
      },
      transaction: (work) => inner.transaction((transaction) => work(gated(transaction))),
      close: () => inner.close(),
    });
    return { ...client, transaction: (work) => client.transaction((transaction) => work(gated(transaction))) };
  }

  async #read(): Promise<void> {
    this.reads++;
    if (this.reads === 2) this.#onSecondRead();
    if (this.reads !== 1) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#secondRead,
      new Promise((resolve) => (timer = setTimeout(resolve, this.#maxWaitMs))),
      ...(this.#duringFirstRead ? [this.#duringFirstRead()] : []),
    ]);
    clearTimeout(timer);
  }
}

const contact = '+250788123456';

/**
 * Runs `calls` at once against two store instances on one schema, each on a `pg` pool of its own (as two
 * processes would be), through one gate; returns the session ids the calls answered and the session rows.
 */
async function raceTwoInstances(
  database: TestDatabase,
  calls: number,
  call: (store: PostgresSessionStore, index: number) => Promise<string>,
): Promise<{ answered: string[]; rows: string[]; reads: number }> {
  const pools = await Promise.all(
    [0, 1].map(() => createPgClient({ connectionString: postgresUrl as string, max: 4 })),
  );
  try {
    // Open every connection first, so that the calls start together.
    await Promise.all(pools.flatMap((pool) => Array.from({ length: 4 }, () => pool.query('SELECT 1'))));
    const gate = new FirstSessionReadGate(2_000);
    const stores = pools.map((pool) => new PostgresSessionStore(gate.wrap(pool), { schema: database.schema }));
    const answered = await Promise.all(
      Array.from({ length: calls }, (_, index) => call(stores[index % 2] as PostgresSessionStore, index)),
    );
    const rows = await database.client.query<{ id: string }>(
      `SELECT id FROM ${database.schema}.patchbay_sessions WHERE contact = $1`,
      [contact],
    );
    return { answered, rows: rows.rows.map((row) => row.id), reads: gate.reads };
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
  }
}

// PGlite is left out: it is one connection in one process, so its transactions never overlap and the
// same tests would pass without the lock. The promise is about instances sharing a server.
describe('PostgresSessionStore instances sharing a PostgreSQL server', () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it.runIf(postgresUrl)(
    'concurrent getOrCreate for one contact from two instances opens exactly one session',
    async () => {
      database = await openTestDatabase('postgres');
      const { answered, rows, reads } = await raceTwoInstances(database, 20, async (store, index) => {
        const session = await store.getOrCreate(contact, { channel: index % 2 === 0 ? 'sms' : 'whatsapp' });
        return session.id;
      });
      expect(rows).toHaveLength(1);
      expect(new Set(answered)).toEqual(new Set(rows));
      // Every call read the open session inside its transaction, through the gate.
      expect(reads).toBe(20);
    },
  );

  it.runIf(postgresUrl)(
    'concurrent recordActivity for one contact from two instances share one session and thread',
    async () => {
      database = await openTestDatabase('postgres');
      const threads: string[] = [];
      const { answered, rows, reads } = await raceTwoInstances(database, 20, async (store, index) => {
        const { session, thread } = await store.recordActivity({
          contact,
          channel: index % 2 === 0 ? 'sms' : 'voice',
          direction: 'inbound',
          messageId: `m-${index}`,
        });
        threads.push(thread.id);
        return session.id;
      });
      expect(rows).toHaveLength(1);
      expect(new Set(answered)).toEqual(new Set(rows));
      expect(reads).toBe(20);
      const store = new PostgresSessionStore(database.client, { schema: database.schema });
      const thread = await store.getThread(threads[0] as string);
      expect(new Set(threads)).toEqual(new Set([thread?.id]));
      expect(thread?.entries).toHaveLength(20);
    },
  );

  it.runIf(postgresUrl)(
    'an update reopening a closed session while another instance opens one leaves exactly one open session',
    async () => {
      database = await openTestDatabase('postgres');
      const { schema } = database;
      const setup = new PostgresSessionStore(database.client, { schema });
      const closed = await setup.getOrCreate(contact, { channel: 'sms' });
      await setup.update(closed.id, { status: 'closed' });
      const pools = await Promise.all(
        [0, 1].map(() => createPgClient({ connectionString: postgresUrl as string, max: 2 })),
      );
      try {
        // Instance 0's getOrCreate reads "no open session" first; instance 1 reopens the closed one right then.
        let reopen: Promise<unknown> = Promise.resolve();
        const gate = new FirstSessionReadGate(2_000, () => {
          reopen = Promise.resolve(stores[1]?.update(closed.id, { status: 'active' })).catch((error: unknown) => error);
          return reopen;
        });
        const stores = pools.map((pool) => new PostgresSessionStore(gate.wrap(pool), { schema }));
        const opened = await (stores[0] as PostgresSessionStore).getOrCreate(contact, { channel: 'whatsapp' });
        const reopened = await reopen;
        const open = await database.client.query<{ id: string }>(
          `SELECT id FROM ${schema}.patchbay_sessions WHERE contact = $1 AND status <> 'closed'`,
          [contact],
        );
        expect(opened.id).not.toBe(closed.id);
        expect(open.rows.map((row) => row.id)).toEqual([opened.id]);
        expect(reopened).toMatchObject({ code: 'invalid_request', details: { field: 'status' } });
        expect((await setup.get(closed.id))?.status).toBe('closed');
      } finally {
        await Promise.all(pools.map((pool) => pool.close()));
      }
    },
  );
});
