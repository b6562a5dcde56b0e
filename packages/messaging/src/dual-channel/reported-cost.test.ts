import { createPatchbay, type UsageRecord } from '@patchbay/core';
import { mockFactories } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import type { DeliveryStatusEvent } from '../webhooks/webhook-events.js';
import { createDualChannelMessenger, type MessengerErrorContext } from './dual-channel-messenger.js';
import { InMemoryRecipientPreferences } from './recipient-preferences.js';

const recipient = '+250788123456';

function delivered(messageId: string, cost?: DeliveryStatusEvent['cost']): DeliveryStatusEvent {
  return {
    type: 'delivery-status',
    channel: 'sms',
    vendor: 'mock',
    messageId,
    status: 'delivered',
    timestamp: new Date(),
    cost,
  };
}

function setup(script: Record<string, unknown>) {
  const patchbay = createPatchbay({
    config: {
      providers: {
        'sms-main': { kind: 'sms', vendor: 'mock', settings: { script } },
        'wa-main': { kind: 'whatsapp', vendor: 'mock', settings: {} },
      },
    },
    factories: mockFactories,
    env: false,
  });
  const records: UsageRecord[] = [];
  patchbay.on('usage', (record) => records.push(record));
  const errors: MessengerErrorContext[] = [];
  const messenger = createDualChannelMessenger({
    whatsapp: patchbay.whatsapp,
    sms: patchbay.sms,
    preferences: new InMemoryRecipientPreferences({ [recipient]: { hasWhatsApp: false } }),
    meter: patchbay,
    onError: (_error, context) => errors.push(context),
  });
  return { patchbay, messenger, records, errors };
}

describe('a cost reported by a delivery report flows into metering', () => {
  it('meters the report’s price once, on the provider and tenant that sent', async () => {
    const { patchbay, messenger, records } = setup({ messageId: 'SM1' });
    const sent = await messenger.send({ to: recipient, body: 'Your code is 1234' }, { tenant: 'acme' });
    expect(sent.status).toBe('sent');
    const before = records.length;
    await messenger.handleDeliveryStatus(delivered('SM1', { amount: 0.0079, currency: 'USD' }));
    await messenger.handleDeliveryStatus(delivered('SM1', { amount: 0.0079, currency: 'USD' }));
    const reported = records.slice(before);
    expect(reported).toEqual([
      expect.objectContaining({ provider: 'sms-main', tenant: 'acme', quantity: 0, cost: 0.0079, currency: 'USD' }),
    ]);
    await patchbay.close();
  });

  it('leaves messages priced at send time, and messages it did not send, alone', async () => {
    const { patchbay, messenger, records } = setup({ messageId: 'SM2', cost: { amount: 0.01, currency: 'USD' } });
    await messenger.send({ to: recipient, body: 'Hello' }, { tenant: 'acme' });
    const before = records.length;
    await messenger.handleDeliveryStatus(delivered('SM2', { amount: 0.01, currency: 'USD' }));
    await messenger.handleDeliveryStatus(delivered('SM-unknown', { amount: 0.02, currency: 'USD' }));
    expect(records.slice(before)).toEqual([]);
    await patchbay.close();
  });

  it('reports a meter that throws on the error channel and keeps handling the event', async () => {
    const { patchbay, messenger, errors } = setup({ messageId: 'SM3' });
    await messenger.send({ to: recipient, body: 'Hello' });
    const action = await messenger.handleDeliveryStatus(delivered('SM3', { amount: Number.NaN, currency: 'USD' }));
    expect(action).toMatchObject({ action: 'none' });
    expect(errors).toEqual([expect.objectContaining({ operation: 'reported-cost', messageId: 'SM3' })]);
    await patchbay.close();
  });
});
