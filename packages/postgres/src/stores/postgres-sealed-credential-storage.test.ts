import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeSharedClients, databaseKinds, openTestDatabase, type TestDatabase } from '../test-support/databases.js';
import { PostgresSealedCredentialStorage } from './postgres-sealed-credential-storage.js';

afterAll(closeSharedClients);

describe.each(databaseKinds)('PostgresSealedCredentialStorage (%s)', (kind) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it('refuses a NUL character in a tenant or provider id with a typed error naming the field', async () => {
    database = await openTestDatabase(kind);
    const storage = new PostgresSealedCredentialStorage(database.client, { schema: database.schema });
    await expect(storage.write('a\u0000b', 'openai', 'sealed')).rejects.toMatchObject({
      code: 'invalid_request',
      details: { field: 'tenant' },
    });
    await expect(storage.read('tenant', 'open\u0000ai')).rejects.toMatchObject({ details: { field: 'provider' } });
  });

  it('keeps the key id of each row, so a rotation’s progress can be counted', async () => {
    database = await openTestDatabase(kind);
    const storage = new PostgresSealedCredentialStorage(database.client, { schema: database.schema });
    await storage.write('t1', 'openai', 'pb2.k1.iv.tag.body');
    await storage.write('t2', 'openai', 'pb2.k1.iv.tag.body');
    await storage.write('t3', 'openai', 'pb2.k2.iv.tag.body');
    expect(await storage.replace('t1', 'openai', 'pb2.k2.iv.tag.body', 1)).toBe(true);
    expect({ ...(await storage.countByKeyId()) }).toEqual({ k1: 1, k2: 2 });
  });
});
