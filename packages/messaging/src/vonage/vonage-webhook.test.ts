import { createHash, createHmac } from 'node:crypto';
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

/** Signs callback parameters as Vonage documents it, independently of computeVonageSignature. */
function signed(params: Record<string, string>, method: 'md5hash' | 'md5' | 'sha1' | 'sha256' | 'sha512' = 'md5hash') {
  const all: Record<string, string> = { ...params, timestamp: String(Math.floor(Date.now() / 1000)), nonce: 'n0nce' };
  const data = Object.keys(all)
    .sort()
    .map((name) => `&${name}=${(all[name] ?? '').replace(/[&=]/g, '_')}`)
    .join('');
  all.sig =
    method === 'md5hash'
      ? createHash('md5')
          .update(data + signatureSecret)
          .digest('hex')
      : createHmac(method, signatureSecret).update(data).digest('hex');
  return all;
}

describe('Vonage webhooks: what the README lists (methods, statuses, api-key resolver, GET and JSON)', () => {
  it.each(['md5', 'sha1', 'sha512'] as const)(
    'verifies %s (HMAC) signatures end to end, and refuses the same callback under another method',
    async (method) => {
      const params = { messageId: 'M1', msisdn: '447700900001', to: '447700900000', text: 'hi', timestamp: '1' };
      const expected = createHmac(method, signatureSecret)
        .update('&messageId=M1&msisdn=447700900001&text=hi&timestamp=1&to=447700900000')
        .digest('hex');
      expect(computeVonageSignature(params, signatureSecret, method)).toBe(expected);

      sim = await createVonageSimulator({ signatureSecret, signatureMethod: method }).start();
      const events: MessagingWebhookEvent[] = [];
      const url = await serve(
        createVonageWebhookHandler({
          signatureSecret,
          signatureMethod: method,
          onEvent: (event) => void events.push(event),
        }),
      );
      const delivered = await sim.sendInbound({ from: '+447911123456', to: '+447700900000', text: method, url });
      expect(delivered.status).toBe(200);
      expect(events).toEqual([expect.objectContaining({ type: 'inbound-message', text: method })]);
      // The same signed callback, verified as md5hash or another HMAC, is refused.
      for (const other of ['md5hash', 'md5', 'sha1', 'sha256', 'sha512'] as const) {
        if (other === method) continue;
        const handler = createVonageWebhookHandler({
          signatureSecret,
          signatureMethod: other,
          onEvent: (event) => void events.push(event),
        });
        const request = new Request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: delivered.params.toString(),
        });
        expect([other, (await handler(request)).status]).toEqual([other, 403]);
      }
      expect(events).toHaveLength(1);
    },
  );

  it('maps delivery receipts accepted → sent, buffered → queued, expired → undelivered, rejected → failed', async () => {
    sim = await createVonageSimulator({ signatureSecret }).start();
    const events: MessagingWebhookEvent[] = [];
    const url = await serve(
      createVonageWebhookHandler({ signatureSecret, onEvent: (event) => void events.push(event) }),
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
    for (const status of ['accepted', 'buffered', 'expired', 'rejected'] as const) {
      expect(
        (await sim.deliverStatus(sent.messageId, status, { errorCode: status === 'accepted' ? '0' : '5' })).status,
      ).toBe(200);
    }
    expect(
      events.map((event) => (event.type === 'delivery-status' ? [event.status, event.errorCode] : event.type)),
    ).toEqual([
      ['sent', undefined],
      ['queued', '5'],
      ['undelivered', '5'],
      ['failed', '5'],
    ]);
  });

  it("gives the resolver the unverified api-key to pick the tenant's secret, and tags events with its tenant", async () => {
    sim = await createVonageSimulator({ apiKey: 'acmekey1', signatureSecret }).start();
    const events: MessagingWebhookEvent[] = [];
    const seen: (string | undefined)[] = [];
    const url = await serve(
      createVonageWebhookHandler({
        signatureSecret: ({ apiKey }) => {
          seen.push(apiKey);
          if (apiKey === 'acmekey1') return { signatureSecret, tenant: 'acme' };
          if (apiKey === 'otherkey') return { signatureSecret: 'other-tenant-secret', tenant: 'other' };
          return undefined;
        },
        onEvent: (event) => void events.push(event),
      }),
    );
    expect((await sim.sendInbound({ from: '+447911123456', to: '+447700900000', text: 'hi', url })).status).toBe(200);
    // Signed with acme's secret but claiming another account: verified against that account's secret → 403.
    const forged = new URLSearchParams(
      signed({ messageId: 'M2', msisdn: '447911123456', to: '447700900000', text: 'x', 'api-key': 'otherkey' }),
    );
    expect((await fetch(url, { method: 'POST', body: forged })).status).toBe(403);
    const unknown = new URLSearchParams(
      signed({ messageId: 'M3', msisdn: '447911123456', to: '447700900000', text: 'x', 'api-key': 'nobody' }),
    );
    expect((await fetch(url, { method: 'POST', body: unknown })).status).toBe(403);
    expect(seen).toEqual(['acmekey1', 'otherkey', 'nobody']);
    expect(events).toEqual([
      expect.objectContaining({ type: 'inbound-message', text: 'hi', tenant: 'acme', accountId: 'acmekey1' }),
    ]);
  });

  it('reads a signed callback from a GET query and from a JSON body', async () => {
    const events: MessagingWebhookEvent[] = [];
    const url = await serve(
      createVonageWebhookHandler({ signatureSecret, onEvent: (event) => void events.push(event) }),
    );
    const receipt = signed({
      messageId: '0A0000001234567B',
      msisdn: '447911123456',
      to: 'Patchbay',
      status: 'delivered',
      'err-code': '0',
      price: '0.03330000',
      'message-timestamp': '2026-01-10 12:00:00',
    });
    const get = await fetch(`${url}?${new URLSearchParams(receipt)}`);
    expect(get.status).toBe(200);
    const inbound = signed({
      messageId: 'IN1',
      msisdn: '447911123456',
      to: '447700900000',
      text: 'a&b=c',
      type: 'text',
    });
    const json = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(inbound),
    });
    expect(json.status).toBe(200);
    // The same JSON with one value changed no longer verifies.
    const tampered = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...inbound, text: 'a&b=d' }),
    });
    expect(tampered.status).toBe(403);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'delivery-status',
        messageId: '0A0000001234567B',
        status: 'delivered',
        to: '+447911123456',
        cost: { amount: 0.0333, currency: 'EUR' },
        timestamp: new Date('2026-01-10T12:00:00Z'),
      }),
      expect.objectContaining({ type: 'inbound-message', messageId: 'IN1', from: '+447911123456', text: 'a&b=c' }),
    ]);
  });
});
