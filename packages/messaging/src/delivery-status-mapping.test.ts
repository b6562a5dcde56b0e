// The README's status tables for delivery reports (packages/messaging/README.md, "Webhooks" and
// "Vonage and Africa's Talking callbacks"), checked through the webhook handlers users mount.
import { describe, expect, it } from 'vitest';
import { createAfricasTalkingWebhookHandler } from './africas-talking/africas-talking-webhook.js';
import { parseTwilioWebhook } from './twilio/twilio-webhook.js';
import { computeVonageSignature, createVonageWebhookHandler } from './vonage/vonage-webhook.js';
import type { MessagingWebhookEvent } from './webhooks/webhook-events.js';

describe('Twilio status callbacks', () => {
  it('maps canceled to failed', () => {
    const event = parseTwilioWebhook({
      MessageSid: 'SM0123456789abcdef0123456789abcdef',
      AccountSid: 'AC00000000000000000000000000000000',
      From: '+15005550006',
      To: '+250788123456',
      MessageStatus: 'canceled',
    });
    expect(event).toMatchObject({ type: 'delivery-status', status: 'failed' });
  });
});

describe('Vonage delivery receipts through the signed webhook handler', () => {
  const signatureSecret = 'vonage-signature-secret-status-map';
  const now = new Date('2026-01-10T12:00:00Z');

  function signedReceipt(fields: Record<string, string>, signedAt: Date = now): Request {
    const params: Record<string, string> = {
      messageId: '0A0000000123ABCD1',
      msisdn: '447700900001',
      to: 'Patchbay',
      'api-key': 'abcd1234',
      'message-timestamp': '2026-01-10 11:59:58',
      timestamp: String(Math.floor(signedAt.getTime() / 1000)),
      ...fields,
    };
    params.sig = computeVonageSignature(params, signatureSecret, 'sha256');
    return new Request(`https://hooks.example.com/vonage?${new URLSearchParams(params)}`);
  }

  function handler(events: MessagingWebhookEvent[], priceCurrency?: string) {
    return createVonageWebhookHandler({
      signatureSecret,
      signatureMethod: 'sha256',
      now: () => now,
      ...(priceCurrency === undefined ? {} : { priceCurrency }),
      onEvent: (event) => void events.push(event),
    });
  }

  it.each([
    ['delivered', 'delivered'],
    ['accepted', 'sent'],
    ['buffered', 'queued'],
    ['expired', 'undelivered'],
    ['failed', 'failed'],
    ['rejected', 'failed'],
  ] as const)('maps receipt status %s to %s', async (raw, status) => {
    const events: MessagingWebhookEvent[] = [];
    expect((await handler(events)(signedReceipt({ status: raw }))).status).toBe(200);
    expect(events).toEqual([expect.objectContaining({ type: 'delivery-status', vendor: 'vonage', status })]);
  });

  it('keeps err-code as errorCode and reads price as cost in the configured currency', async () => {
    const events: MessagingWebhookEvent[] = [];
    const response = await handler(
      events,
      'USD',
    )(signedReceipt({ status: 'rejected', 'err-code': '6', price: '0.04500000' }));
    expect(response.status).toBe(200);
    expect(events).toEqual([
      expect.objectContaining({
        status: 'failed',
        errorCode: '6',
        cost: { amount: 0.045, currency: 'USD' },
        to: '+447700900001',
      }),
    ]);
  });

  it('answers 403 to a correctly signed receipt whose timestamp is older than 5 minutes (a replay)', async () => {
    const events: MessagingWebhookEvent[] = [];
    const fresh = await handler(events)(signedReceipt({ status: 'delivered' }, new Date(now.getTime() - 290_000)));
    expect(fresh.status).toBe(200);
    const replayed = await handler(events)(signedReceipt({ status: 'delivered' }, new Date(now.getTime() - 310_000)));
    expect(replayed.status).toBe(403);
    expect(events).toHaveLength(1);
  });
});

describe("Africa's Talking delivery reports through the token-protected handler", () => {
  const pathToken = 'at-callback-token-status-map-7d21';

  async function report(fields: Record<string, string>): Promise<MessagingWebhookEvent[]> {
    const events: MessagingWebhookEvent[] = [];
    const handle = createAfricasTalkingWebhookHandler({ pathToken, onEvent: (event) => void events.push(event) });
    const response = await handle(
      new Request(`https://hooks.example.com/africas-talking?token=${pathToken}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ id: 'ATXid_0123', phoneNumber: '+254711082123', ...fields }).toString(),
      }),
    );
    expect(response.status).toBe(200);
    return events;
  }

  it.each([
    ['Success', 'delivered'],
    ['Failed', 'failed'],
    ['Rejected', 'failed'],
    ['AbsentSubscriber', 'undelivered'],
    ['Expired', 'undelivered'],
  ] as const)('maps status %s to %s', async (raw, status) => {
    expect(await report({ status: raw })).toEqual([
      expect.objectContaining({ type: 'delivery-status', vendor: 'africas-talking', messageId: 'ATXid_0123', status }),
    ]);
  });

  it('keeps failureReason as errorCode', async () => {
    expect(await report({ status: 'Rejected', failureReason: 'DeliveryFailure' })).toEqual([
      expect.objectContaining({ status: 'failed', errorCode: 'DeliveryFailure', to: '+254711082123' }),
    ]);
  });
});
