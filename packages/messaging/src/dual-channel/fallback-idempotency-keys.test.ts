// README (packages/messaging/README.md, "How a message is routed", step 4): the first channel gets the caller's
// `idempotencyKey`; a fallback gets `key:sms` / `key:whatsapp`, and the asynchronous re-send `key:sms-fallback`,
// so a vendor account serving both channels does not deduplicate it away.
import { MockMessagingProvider } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { whatsappFailure } from '../test-support.js';
import { createDualChannelMessenger } from './dual-channel-messenger.js';
import { InMemoryRecipientPreferences } from './recipient-preferences.js';

const recipient = '+250788123456';
const now = new Date('2026-01-10T12:00:00Z');

function setup(whatsappScript: NonNullable<ConstructorParameters<typeof MockMessagingProvider>[0]>['script']) {
  const whatsapp = new MockMessagingProvider({ channel: 'whatsapp', script: whatsappScript });
  const sms = new MockMessagingProvider({ channel: 'sms', script: { messageId: 'SM.fallback' } });
  const preferences = new InMemoryRecipientPreferences({
    [recipient]: { hasWhatsApp: true, whatsappSessionOpenUntil: new Date(now.getTime() + 3_600_000) },
  });
  const messenger = createDualChannelMessenger({ whatsapp, sms, preferences, now: () => now });
  return { whatsapp, sms, messenger };
}

describe('idempotency keys of fallbacks', () => {
  it('a WhatsApp send that fails at once falls back to SMS under key:sms', async () => {
    const { whatsapp, sms, messenger } = setup({ error: 'unavailable' });
    const result = await messenger.send({ to: recipient, body: 'Your order is ready', idempotencyKey: 'order-7' });
    expect(result).toMatchObject({ status: 'sent', channel: 'sms' });
    expect(whatsapp.calls[0]?.request.idempotencyKey).toBe('order-7');
    expect(sms.sent).toEqual([expect.objectContaining({ idempotencyKey: 'order-7:sms' })]);
  });

  it('the SMS re-send after a WhatsApp failure webhook goes under key:sms-fallback', async () => {
    const { whatsapp, sms, messenger } = setup({ messageId: 'wamid.keyed' });
    await messenger.send({ to: recipient, body: 'Your order is ready', idempotencyKey: 'order-8' });
    expect(whatsapp.sent).toEqual([expect.objectContaining({ idempotencyKey: 'order-8' })]);
    const failed = whatsappFailure('wamid.keyed', now);
    expect(await messenger.handleDeliveryStatus(failed)).toMatchObject({ action: 'sms-fallback' });
    expect(sms.sent).toEqual([
      expect.objectContaining({ body: 'Your order is ready', idempotencyKey: 'order-8:sms-fallback' }),
    ]);
  });
});
