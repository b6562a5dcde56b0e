// README (packages/messaging/README.md, "No double sends"): a failure webhook for an id the messenger does not
// know yet is kept, "bounded: 1000 ids". early-failure-expiry.test.ts covers the 15 minutes; this file pins the
// count: after 1001 parked ids the oldest one is dropped and the other 1000 are all still honoured, so the test
// fails with a smaller bound, a larger one, or none.
import { MockMessagingProvider } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { whatsappFailure } from '../test-support.js';
import { createDualChannelMessenger } from './dual-channel-messenger.js';
import { InMemoryRecipientPreferences } from './recipient-preferences.js';

const recipient = '+250788123456';
const start = new Date('2026-01-10T12:00:00Z').getTime();
const bound = 1000;
const id = (index: number) => `wamid.early.${index}`;

function setup(whatsappIds: string[]) {
  const whatsapp = new MockMessagingProvider({
    channel: 'whatsapp',
    script: whatsappIds.map((messageId) => ({ messageId })),
  });
  const sms = new MockMessagingProvider({ channel: 'sms', script: { messageId: 'SM.bound' } });
  const preferences = new InMemoryRecipientPreferences({
    [recipient]: { hasWhatsApp: true, whatsappSessionOpenUntil: new Date(start + 24 * 60 * 60_000) },
  });
  // The clock stands still: only the count bound can drop a parked failure here, never the 15 minutes.
  const messenger = createDualChannelMessenger({ whatsapp, sms, preferences, now: () => new Date(start) });
  return { sms, messenger };
}

async function park(messenger: ReturnType<typeof setup>['messenger'], count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    expect(await messenger.handleDeliveryStatus(whatsappFailure(id(index), new Date(start)))).toEqual({
      action: 'none',
      reason: 'unknown_message',
    });
  }
}

describe('early failures are bounded to 1000 ids', () => {
  it('keeps exactly the 1000 newest: after 1001 the first is gone, the second and the last still fall back', async () => {
    // Sends return the oldest parked id, the next oldest, then the newest.
    const { sms, messenger } = setup([id(0), id(1), id(bound)]);
    await park(messenger, bound + 1);

    const oldest = await messenger.send({ to: recipient, body: 'first' });
    expect(oldest).toMatchObject({ status: 'sent', channel: 'whatsapp' });
    expect(oldest).not.toHaveProperty('asyncFallback');
    expect(sms.calls).toHaveLength(0);

    expect(await messenger.send({ to: recipient, body: 'second' })).toMatchObject({
      asyncFallback: { action: 'sms-fallback' },
    });
    expect(await messenger.send({ to: recipient, body: 'newest' })).toMatchObject({
      asyncFallback: { action: 'sms-fallback' },
    });
    expect(sms.calls.map((call) => call.request.body)).toEqual(['second', 'newest']);
  });

  it('drops nothing at exactly 1000', async () => {
    const { sms, messenger } = setup([id(0)]);
    await park(messenger, bound);
    expect(await messenger.send({ to: recipient, body: 'first' })).toMatchObject({
      asyncFallback: { action: 'sms-fallback' },
    });
    expect(sms.calls).toHaveLength(1);
  });
});
