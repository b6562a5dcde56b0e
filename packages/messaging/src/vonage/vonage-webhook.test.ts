import { createHash } from 'node:crypto';
import { createVonageSimulator, type VonageSimulator } from '@patchbay/testing/simulators/vonage';
import { describe, expect, it } from 'vitest';
import { parseFormParams } from '../webhooks/form-params.js';
import type { MessagingWebhookEvent } from '../webhooks/webhook-events.js';
import { useWebhookServer } from '../webhooks/webhook-server.test-support.js';
import { createVonageSmsProvider } from './vonage-sms-provider.js';
import { computeVonageSignature, createVonageWebhookHandler, verifyVonageSignature } from './vonage-webhook.js';

const signatureSecret = 'vonage-signature-secret-0123';

let sim: VonageSimulator | undefined;
const serve = useWebhookServer('/webhooks/vonage', () => sim);

describe('Vonage signed webhooks', () => {
  it('computes md5hash as Vonage documents it: sorted &name=value, & and = in values replaced, secret appended', () => {
    const params = parseFormParams('b=2&a=x%26y%3Dz&sig=ignored');
    const expected = createHash('md5').update(`&a=x_y_z&b=2${signatureSecret}`).digest('hex');
    expect(computeVonageSignature(params, signatureSecret)).toBe(expected);
  });

  it('refuses a stale timestamp, a tampered parameter and an empty secret', () => {
    const now = new Date('2026-01-10T12:00:00Z');
    const params: Record<string, string> = {
      messageId: 'M1',
      msisdn: '447700900001',
      text: 'hi',
      timestamp: String(now.getTime() / 1000),
    };
    params.sig = computeVonageSignature(params, signatureSecret, 'sha256');
    expect(verifyVonageSignature(params, signatureSecret, { method: 'sha256', now })).toBe(true);
    expect(verifyVonageSignature({ ...params, text: 'HI' }, signatureSecret, { method: 'sha256', now })).toBe(false);
    expect(
      verifyVonageSignature(params, signatureSecret, { method: 'sha256', now: new Date(now.getTime() + 301_000) }),
    ).toBe(false);
    expect(verifyVonageSignature(params, '', { method: 'sha256', now })).toBe(false);
  });

  it('end to end: a sent SMS gets its signed delivery receipt with the price as cost, and an inbound SMS arrives', async () => {
    sim = await createVonageSimulator({ signatureSecret, signatureMethod: 'sha256' }).start();
    const events: MessagingWebhookEvent[] = [];
    const url = await serve(
      createVonageWebhookHandler({
        signatureSecret,
        signatureMethod: 'sha256',
        onEvent: (event) => void events.push(event),
      }),
    );
    const sms = createVonageSmsProvider({
      baseURL: sim.url,
      apiKey: sim.apiKey,
      apiSecret: 'simulated-vonage-secret',
      from: 'Patchbay',
      statusCallbackUrl: url,
      env: false,
    });
    const sent = await sms.send({ to: '+447911123456', body: 'Your code is 1234' });
    expect((await sim.deliverStatus(sent.messageId, 'delivered')).status).toBe(200);
    expect((await sim.deliverStatus(sent.messageId, 'failed', { errorCode: '6' })).status).toBe(200);
    expect((await sim.sendInbound({ from: '+447911123456', to: '+447700900000', text: 'STOP', url })).status).toBe(200);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'delivery-status',
        vendor: 'vonage',
        messageId: sent.messageId,
        status: 'delivered',
        to: '+447911123456',
        cost: { amount: 0.0333, currency: 'EUR' },
      }),
      expect.objectContaining({ type: 'delivery-status', status: 'failed', errorCode: '6' }),
      expect.objectContaining({
        type: 'inbound-message',
        channel: 'sms',
        vendor: 'vonage',
        from: '+447911123456',
        to: '+447700900000',
        text: 'STOP',
      }),
    ]);
  });

  it('answers 403 to unsigned callbacks and to callbacks signed with another secret', async () => {
    sim = await createVonageSimulator({ signatureSecret: 'another-secret-value' }).start();
    const events: MessagingWebhookEvent[] = [];
    const url = await serve(
      createVonageWebhookHandler({ signatureSecret, onEvent: (event) => void events.push(event) }),
    );
    expect((await sim.sendInbound({ from: '+447911123456', to: '+447700900000', text: 'hi', url })).status).toBe(403);
    const unsigned = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'msisdn=447911123456&to=447700900000&messageId=X&text=hi&constructor=1&__proto__=2',
    });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('Missing sig');
    const empty = createVonageWebhookHandler({
      signatureSecret: () => ({ signatureSecret: '' }),
      onEvent: (event) => void events.push(event),
    });
    const request = new Request('https://hooks.example.com/v?msisdn=1&messageId=X&sig=abc&timestamp=1');
    expect((await empty(request)).status).toBe(403);
    expect(events).toEqual([]);
  });
});
