import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from './migrate.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from './test-support/databases.js';

describe.each(databaseKinds)('migrate (%s)', (kind) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it('applies every shipped migration once and records it', async () => {
    database = await openTestDatabase(kind, { migrate: false });
    const first = await migrate(database.client, { schema: database.schema });
    expect(first.applied).toEqual([1]);
    expect(first.version).toBe(1);
    const again = await migrate(database.client, { schema: database.schema });
    expect(again).toEqual({ applied: [], version: 1 });
    const ledger = await database.client.query<{ version: number; name: string }>(
      `SELECT version, name FROM ${database.schema}.patchbay_migrations`,
    );
    expect(ledger.rows).toEqual([{ version: 1, name: 'initial' }]);
  });
});
