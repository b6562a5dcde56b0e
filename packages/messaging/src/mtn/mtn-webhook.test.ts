import { Secret } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import type { MessagingWebhookEvent } from '../webhooks/webhook-events.js';
import { bearerTokenMatches, createMtnWebhookHandler, parseMtnWebhook } from './mtn-webhook.js';

const token = 'shared-webhook-token';

function post(body: unknown, authorization: string | undefined = `Bearer ${token}`): Request {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (authorization !== undefined) headers.set('authorization', authorization);
  return new Request('https://hooks.example.com/mtn', {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('MTN webhook', () => {
  it('compares the Bearer token exactly and refuses empty expected tokens', () => {
    expect(bearerTokenMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerTokenMatches(`bearer ${token}`, Secret.from(token))).toBe(true);
    expect(bearerTokenMatches(`Bearer ${token}x`, token)).toBe(false);
    expect(bearerTokenMatches(token, token)).toBe(false);
    expect(bearerTokenMatches('Bearer ', '')).toBe(false);
    expect(bearerTokenMatches('Bearer x', '')).toBe(false);
  });

  it('refuses every request when the resolved token is empty', async () => {
    for (const resolution of ['', Secret.from(''), { token: '' }, undefined]) {
      const events: MessagingWebhookEvent[] = [];
      const handler = createMtnWebhookHandler({ token: () => resolution, onEvent: (event) => void events.push(event) });
      expect((await handler(post({ senderAddress: '250788123456', message: 'x' }, 'Bearer '))).status).toBe(401);
      expect(events).toEqual([]);
    }
  });

  it('reads the inbound shapes MTN uses and gives a stable id when MTN sends none', () => {
    const message = {
      senderAddress: '250788123456',
      registrationId: 'EasyMO',
      message: 'Hi',
      dateTime: '2026-01-10T09:25:55.815+0000',
    };
    for (const payload of [
      message,
      { inboundSMSMessage: message },
      { inboundSMSMessageNotification: { inboundSMSMessage: message } },
      { inboundSMSMessageList: { inboundSMSMessage: [message] } },
    ]) {
      const [event] = parseMtnWebhook(payload);
      expect(event).toMatchObject({ type: 'inbound-message', from: '+250788123456', to: 'EasyMO', text: 'Hi' });
      expect(event?.type === 'inbound-message' && event.receivedAt.toISOString()).toBe('2026-01-10T09:25:55.815Z');
      expect(event?.messageId).toBe(parseMtnWebhook(message)[0]?.messageId);
    }
  });

  it('maps delivery statuses, ignoring uncertain ones and prototype names', () => {
    const receipt = (status: string) => ({
      deliveryInfoNotification: {
        deliveryInfo: {
          clientCorrelator: 'c1',
          requestId: 'r1',
          deliveryStatus: [{ receiverAddress: '250788123456', status }],
        },
      },
    });
    expect(parseMtnWebhook(receipt('DeliveredToTerminal'))).toEqual([
      expect.objectContaining({ messageId: 'c1', status: 'delivered', to: '+250788123456' }),
    ]);
    expect(parseMtnWebhook(receipt('DeliveryImpossible'))).toEqual([
      expect.objectContaining({ status: 'failed', errorCode: 'DeliveryImpossible' }),
    ]);
    expect(parseMtnWebhook(receipt('DeliveryUncertain'))).toEqual([]);
    expect(parseMtnWebhook(receipt('constructor'))).toEqual([]);
  });

  it('answers 400 to authenticated bodies that are not MTN callbacks, 405 to GET, 500 when the listener fails', async () => {
    const handler = createMtnWebhookHandler({ token, onEvent: () => undefined });
    expect((await handler(post('not json'))).status).toBe(400);
    expect((await handler(post({ hello: 'world' }))).status).toBe(400);
    expect((await handler(new Request('https://hooks.example.com/mtn'))).status).toBe(405);
    const failing = createMtnWebhookHandler({
      token,
      onEvent: () => {
        throw new Error('database down');
      },
    });
    expect((await failing(post({ senderAddress: '250788123456', message: 'x' }))).status).toBe(500);
  });
});
