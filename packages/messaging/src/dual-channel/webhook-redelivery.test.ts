import { MockMessagingProvider } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { InMemoryDeliveryLog } from '../delivery-log/in-memory-delivery-log.js';
import { logWebhookEvents } from '../delivery-log/record-webhook-event.js';
import { InMemorySessionStore } from '../sessions/in-memory-session-store.js';
import type { SessionActivity } from '../sessions/session-store.js';
import type { DeliveryStatusEvent, InboundMessageEvent } from '../webhooks/webhook-events.js';
import { metaTimestamp, metaWebhookBody, signedMetaWebhook } from './dual-channel.test-support.js';
import { createDualChannelMessenger, type DualChannelMessengerOptions } from './dual-channel-messenger.js';
import { InMemoryRecipientPreferences } from './recipient-preferences.js';

/**
 * README: vendors deliver webhooks at least once, and the dual-channel messenger handles a redelivered
 * inbound message or status event idempotently — one log record, one thread entry.
 */
const customer = '+250788123456';
const now = new Date('2026-01-10T12:00:00Z');

/** Counts thread entries per message id. */
class CountingSessions extends InMemorySessionStore {
  readonly recorded: (string | undefined)[] = [];
  override recordActivity(activity: SessionActivity) {
    this.recorded.push(activity.messageId);
    return super.recordActivity(activity);
  }
}

function inbound(messageId: string, overrides: Partial<InboundMessageEvent> = {}): InboundMessageEvent {
  return {
    type: 'inbound-message',
    channel: 'whatsapp',
    vendor: 'meta',
    from: customer,
    to: '+15550783881',
    text: 'Hello',
    media: [],
    messageId,
    receivedAt: now,
    ...overrides,
  };
}

function status(messageId: string, value: DeliveryStatusEvent['status']): DeliveryStatusEvent {
  return { type: 'delivery-status', channel: 'whatsapp', vendor: 'meta', messageId, status: value, timestamp: now };
}

function setup(options: Partial<DualChannelMessengerOptions> = {}) {
  const deliveryLog = new InMemoryDeliveryLog();
  const sessions = new CountingSessions({ now: () => now });
  const preferences = new InMemoryRecipientPreferences();
  const messenger = createDualChannelMessenger({
    whatsapp: new MockMessagingProvider({ channel: 'whatsapp', script: { messageId: 'wamid.OUT' } }),
    sms: new MockMessagingProvider({ channel: 'sms', script: { messageId: 'SM.OUT' } }),
    preferences,
    deliveryLog,
    sessions,
    now: () => now,
    ...options,
  });
  return { deliveryLog, sessions, preferences, messenger };
}

function threadEntries(sessions: InMemorySessionStore, messageId: string): number {
  const session = sessions.findOpen(customer);
  if (session === undefined) return 0;
  const thread = sessions.getThread(session.threadId);
  return thread?.entries.filter((entry) => entry.messageId === messageId).length ?? 0;
}

describe('a redelivered webhook is handled once', () => {
  it('the same signed inbound webhook delivered twice (and concurrently): one inbound record, one thread entry', async () => {
    const { deliveryLog, sessions, messenger } = setup();
    const body = metaWebhookBody({
      messages: [
        { from: '250788123456', id: 'wamid.IN1', timestamp: metaTimestamp(now), type: 'text', text: { body: 'Hello' } },
      ],
    });
    const { deliver } = signedMetaWebhook(messenger.webhookListener, body);
    expect((await deliver()).status).toBe(200);
    expect((await deliver()).status).toBe(200);
    expect((await Promise.all([deliver(), deliver()])).map((response) => response.status)).toEqual([200, 200]);
    expect(deliveryLog.list({ event: 'inbound' }).map((record) => record.messageId)).toEqual(['wamid.IN1']);
    expect(threadEntries(sessions, 'wamid.IN1')).toBe(1);
  });

  it('the same status twice: one status record; each new status is still recorded', async () => {
    const { deliveryLog, messenger } = setup();
    await messenger.handleWebhookEvent(status('wamid.OUT', 'sent'));
    await Promise.all([
      messenger.handleWebhookEvent(status('wamid.OUT', 'sent')),
      messenger.handleWebhookEvent(status('wamid.OUT', 'delivered')),
      messenger.handleWebhookEvent(status('wamid.OUT', 'delivered')),
    ]);
    await messenger.handleWebhookEvent(status('wamid.OUT', 'read'));
    expect(deliveryLog.list({ event: 'status-update' }).map((record) => record.status)).toEqual([
      'sent',
      'delivered',
      'read',
    ]);
  });

  it('a delivery that failed after recording is retried without recording again', async () => {
    const { deliveryLog, sessions, preferences, messenger } = setup();
    let failures = 1;
    const recordInbound = preferences.recordInbound.bind(preferences);
    preferences.recordInbound = (phoneNumber, details) => {
      if (failures-- > 0) throw new Error('profiles database is briefly down');
      return recordInbound(phoneNumber, details);
    };
    await expect(messenger.handleWebhookEvent(inbound('wamid.IN2'))).rejects.toThrow('briefly down');
    await messenger.handleWebhookEvent(inbound('wamid.IN2'));
    // The retried part ran: the inbound WhatsApp message opened the 24-hour window.
    expect((await messenger.checkRecipient(customer)).whatsappSessionOpen).toBe(true);
    expect(deliveryLog.list({ event: 'inbound' })).toHaveLength(1);
    expect(threadEntries(sessions, 'wamid.IN2')).toBe(1);
  });

  it('another instance sharing the log recognises a redelivery from the log', async () => {
    const first = setup();
    const second = setup({ deliveryLog: first.deliveryLog, sessions: first.sessions });
    await first.messenger.handleWebhookEvent(inbound('wamid.IN3'));
    await first.messenger.handleWebhookEvent(status('wamid.OUT', 'delivered'));
    await second.messenger.handleWebhookEvent(inbound('wamid.IN3'));
    await second.messenger.handleWebhookEvent(status('wamid.OUT', 'delivered'));
    expect(first.deliveryLog.list().map((record) => [record.event, record.messageId])).toEqual([
      ['inbound', 'wamid.IN3'],
      ['status-update', 'wamid.OUT'],
    ]);
    expect(threadEntries(first.sessions, 'wamid.IN3')).toBe(1);
  });

  it('the same message id from another vendor is another event', async () => {
    const { deliveryLog, messenger } = setup();
    await messenger.handleWebhookEvent(inbound('42'));
    await messenger.handleWebhookEvent(inbound('42', { vendor: 'twilio', channel: 'sms' }));
    expect(deliveryLog.list({ event: 'inbound' }).map((record) => record.vendor)).toEqual(['meta', 'twilio']);
  });

  it('remembers the last 10 000 events itself; without a log an older redelivery reaches the thread again', async () => {
    const { sessions, messenger } = setup({ deliveryLog: undefined });
    for (let index = 0; index <= 10_000; index += 1) await messenger.handleWebhookEvent(inbound(`wamid.${index}`));
    const count = (messageId: string) => sessions.recorded.filter((id) => id === messageId).length;
    await messenger.handleWebhookEvent(inbound('wamid.1'));
    expect(count('wamid.1')).toBe(1);
    await messenger.handleWebhookEvent(inbound('wamid.0'));
    expect(count('wamid.0')).toBe(2);
  });
});

describe('logWebhookEvents', () => {
  it('records a redelivered event once', async () => {
    const log = new InMemoryDeliveryLog();
    const listener = logWebhookEvents(log);
    const context = { request: new Request('https://hooks.example.com/meta') };
    for (const event of [inbound('wamid.L'), inbound('wamid.L'), status('wamid.L', 'read'), status('wamid.L', 'read')])
      await listener(event, context);
    expect(log.list().map((record) => [record.event, record.status])).toEqual([
      ['inbound', 'received'],
      ['status-update', 'read'],
    ]);
  });
});
