// README (packages/messaging/README.md, "No double sends"): a failure webhook for an id the messenger does not
// know yet is kept, bounded to 1000 ids and 15 minutes; when the send returns that id, the SMS fallback runs.
// The count bound is covered in dual-channel-no-double-send.test.ts; this file covers the 15 minutes, on the
// messenger's injected clock, whether or not another early failure arrived since.
import { MockMessagingProvider } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { whatsappFailure } from '../test-support.js';
import { createDualChannelMessenger } from './dual-channel-messenger.js';
import { InMemoryRecipientPreferences } from './recipient-preferences.js';

const recipient = '+250788123456';
const start = new Date('2026-01-10T12:00:00Z').getTime();
const minute = 60_000;

function setup(whatsappIds: string[]) {
  let clock = start;
  const whatsapp = new MockMessagingProvider({
    channel: 'whatsapp',
    script: whatsappIds.map((messageId) => ({ messageId })),
  });
  const sms = new MockMessagingProvider({ channel: 'sms', script: { messageId: 'SM.early' } });
  const preferences = new InMemoryRecipientPreferences({
    [recipient]: { hasWhatsApp: true, whatsappSessionOpenUntil: new Date(start + 24 * 60 * minute) },
  });
  const messenger = createDualChannelMessenger({ whatsapp, sms, preferences, now: () => new Date(clock) });
  return {
    sms,
    messenger,
    advance: (ms: number) => {
      clock += ms;
    },
    at: () => clock,
  };
}

describe('failure webhooks that arrive before the send answered', () => {
  it('are honoured when the send returns within 15 minutes', async () => {
    const { sms, messenger, advance, at } = setup(['wamid.early']);
    await messenger.handleDeliveryStatus(whatsappFailure('wamid.early', new Date(at())));
    advance(14 * minute);
    // Another early failure is kept now: keeping it drops whatever has expired, and wamid.early has not.
    await messenger.handleDeliveryStatus(whatsappFailure('wamid.other', new Date(at())));
    expect(await messenger.send({ to: recipient, body: 'hi' })).toMatchObject({
      asyncFallback: { action: 'sms-fallback' },
    });
    expect(sms.calls).toHaveLength(1);
  });

  it('are dropped once 15 minutes have passed (when the next early failure is kept)', async () => {
    const { sms, messenger, advance, at } = setup(['wamid.stale']);
    await messenger.handleDeliveryStatus(whatsappFailure('wamid.stale', new Date(at())));
    advance(15 * minute + 1);
    await messenger.handleDeliveryStatus(whatsappFailure('wamid.other', new Date(at())));
    const result = await messenger.send({ to: recipient, body: 'hi' });
    expect(result).toMatchObject({ status: 'sent', channel: 'whatsapp' });
    expect(result).not.toHaveProperty('asyncFallback');
    expect(sms.calls).toHaveLength(0);
  });

  it('are dropped once 15 minutes have passed, with no other early failure since', async () => {
    const { sms, messenger, advance, at } = setup(['wamid.alone']);
    await messenger.handleDeliveryStatus(whatsappFailure('wamid.alone', new Date(at())));
    advance(15 * minute);
    const result = await messenger.send({ to: recipient, body: 'hi' });
    expect(result).toMatchObject({ status: 'sent', channel: 'whatsapp' });
    expect(result).not.toHaveProperty('asyncFallback');
    expect(sms.calls).toHaveLength(0);
  });
});
