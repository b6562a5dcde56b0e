import { MockMessagingProvider } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { InMemoryDeliveryLog } from '../delivery-log/in-memory-delivery-log.js';
import { computeMetaSignature, createMetaWebhookHandler } from '../meta/meta-webhook.js';
import type { DeliveryStatusEvent } from '../webhooks/webhook-events.js';
import { createDualChannelMessenger, type MessengerErrorContext } from './dual-channel-messenger.js';
import { InMemoryDualChannelState } from './dual-channel-state.js';
import {
  InMemoryRecipientPreferences,
  type RecipientLookupContext,
  type RecipientPreferences,
} from './recipient-preferences.js';

/**
 * README, "WhatsApp or SMS" step 5: the SMS fallback goes out exactly once however often the webhook is
 * delivered — also when the fallback fails before its send (a preferences lookup that throws), which
 * answers 500 so the vendor redelivers: the redelivery must send, not answer `already_handled`.
 */
const recipient = '+250788123456';
const now = new Date('2026-01-10T12:00:00Z');
const appSecret = 'app-secret';
const failedStatus: DeliveryStatusEvent = {
  type: 'delivery-status',
  channel: 'whatsapp',
  vendor: 'meta',
  messageId: 'wamid.F',
  status: 'failed',
  timestamp: now,
};

/** Preferences whose lookup throws the next `failures` times it is called. */
class FlakyPreferences extends InMemoryRecipientPreferences {
  failures = 0;
  override get(phoneNumber: string, context: RecipientLookupContext): RecipientPreferences | undefined {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('profiles database is briefly down');
    }
    return super.get(phoneNumber, context);
  }
}

function failedStatusBody(messageId: string): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: 'PNID' },
              statuses: [
                {
                  id: messageId,
                  status: 'failed',
                  timestamp: String(Math.floor(now.getTime() / 1000)),
                  recipient_id: '250788123456',
                  errors: [{ code: 131047, title: 'Re-engagement message' }],
                },
              ],
            },
          },
        ],
      },
    ],
  });
}

function setup(options: { state?: InMemoryDualChannelState } = {}) {
  const whatsapp = new MockMessagingProvider({ channel: 'whatsapp', script: { messageId: 'wamid.F' } });
  const sms = new MockMessagingProvider({ channel: 'sms', script: { messageId: 'SM.F' } });
  const preferences = new FlakyPreferences({
    [recipient]: { hasWhatsApp: true, whatsappSessionOpenUntil: new Date(now.getTime() + 3_600_000) },
  });
  const errors: [unknown, MessengerErrorContext][] = [];
  const messenger = createDualChannelMessenger({
    whatsapp,
    sms,
    preferences,
    deliveryLog: new InMemoryDeliveryLog(),
    state: options.state,
    now: () => now,
    onError: (error, context) => errors.push([error, context]),
  });
  const handler = createMetaWebhookHandler({ appSecret, verifyToken: 'v', onEvent: messenger.webhookListener });
  const body = failedStatusBody('wamid.F');
  const deliver = () =>
    handler(
      new Request('https://hooks.example.com/meta', {
        method: 'POST',
        headers: { 'x-hub-signature-256': computeMetaSignature(appSecret, body) },
        body,
      }),
    );
  return { sms, preferences, messenger, deliver, errors };
}

describe('SMS fallback after a failure before the send', () => {
  it('a preferences lookup that throws once: first delivery 500, the redelivery sends exactly one SMS', async () => {
    const { sms, preferences, messenger, deliver } = setup();
    expect(await messenger.send({ to: recipient, body: 'Your ride is here' })).toMatchObject({ channel: 'whatsapp' });
    preferences.failures = 1;
    expect((await deliver()).status).toBe(500);
    expect(sms.calls).toHaveLength(0);
    expect((await deliver()).status).toBe(200);
    expect((await deliver()).status).toBe(200);
    expect(sms.sent).toEqual([expect.objectContaining({ to: recipient, body: 'Your ride is here' })]);
    expect(await messenger.handleDeliveryStatus(failedStatus)).toEqual({
      action: 'none',
      reason: 'already_handled',
    });
    expect(sms.calls).toHaveLength(1);
  });

  it('a state store that cannot give the claim back is reported, and the lookup error still answers 500', async () => {
    const state = new InMemoryDualChannelState();
    const storeDown = new Error('state table is locked');
    state.releaseFallback = () => {
      throw storeDown;
    };
    const { sms, preferences, messenger, deliver, errors } = setup({ state });
    await messenger.send({ to: recipient, body: 'Your ride is here' });
    preferences.failures = 1;
    expect((await deliver()).status).toBe(500);
    expect(errors).toEqual([[storeDown, expect.objectContaining({ operation: 'state', messageId: 'wamid.F' })]]);
    expect(sms.calls).toHaveLength(0);
  });
});
