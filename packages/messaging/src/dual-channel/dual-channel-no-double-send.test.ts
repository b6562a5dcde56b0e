import type { MessagingProvider, OutboundMessage, SendResult } from '@patchbay/core';
import { MockMessagingProvider } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import type { DeliveryLogEntry, DeliveryLogStore } from '../delivery-log/delivery-log-store.js';
import { InMemoryDeliveryLog } from '../delivery-log/in-memory-delivery-log.js';
import type { DeliveryStatusEvent } from '../webhooks/webhook-events.js';
import { createDualChannelMessenger, type MessengerErrorContext } from './dual-channel-messenger.js';
import { InMemoryDualChannelState } from './dual-channel-state.js';
import { InMemoryRecipientPreferences } from './recipient-preferences.js';

const recipient = '+250788123456';
const now = new Date('2026-01-10T12:00:00Z');

function preferences() {
  return new InMemoryRecipientPreferences({
    [recipient]: { hasWhatsApp: true, whatsappSessionOpenUntil: new Date(now.getTime() + 3_600_000) },
  });
}

function failed(messageId: string): DeliveryStatusEvent {
  return { type: 'delivery-status', channel: 'whatsapp', vendor: 'meta', messageId, status: 'failed', timestamp: now };
}

/** A log whose append can be made to throw or to wait. */
class ControlledLog implements DeliveryLogStore {
  readonly inner = new InMemoryDeliveryLog();
  failWhen: (entry: DeliveryLogEntry) => boolean = () => false;
  gate: Promise<void> | undefined;
  async append(entry: DeliveryLogEntry) {
    if (this.gate) await this.gate;
    if (this.failWhen(entry)) throw new Error('database is down');
    return this.inner.append(entry);
  }
  list() {
    return this.inner.list();
  }
  findByMessageId(messageId: string) {
    return this.inner.findByMessageId(messageId);
  }
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('dual-channel messenger: outcome separate from logging', () => {
  it('keeps a WhatsApp send that the log failed to record: no SMS, error reported', async () => {
    const whatsapp = new MockMessagingProvider({ channel: 'whatsapp', script: { messageId: 'wamid.A' } });
    const sms = new MockMessagingProvider({ channel: 'sms', script: { messageId: 'SM.A' } });
    const log = new ControlledLog();
    log.failWhen = () => true;
    const errors: MessengerErrorContext[] = [];
    const messenger = createDualChannelMessenger({
      whatsapp,
      sms,
      preferences: preferences(),
      deliveryLog: log,
      now: () => now,
      onError: (_error, context) => {
        errors.push(context);
        throw new Error('the error channel itself fails');
      },
    });
    const result = await messenger.send({ to: recipient, body: 'Your summary' });
    expect(result).toMatchObject({ status: 'sent', channel: 'whatsapp' });
    expect(sms.calls).toHaveLength(0);
    expect(errors).toEqual([expect.objectContaining({ operation: 'delivery-log', messageId: 'wamid.A' })]);
    // The message is still remembered: its failure webhook falls back to SMS exactly once.
    expect(await messenger.handleDeliveryStatus(failed('wamid.A'))).toMatchObject({ action: 'sms-fallback' });
    expect(sms.calls).toHaveLength(1);
  });

  it('keeps a WhatsApp send that the state store failed to remember: no SMS, error reported as `state`', async () => {
    for (const fails of ['throws', 'rejects'] as const) {
      const whatsapp = new MockMessagingProvider({ channel: 'whatsapp', script: { messageId: 'wamid.S' } });
      const sms = new MockMessagingProvider({ channel: 'sms', script: { messageId: 'SM.S' } });
      const log = new InMemoryDeliveryLog();
      const storeDown = new Error('state table is locked');
      const state = Object.assign(new InMemoryDualChannelState(), {
        remember:
          fails === 'throws'
            ? () => {
                throw storeDown;
              }
            : () => Promise.reject(storeDown),
      });
      const reported: [unknown, MessengerErrorContext][] = [];
      const messenger = createDualChannelMessenger({
        whatsapp,
        sms,
        preferences: preferences(),
        deliveryLog: log,
        state,
        now: () => now,
        onError: (error, context) => {
          reported.push([error, context]);
          throw new Error('the error channel itself fails');
        },
      });
      const result = await messenger.send({ to: recipient, body: 'Your summary' });
      expect([fails, result]).toMatchObject([fails, { status: 'sent', channel: 'whatsapp' }]);
      expect(sms.calls).toHaveLength(0);
      expect(reported).toEqual([[storeDown, expect.objectContaining({ operation: 'state', messageId: 'wamid.S' })]]);
      // The send is still logged; only the memory of it for a later SMS fallback was lost.
      expect((await log.findByMessageId('wamid.S')).map((entry) => [entry.event, entry.channel])).toEqual([
        ['send-attempt', 'whatsapp'],
      ]);
    }
  });

  it('does not lose a failure webhook that arrives while send() is still logging', async () => {
    const whatsapp = new MockMessagingProvider({ channel: 'whatsapp', script: { messageId: 'wamid.B' } });
    const sms = new MockMessagingProvider({ channel: 'sms', script: { messageId: 'SM.B' } });
    const log = new ControlledLog();
    const gate = deferred();
    log.gate = gate.promise;
    const messenger = createDualChannelMessenger({
      whatsapp,
      sms,
      preferences: preferences(),
      deliveryLog: log,
      now: () => now,
    });
    const sending = messenger.send({ to: recipient, body: 'Hello' });
    await new Promise((resolve) => setImmediate(resolve));
    const webhook = messenger.handleDeliveryStatus(failed('wamid.B'));
    gate.resolve();
    const [sent, action] = await Promise.all([sending, webhook]);
    expect(sent).toMatchObject({ status: 'sent', channel: 'whatsapp' });
    expect(action).toMatchObject({ action: 'sms-fallback', fallbackOf: 'wamid.B' });
    expect(sms.calls).toHaveLength(1);
  });

  it('keeps a failure webhook that arrives before the vendor answered the send, and falls back once', async () => {
    const answer = deferred();
    const sms = new MockMessagingProvider({ channel: 'sms', script: { messageId: 'SM.C' } });
    const base = new MockMessagingProvider({ channel: 'whatsapp' });
    const whatsapp: MessagingProvider = Object.assign(Object.create(base), {
      send: async (message: OutboundMessage): Promise<SendResult> => {
        await answer.promise;
        return {
          messageId: 'wamid.C',
          status: 'queued',
          channel: 'whatsapp',
          to: message.to,
          segments: 1,
          provider: 'wa',
          vendor: 'meta',
        };
      },
    });
    const messenger = createDualChannelMessenger({ whatsapp, sms, preferences: preferences(), now: () => now });
    const sending = messenger.send({ to: recipient, body: 'Hello' });
    expect(await messenger.handleDeliveryStatus(failed('wamid.C'))).toEqual({
      action: 'none',
      reason: 'unknown_message',
    });
    answer.resolve();
    const sent = await sending;
    expect(sent).toMatchObject({ status: 'sent', channel: 'whatsapp', asyncFallback: { action: 'sms-fallback' } });
    expect(sms.calls).toHaveLength(1);
    // The redelivered webhook finds the fallback already done.
    expect(await messenger.handleDeliveryStatus(failed('wamid.C'))).toEqual({
      action: 'none',
      reason: 'already_handled',
    });
    expect(sms.calls).toHaveLength(1);
  });

  it('falls back to SMS after a WhatsApp refusal even when logging the refusal fails', async () => {
    const whatsapp = new MockMessagingProvider({ channel: 'whatsapp', script: { error: 'invalid_request' } });
    const sms = new MockMessagingProvider({ channel: 'sms', script: { messageId: 'SM.D' } });
    const log = new ControlledLog();
    log.failWhen = () => true;
    const messenger = createDualChannelMessenger({
      whatsapp,
      sms,
      preferences: preferences(),
      deliveryLog: log,
      now: () => now,
    });
    expect(await messenger.send({ to: recipient, body: 'Hi' })).toMatchObject({ status: 'sent', channel: 'sms' });
    expect(sms.calls).toHaveLength(1);
  });

  it('keeps a bounded number of early failures', async () => {
    const whatsapp = new MockMessagingProvider({ channel: 'whatsapp', script: { messageId: 'wamid.late' } });
    const sms = new MockMessagingProvider({ channel: 'sms' });
    const messenger = createDualChannelMessenger({ whatsapp, sms, preferences: preferences(), now: () => now });
    for (let index = 0; index < 5000; index += 1) await messenger.handleDeliveryStatus(failed(`wamid.forged.${index}`));
    // The oldest forged ids were dropped; a real one parked last is still honoured.
    await messenger.handleDeliveryStatus(failed('wamid.late'));
    expect(await messenger.send({ to: recipient, body: 'x' })).toMatchObject({
      asyncFallback: { action: 'sms-fallback' },
    });
  });
});

describe('dual-channel messenger: idempotency keys', () => {
  function setup(whatsappScript: ConstructorParameters<typeof MockMessagingProvider>[0] = {}) {
    const whatsapp = new MockMessagingProvider({
      channel: 'whatsapp',
      script: { messageId: 'wamid.K' },
      ...whatsappScript,
    });
    const sms = new MockMessagingProvider({ channel: 'sms', script: { messageId: 'SM.K' } });
    let clock = now.getTime();
    const messenger = createDualChannelMessenger({
      whatsapp,
      sms,
      preferences: new InMemoryRecipientPreferences(),
      now: () => new Date(clock),
      idempotencyWindowMs: 60_000,
    });
    return { whatsapp, sms, messenger, advance: (ms: number) => (clock += ms) };
  }

  it('sends a retried key once and returns the first result', async () => {
    const { sms, messenger } = setup();
    const first = await messenger.send({ to: recipient, body: 'OTP 1234', idempotencyKey: 'otp-1' });
    const second = await messenger.send({ to: recipient, body: 'OTP 1234', idempotencyKey: 'otp-1' });
    expect(second).toEqual(first);
    expect(sms.calls).toHaveLength(1);
    await messenger.send({ to: recipient, body: 'OTP 1234', idempotencyKey: 'otp-1' }, { tenant: 'other' });
    expect(sms.calls).toHaveLength(2);
  });

  it('lets concurrent duplicates wait for and share the first result', async () => {
    const { sms, messenger } = setup();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => messenger.send({ to: recipient, body: 'OTP', idempotencyKey: 'otp-2' })),
    );
    expect(sms.calls).toHaveLength(1);
    for (const result of results) expect(result).toEqual(results[0]);
  });

  it('releases the key after a definite failure and keeps it after an unknown outcome', async () => {
    const sms = new MockMessagingProvider({
      channel: 'sms',
      script: [{ error: 'invalid_request' }, { messageId: 'SM.ok' }, { error: 'timeout', outcomeUnknown: true }],
    });
    const messenger = createDualChannelMessenger({
      whatsapp: new MockMessagingProvider({ channel: 'whatsapp' }),
      sms,
      preferences: new InMemoryRecipientPreferences(),
    });
    await expect(messenger.send({ to: recipient, body: 'x', idempotencyKey: 'a' })).rejects.toMatchObject({
      code: 'invalid_request',
    });
    expect(await messenger.send({ to: recipient, body: 'x', idempotencyKey: 'a' })).toMatchObject({ status: 'sent' });
    expect(sms.calls).toHaveLength(2);
    await expect(messenger.send({ to: recipient, body: 'y', idempotencyKey: 'b' })).rejects.toMatchObject({
      outcomeUnknown: true,
    });
    await expect(messenger.send({ to: recipient, body: 'y', idempotencyKey: 'b' })).rejects.toMatchObject({
      code: 'timeout',
      outcomeUnknown: true,
    });
    expect(sms.calls).toHaveLength(3);
  });
});
