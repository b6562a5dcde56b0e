import { recordWebhookEvent } from '@patchbay/messaging';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeSharedClients, databaseKinds, openTestDatabase, type TestDatabase } from '../test-support/databases.js';
import { PostgresDeliveryLog } from './postgres-delivery-log.js';

afterAll(closeSharedClients);

describe.each(databaseKinds)('PostgresDeliveryLog (%s)', (kind) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it('records delivery-status webhooks against the send, inheriting its tenant, provider and recipient', async () => {
    database = await openTestDatabase(kind);
    const log = new PostgresDeliveryLog(database.client, { schema: database.schema });
    await log.append({
      event: 'send-attempt',
      channel: 'whatsapp',
      direction: 'outbound',
      status: 'sent',
      tenant: 'acme',
      provider: 'meta-whatsapp',
      vendor: 'meta',
      messageId: 'wamid.1',
      to: '+250788123456',
      correlationId: 'call-7',
      attempt: 1,
    });
    const update = await recordWebhookEvent(log, {
      type: 'delivery-status',
      channel: 'whatsapp',
      vendor: 'meta',
      messageId: 'wamid.1',
      status: 'failed',
      errorCode: '131047',
      timestamp: new Date('2026-01-01T10:00:05Z'),
    });
    expect(update).toMatchObject({
      event: 'status-update',
      tenant: 'acme',
      provider: 'meta-whatsapp',
      to: '+250788123456',
      correlationId: 'call-7',
      status: 'failed',
      errorCode: '131047',
    });
    expect(update.updatedAt.toISOString()).toBe('2026-01-01T10:00:05.000Z');
    expect((await log.list({ tenant: 'acme', status: 'failed' })).map((record) => record.messageId)).toEqual([
      'wamid.1',
    ]);
  });

  it('survives a new client on the same data: a second process sees the first one’s records', async () => {
    database = await openTestDatabase(kind);
    await new PostgresDeliveryLog(database.client, { schema: database.schema }).append({
      event: 'send-attempt',
      channel: 'sms',
      direction: 'outbound',
      status: 'queued',
      messageId: 'SM1',
      attempt: 1,
    });
    const again = new PostgresDeliveryLog(database.client, { schema: database.schema });
    expect((await again.findByMessageId('SM1')).map((record) => record.status)).toEqual(['queued']);
    expect(await again.prune(new Date(Date.now() + 60_000))).toBe(1);
    expect(await again.list()).toEqual([]);
  });

  it('stores a vendor error message holding a NUL byte (as U+FFFD) instead of failing the webhook', async () => {
    database = await openTestDatabase(kind);
    const log = new PostgresDeliveryLog(database.client, { schema: database.schema });
    const record = await log.append({
      event: 'status-update',
      channel: 'sms',
      direction: 'outbound',
      status: 'failed',
      messageId: 'SM\u0000x',
      errorMessage: 'Carrier\u0000said no',
      attempt: 1,
    });
    expect(record.errorMessage).toBe('Carrier\uFFFDsaid no');
    expect((await log.findByMessageId('SM\uFFFDx')).length).toBe(1);
  });
});
