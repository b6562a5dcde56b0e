// Helpers for the dual-channel tests only (not exported, not bundled: no entry imports it).
import { MockMessagingProvider } from '@patchbay/testing';
import { InMemoryDeliveryLog } from '../delivery-log/in-memory-delivery-log.js';
import { computeMetaSignature, createMetaWebhookHandler } from '../meta/meta-webhook.js';
import type { WebhookEventListener } from '../webhooks/webhook-events.js';
import type { WebhookHandler } from '../webhooks/webhook-http.js';
import {
  createDualChannelMessenger,
  type DualChannelMessengerOptions,
  type MessengerErrorContext,
} from './dual-channel-messenger.js';
import type { RecipientPreferences, RecipientPreferencesLookup } from './recipient-preferences.js';

/** The Meta app secret the dual-channel tests sign their webhooks with. */
export const metaAppSecret = 'app-secret';

/** Preferences for a recipient who has WhatsApp and whose 24-hour session is open for another hour after `now`. */
export function sessionOpenAt(now: Date): RecipientPreferences {
  return { hasWhatsApp: true, whatsappSessionOpenUntil: new Date(now.getTime() + 3_600_000) };
}

/** Meta's webhook body carrying one `messages` change; `value` adds `statuses` or `messages`. */
export function metaWebhookBody(value: Record<string, unknown>): string {
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
              ...value,
            },
          },
        ],
      },
    ],
  });
}

/** Meta's seconds-since-epoch timestamp for `at`. */
export function metaTimestamp(at: Date): string {
  return String(Math.floor(at.getTime() / 1000));
}

/** Meta's webhook body saying the WhatsApp message `messageId` failed (131047: the 24-hour window closed). */
export function metaFailedStatusBody(messageId: string, at: Date): string {
  return metaWebhookBody({
    statuses: [
      {
        id: messageId,
        status: 'failed',
        timestamp: metaTimestamp(at),
        recipient_id: '250788123456',
        errors: [{ code: 131047, title: 'Re-engagement message' }],
      },
    ],
  });
}

/** A POST of `body` to the Meta webhook endpoint, signed with `metaAppSecret` unless `signature` is given. */
export function metaWebhookRequest(body: string, signature = computeMetaSignature(metaAppSecret, body)): Request {
  return new Request('https://hooks.example.com/meta', {
    method: 'POST',
    headers: { 'x-hub-signature-256': signature },
    body,
  });
}

/** A Meta webhook handler feeding `listener`; each `deliver()` is one more signed delivery of `body`. */
export function signedMetaWebhook(
  listener: WebhookEventListener,
  body: string,
): { handler: WebhookHandler; deliver: () => Promise<Response> } {
  const handler = createMetaWebhookHandler({ appSecret: metaAppSecret, verifyToken: 'v', onEvent: listener });
  return { handler, deliver: () => handler(metaWebhookRequest(body)) };
}

/**
 * A messenger whose WhatsApp send returns `wamid.F` (SMS: `SM.F`), reporting to `errors`, with `deliver()`
 * posting Meta's signed failure webhook for `wamid.F`: the harness of the SMS-fallback tests.
 */
export function fallbackHarness<Preferences extends RecipientPreferencesLookup>(
  preferences: Preferences,
  now: Date,
  overrides: Partial<DualChannelMessengerOptions> = {},
) {
  const whatsapp = new MockMessagingProvider({ channel: 'whatsapp', script: { messageId: 'wamid.F' } });
  const sms = new MockMessagingProvider({ channel: 'sms', script: { messageId: 'SM.F' } });
  const errors: [unknown, MessengerErrorContext][] = [];
  const messenger = createDualChannelMessenger({
    whatsapp,
    sms,
    preferences,
    deliveryLog: new InMemoryDeliveryLog(),
    now: () => now,
    onError: (error, context) => errors.push([error, context]),
    ...overrides,
  });
  const { deliver } = signedMetaWebhook(messenger.webhookListener, metaFailedStatusBody('wamid.F', now));
  return { whatsapp, sms, preferences, messenger, deliver, errors };
}
