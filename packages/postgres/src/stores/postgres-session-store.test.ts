import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeSharedClients, databaseKinds, openTestDatabase, type TestDatabase } from '../test-support/databases.js';
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

  it('refuses a contact that is not a phone number, naming the field', async () => {
    database = await openTestDatabase(kind);
    const store = new PostgresSessionStore(database.client, { schema: database.schema });
    await expect(store.getOrCreate('not a number', { channel: 'sms' })).rejects.toMatchObject({
      code: 'invalid_request',
      details: { field: 'contact' },
    });
  });
});
