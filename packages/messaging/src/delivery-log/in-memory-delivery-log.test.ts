import { describe, expect, it } from 'vitest';
import type { DeliveryStatusEvent, InboundMessageEvent } from '../webhooks/webhook-events.js';
import type { DeliveryLogEntry } from './delivery-log-store.js';
import { InMemoryDeliveryLog } from './in-memory-delivery-log.js';
import { logWebhookEvents, recordWebhookEvent } from './record-webhook-event.js';

const entry = (overrides: Partial<DeliveryLogEntry> = {}): DeliveryLogEntry => ({
  event: 'send-attempt',
  channel: 'sms',
  direction: 'outbound',
  status: 'queued',
  attempt: 1,
  ...overrides,
});

describe('InMemoryDeliveryLog', () => {
  it('assigns ids and timestamps and freezes records', () => {
    const log = new InMemoryDeliveryLog({ now: () => new Date(1000) });
    const record = log.append(entry({ messageId: 'm1' }));
    expect(record.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(record.createdAt).toEqual(new Date(1000));
    expect(record.updatedAt).toEqual(new Date(1000));
    expect(Object.isFrozen(record)).toBe(true);
    expect(log.findByMessageId('m1')).toEqual([record]);
  });

  it('evicts the oldest records beyond maxRecords, including from the message index', () => {
    const log = new InMemoryDeliveryLog({ maxRecords: 3 });
    for (let index = 0; index < 5; index += 1) log.append(entry({ messageId: `m${index}` }));
    expect(log.size).toBe(3);
    expect(log.list().map((record) => record.messageId)).toEqual(['m2', 'm3', 'm4']);
    expect(log.findByMessageId('m0')).toEqual([]);
    expect(log.findByMessageId('m4')).toHaveLength(1);
  });

  it('filters by every field and keeps the most recent `limit`', () => {
    let clock = 0;
    const log = new InMemoryDeliveryLog({ now: () => new Date((clock += 1000)) });
    log.append(entry({ tenant: 'acme', correlationId: 'c1', messageId: 'a', to: '+1' }));
    log.append(entry({ tenant: 'acme', channel: 'whatsapp', status: 'failed', messageId: 'b' }));
    log.append(entry({ tenant: 'globex', direction: 'inbound', status: 'received', event: 'inbound', messageId: 'c' }));
    log.append(entry({ tenant: 'acme', messageId: 'a', event: 'status-update', status: 'delivered' }));
    expect(log.list({ tenant: 'acme' })).toHaveLength(3);
    expect(log.list({ tenant: 'acme', limit: 2 }).map((record) => record.messageId)).toEqual(['b', 'a']);
    expect(log.list({ correlationId: 'c1' })).toHaveLength(1);
    expect(log.list({ channel: 'whatsapp' })[0]?.messageId).toBe('b');
    expect(log.list({ direction: 'inbound' })[0]?.messageId).toBe('c');
    expect(log.list({ status: 'delivered' })[0]?.event).toBe('status-update');
    expect(log.list({ event: 'inbound' })).toHaveLength(1);
    expect(log.list({ messageId: 'a' })).toHaveLength(2);
    expect(log.list({ to: '+1' })).toHaveLength(1);
    expect(log.list({ since: new Date(2000), until: new Date(4000) }).map((record) => record.messageId)).toEqual([
      'b',
      'c',
    ]);
  });

  it('rejects a non-positive maxRecords', () => {
    for (const maxRecords of [0, 1.5, Number.NaN]) {
      let caught: unknown;
      try {
        new InMemoryDeliveryLog({ maxRecords });
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ code: 'invalid_request', details: { field: 'maxRecords' } });
    }
  });
});

describe('recordWebhookEvent', () => {
  const status: DeliveryStatusEvent = {
    type: 'delivery-status',
    channel: 'whatsapp',
    vendor: 'meta',
    messageId: 'wamid.1',
    status: 'failed',
    errorCode: '131047',
    errorMessage: 'Re-engagement message',
    timestamp: new Date(50_000),
  };

  it('copies tenant, correlation id, provider and attempt from the send onto a status update', async () => {
    const log = new InMemoryDeliveryLog({ now: () => new Date(60_000) });
    log.append(
      entry({
        channel: 'whatsapp',
        tenant: 'acme',
        correlationId: 'call-7',
        provider: 'meta-main',
        vendor: 'meta',
        messageId: 'wamid.1',
        to: '+250788123456',
        attempt: 1,
      }),
    );
    const record = await recordWebhookEvent(log, status);
    expect(record).toMatchObject({
      event: 'status-update',
      tenant: 'acme',
      correlationId: 'call-7',
      provider: 'meta-main',
      to: '+250788123456',
      status: 'failed',
      errorCode: '131047',
      createdAt: new Date(60_000),
      updatedAt: new Date(50_000),
    });
    expect(log.findByMessageId('wamid.1').map((item) => item.event)).toEqual(['send-attempt', 'status-update']);
  });

  it('records inbound messages and works as a webhook listener', async () => {
    const log = new InMemoryDeliveryLog();
    const inbound: InboundMessageEvent = {
      type: 'inbound-message',
      channel: 'sms',
      vendor: 'twilio',
      from: '+250788123456',
      to: '+14155550100',
      text: 'STOP',
      media: [],
      messageId: 'SM1',
      receivedAt: new Date(1),
    };
    const seen: string[] = [];
    const listener = logWebhookEvents(log, (event) => {
      seen.push(event.messageId);
    });
    await listener(inbound, { request: new Request('https://example.com'), tenant: 'acme' });
    await listener(status, { request: new Request('https://example.com') });
    expect(seen).toEqual(['SM1', 'wamid.1']);
    expect(log.list({ direction: 'inbound' })).toEqual([
      expect.objectContaining({ event: 'inbound', status: 'received', tenant: 'acme', from: '+250788123456' }),
    ]);
    expect(log.list({ event: 'status-update' })).toHaveLength(1);
  });
});
