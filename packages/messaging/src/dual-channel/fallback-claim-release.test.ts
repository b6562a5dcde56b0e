import { describe, expect, it } from 'vitest';
import type { DeliveryStatusEvent } from '../webhooks/webhook-events.js';
import { fallbackHarness, sessionOpenAt } from './dual-channel.test-support.js';
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

function setup(options: { state?: InMemoryDualChannelState } = {}) {
  const preferences = new FlakyPreferences({ [recipient]: sessionOpenAt(now) });
  return fallbackHarness(preferences, now, { state: options.state });
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
