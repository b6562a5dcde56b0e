import { MockMessagingProvider } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { InMemoryDeliveryLog } from '../delivery-log/in-memory-delivery-log.js';
import { createDualChannelMessenger } from '../dual-channel/dual-channel-messenger.js';
import { InMemoryRecipientPreferences } from '../dual-channel/recipient-preferences.js';
import { InMemorySessionStore } from './in-memory-session-store.js';
import type { ConversationThread } from './session-store.js';

const contact = '+250788123456';

function clock(start = Date.parse('2026-01-10T12:00:00Z')) {
  let time = start;
  return { now: () => new Date(time), advance: (ms: number) => (time += ms) };
}

function ids() {
  let next = 0;
  return () => `id-${++next}`;
}

describe('InMemorySessionStore', () => {
  it('gets or creates one open session per contact and tenant, with primary channel, agent and intent', () => {
    const time = clock();
    const store = new InMemorySessionStore({ now: time.now, newId: ids() });
    const session = store.getOrCreate('0788 123 456'.replace(/^0/, '+250'), {
      channel: 'voice',
      agentId: 'agent-1',
      intent: 'billing',
    });
    expect(session).toMatchObject({
      contact,
      primaryChannel: 'voice',
      activeChannels: ['voice'],
      lastActiveChannel: 'voice',
      status: 'active',
      lastAgentId: 'agent-1',
      lastIntent: 'billing',
    });
    expect(store.getOrCreate(contact, { channel: 'sms' }).id).toBe(session.id);
    expect(store.getOrCreate(contact, { channel: 'sms', tenant: 'acme' }).id).not.toBe(session.id);
    expect(store.update(session.id, { status: 'waiting', lastIntent: 'payment' })).toMatchObject({
      status: 'waiting',
      lastIntent: 'payment',
    });
    expect(store.update('missing', { status: 'closed' })).toBeUndefined();
    store.update(session.id, { status: 'closed' });
    expect(store.findOpen(contact)).toBeUndefined();
    expect(store.getOrCreate(contact, { channel: 'whatsapp' }).id).not.toBe(session.id);
  });

  it('links messages across channels in one thread and keeps the last active channel, SMS included', () => {
    const time = clock();
    const store = new InMemorySessionStore({ now: time.now, newId: ids() });
    store.recordActivity({ contact, channel: 'voice', direction: 'inbound', messageId: 'call-1' });
    store.recordActivity({ contact, channel: 'whatsapp', direction: 'outbound', messageId: 'wamid.1' });
    const { session, thread } = store.recordActivity({
      contact,
      channel: 'sms',
      direction: 'inbound',
      messageId: 'SM1',
    });
    expect(session.activeChannels).toEqual(['voice', 'whatsapp', 'sms']);
    expect(session.primaryChannel).toBe('voice');
    expect(store.lastActiveChannel(contact)).toBe('sms');
    expect(thread.entries.map((entry) => entry.messageId)).toEqual(['call-1', 'wamid.1', 'SM1']);
    expect(store.getThread(session.threadId)).toEqual(thread);
  });

  it('closes an idle session and opens a new thread on the next activity', () => {
    const time = clock();
    const store = new InMemorySessionStore({ now: time.now, newId: ids(), idleTimeoutMs: 60_000 });
    const first = store.recordActivity({ contact, channel: 'sms', direction: 'outbound' });
    time.advance(60_001);
    const second = store.recordActivity({ contact, channel: 'whatsapp', direction: 'inbound' });
    expect(second.session.id).not.toBe(first.session.id);
    expect(second.thread.id).not.toBe(first.thread.id);
    expect(second.session.primaryChannel).toBe('whatsapp');
  });

  it('stays bounded in contacts and thread entries at high cardinality', () => {
    const store = new InMemorySessionStore({ maxContacts: 500, maxThreadEntries: 10 });
    for (let index = 0; index < 5_000; index += 1) {
      store.recordActivity({
        contact: `+25078${String(index).padStart(7, '0')}`,
        channel: 'sms',
        direction: 'inbound',
      });
    }
    expect(store.size).toBe(500);
    let thread: ConversationThread | undefined;
    for (let index = 0; index < 1000; index += 1) {
      thread = store.recordActivity({ contact, channel: 'sms', direction: 'outbound', messageId: `m${index}` }).thread;
    }
    expect(thread?.entries).toHaveLength(10);
    expect(thread?.entries.at(-1)?.messageId).toBe('m999');
    expect(store.size).toBe(500);
  });
});

describe('dual-channel messenger with sessions', () => {
  it('records outbound and inbound on the session and puts session and thread ids on delivery log records', async () => {
    const time = clock();
    const sessions = new InMemorySessionStore({ now: time.now, newId: ids() });
    const preferences = new InMemoryRecipientPreferences();
    const deliveryLog = new InMemoryDeliveryLog();
    const messenger = createDualChannelMessenger({
      whatsapp: new MockMessagingProvider({ channel: 'whatsapp', script: { messageId: 'wamid.1' } }),
      sms: new MockMessagingProvider({ channel: 'sms', script: { messageId: 'SM1' } }),
      preferences,
      deliveryLog,
      sessions,
      now: time.now,
    });
    const sent = await messenger.send({ to: contact, body: 'Call summary' });
    expect(sent).toMatchObject({ status: 'sent', channel: 'sms' });
    await messenger.handleWebhookEvent({
      type: 'inbound-message',
      channel: 'sms',
      vendor: 'mtn',
      from: contact,
      to: 'EasyMO',
      text: 'Thanks',
      media: [],
      messageId: 'IN1',
      receivedAt: time.now(),
    });
    await messenger.handleDeliveryStatus({
      type: 'delivery-status',
      channel: 'sms',
      vendor: 'mock',
      messageId: 'SM1',
      status: 'delivered',
      timestamp: time.now(),
    });
    const session = sessions.findOpen(contact);
    expect(session).toMatchObject({ activeChannels: ['sms'], lastActiveChannel: 'sms' });
    const records = await deliveryLog.list();
    expect(records.map((record) => [record.event, record.sessionId, record.threadId])).toEqual([
      ['send-attempt', session?.id, session?.threadId],
      ['inbound', session?.id, session?.threadId],
      ['status-update', session?.id, session?.threadId],
    ]);
    expect(sessions.getThread(session?.threadId ?? '')?.entries.map((entry) => entry.direction)).toEqual([
      'outbound',
      'inbound',
    ]);
    // The recipient preferences now remember SMS inbound too.
    expect(preferences.get(contact)?.lastActiveChannel).toBe('sms');
  });

  it('still sends when the session store throws, and reports it', async () => {
    const errors: string[] = [];
    const sms = new MockMessagingProvider({ channel: 'sms' });
    const messenger = createDualChannelMessenger({
      whatsapp: new MockMessagingProvider({ channel: 'whatsapp' }),
      sms,
      preferences: new InMemoryRecipientPreferences(),
      sessions: Object.assign(new InMemorySessionStore(), {
        recordActivity: () => {
          throw new Error('sessions table is locked');
        },
      }),
      onError: (_error, context) => void errors.push(context.operation),
    });
    expect(await messenger.send({ to: contact, body: 'x' })).toMatchObject({ status: 'sent' });
    expect(sms.calls).toHaveLength(1);
    expect(errors).toEqual(['session']);
  });
});
