import {
  InMemoryAuditLog,
  InMemorySealedStorage,
  InMemoryStatusHistoryStore,
  InMemoryUsageAggregator,
} from '@patchbay/core';
import { InMemoryDeliveryLog, InMemorySessionStore } from '@patchbay/messaging';
import {
  defineAuditLogConformance,
  defineDeliveryLogConformance,
  defineSealedCredentialStorageConformance,
  defineSessionStoreConformance,
  defineStatusHistoryConformance,
  defineUsageStoreConformance,
  runConformance,
} from '@patchbay/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresDeliveryLog, PostgresSessionStore } from '../messaging/index.js';
import {
  closeSharedClients,
  databaseKinds,
  openTestDatabase,
  postgresUrl,
  type TestDatabase,
} from '../test-support/databases.js';
import { PostgresAuditLog } from './postgres-audit-log.js';
import { PostgresSealedCredentialStorage } from './postgres-sealed-credential-storage.js';
import { PostgresStatusHistoryStore } from './postgres-status-history.js';
import { PostgresUsageStore } from './postgres-usage-store.js';

afterAll(closeSharedClients);

// Without a server (PATCHBAY_TEST_SERVERS=off, or no postgresql package) the server runs are left
// out; this line shows that as a skip instead of passing quietly.
it.skipIf(!postgresUrl)('a real PostgreSQL server is available for the runs below', () => {
  expect(postgresUrl).toMatch(/^postgres:\/\/.+@127\.0\.0\.1:\d+\//);
});

describe('in memory', () => {
  describe('sealed credential storage', () =>
    runConformance(
      defineSealedCredentialStorageConformance({ create: () => ({ store: new InMemorySealedStorage() }) }),
      {
        it,
      },
    ));
  describe('usage', () =>
    runConformance(defineUsageStoreConformance({ create: () => ({ store: new InMemoryUsageAggregator() }) }), { it }));
  describe('delivery log', () =>
    runConformance(defineDeliveryLogConformance({ create: () => ({ store: new InMemoryDeliveryLog() }) }), { it }));
  describe('session store', () =>
    runConformance(defineSessionStoreConformance({ create: () => ({ store: new InMemorySessionStore() }) }), { it }));
  describe('audit log', () =>
    runConformance(defineAuditLogConformance({ create: () => ({ store: new InMemoryAuditLog() }) }), { it }));
  describe('status history', () =>
    runConformance(defineStatusHistoryConformance({ create: () => ({ store: new InMemoryStatusHistoryStore() }) }), {
      it,
    }));
});

describe.each(databaseKinds)('%s', (kind) => {
  const open = async <S extends object>(build: (database: TestDatabase) => S) => {
    const database = await openTestDatabase(kind);
    const store = build(database);
    const batched = store as { flush?: () => Promise<void>; close?: () => Promise<void> };
    return {
      store,
      flush: batched.flush && (() => (batched.flush as () => Promise<void>).call(store)),
      dispose: async () => {
        await batched.close?.call(store);
        await database.dispose();
      },
    };
  };
  describe('sealed credential storage', () =>
    runConformance(
      defineSealedCredentialStorageConformance({
        create: () => open(({ client, schema }) => new PostgresSealedCredentialStorage(client, { schema })),
      }),
      { it },
    ));
  describe('usage', () =>
    runConformance(
      defineUsageStoreConformance({
        create: () => open(({ client, schema }) => new PostgresUsageStore(client, { schema })),
      }),
      { it },
    ));
  describe('delivery log', () =>
    runConformance(
      defineDeliveryLogConformance({
        create: () => open(({ client, schema }) => new PostgresDeliveryLog(client, { schema })),
      }),
      { it },
    ));
  describe('audit log', () =>
    runConformance(
      defineAuditLogConformance({
        create: () => open(({ client, schema }) => new PostgresAuditLog(client, { schema })),
      }),
      { it },
    ));
  describe('status history', () =>
    runConformance(
      defineStatusHistoryConformance({
        create: () => open(({ client, schema }) => new PostgresStatusHistoryStore(client, { schema })),
      }),
      { it },
    ));
  describe('session store', () =>
    runConformance(
      defineSessionStoreConformance({
        create: () => open(({ client, schema }) => new PostgresSessionStore(client, { schema })),
      }),
      { it },
    ));
});
