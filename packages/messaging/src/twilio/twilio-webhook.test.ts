import { createHash } from 'node:crypto';
import { Secret } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { prng } from '../test-support.js';
import type { MessagingWebhookEvent } from '../webhooks/webhook-events.js';
import {
  computeTwilioSignature,
  createTwilioWebhookHandler,
  parseTwilioWebhook,
  verifyTwilioSignature,
} from './twilio-webhook.js';

/**
 * The worked example published by Twilio, https://www.twilio.com/docs/usage/security
 * ("Validating Signatures from Twilio"): auth token 12345, this URL and these POST parameters
 * yield exactly this X-Twilio-Signature.
 */
const published = {
  authToken: '12345',
  url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
  params: {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+14158675310',
    Digits: '1234',
    From: '+14158675310',
    To: '+18005551212',
  },
  signature: 'GvWf1cFY/Q7PnoempGyD5oXAezc=',
};

/**
 * The JSON-body example from the same page (and twilio-samples/api-snippets
 * security/signature_validation_json): this body hashes to the bodySHA256 in the URL.
 * The page does not publish the auth token behind its signature, so the signature half is ours.
 */
const publishedJson = {
  url: 'https://example.com/myapp?bodySHA256=5ccde7145dfb8f56479710896586cb9d5911809d83afbe34627818790db0aec9',
  body: '{"CallSid":"CA1234567890ABCDE","Caller":"+12349013030"}',
};

const authToken = 'test-auth-token-0123456789abcdef';
const endpoint = 'https://hooks.example.com/twilio/status';

function formRequest(
  params: Record<string, string>,
  options: { url?: string; signature?: string | null; token?: string } = {},
): Request {
  const url = options.url ?? endpoint;
  const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded' });
  const signature =
    options.signature === undefined
      ? computeTwilioSignature(options.token ?? authToken, url, params)
      : options.signature;
  if (signature !== null) headers.set('x-twilio-signature', signature);
  return new Request(url, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
}

function collecting(options: Partial<Parameters<typeof createTwilioWebhookHandler>[0]> = {}) {
  const events: MessagingWebhookEvent[] = [];
  const handler = createTwilioWebhookHandler({
    authToken,
    onEvent: (event) => {
      events.push(event);
    },
    ...options,
  });
  return { events, handler };
}

const statusCallback = {
  AccountSid: 'AC00000000000000000000000000000000',
  MessageSid: 'SM0123456789abcdef0123456789abcdef',
  MessageStatus: 'undelivered',
  ErrorCode: '30008',
  From: '+14155552671',
  To: '+250788123456',
  SmsStatus: 'undelivered',
  ApiVersion: '2010-04-01',
};

describe('Twilio signature', () => {
  it("matches Twilio's published example", () => {
    expect(computeTwilioSignature(published.authToken, published.url, published.params)).toBe(published.signature);
    expect(verifyTwilioSignature({ ...published })).toBe(true);
    expect(verifyTwilioSignature({ ...published, authToken: new Secret('12345') })).toBe(true);
  });

  it('rejects a tampered parameter, URL, token or signature', () => {
    expect(verifyTwilioSignature({ ...published, params: { ...published.params, Digits: '9999' } })).toBe(false);
    expect(verifyTwilioSignature({ ...published, url: published.url.replace('https', 'http') })).toBe(false);
    expect(verifyTwilioSignature({ ...published, authToken: '12346' })).toBe(false);
    expect(verifyTwilioSignature({ ...published, signature: published.signature.slice(0, -1) })).toBe(false);
    expect(verifyTwilioSignature({ ...published, signature: '' })).toBe(false);
    expect(verifyTwilioSignature({ ...published, signature: null })).toBe(false);
  });

  it('accepts the URL with or without the default port', () => {
    const withPort = 'https://mycompany.com:443/myapp.php?foo=1&bar=2';
    expect(verifyTwilioSignature({ ...published, url: withPort })).toBe(true);
    const signedWithPort = computeTwilioSignature('12345', withPort, published.params);
    expect(verifyTwilioSignature({ ...published, signature: signedWithPort })).toBe(true);
    // twilio-node strips any port: Twilio has signed requests to non-standard ports without the port.
    expect(verifyTwilioSignature({ ...published, url: 'https://mycompany.com:8443/myapp.php?foo=1&bar=2' })).toBe(true);
    expect(verifyTwilioSignature({ ...published, url: 'https://mycompany.com:8443/myapp.php?foo=1&bar=3' })).toBe(
      false,
    );
  });

  it('verifies the JSON variant: the body must hash to bodySHA256 and the URL alone is signed', () => {
    expect(createHash('sha256').update(publishedJson.body).digest('hex')).toBe(
      '5ccde7145dfb8f56479710896586cb9d5911809d83afbe34627818790db0aec9',
    );
    const signature = computeTwilioSignature(authToken, publishedJson.url);
    expect(verifyTwilioSignature({ authToken, signature, url: publishedJson.url, rawBody: publishedJson.body })).toBe(
      true,
    );
    const tampered = publishedJson.body.replace('+12349013030', '+12349013031');
    expect(verifyTwilioSignature({ authToken, signature, url: publishedJson.url, rawBody: tampered })).toBe(false);
    expect(verifyTwilioSignature({ authToken, signature, url: publishedJson.url })).toBe(false);
  });

  it('signs repeated keys value by value, sorted', () => {
    const a = computeTwilioSignature(authToken, endpoint, { Tag: ['b', 'a'] });
    const b = computeTwilioSignature(authToken, endpoint, { Tag: ['a', 'b'] });
    expect(a).toBe(b);
    expect(a).toBe(computeTwilioSignature(authToken, `${endpoint}TagaTagb`, {}));
  });
});

describe('parseTwilioWebhook', () => {
  it('reads a status callback with its error code', () => {
    const event = parseTwilioWebhook(statusCallback, new Date(5000));
    expect(event).toMatchObject({
      type: 'delivery-status',
      channel: 'sms',
      vendor: 'twilio',
      messageId: 'SM0123456789abcdef0123456789abcdef',
      status: 'undelivered',
      errorCode: '30008',
      to: '+250788123456',
      accountId: 'AC00000000000000000000000000000000',
      timestamp: new Date(5000),
    });
  });

  it.each([
    ['queued', 'queued'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'read'],
    ['failed', 'failed'],
    ['undelivered', 'undelivered'],
    ['accepted', 'queued'],
    ['sending', 'queued'],
  ])('maps MessageStatus %s to %s', (raw, status) => {
    expect(parseTwilioWebhook({ ...statusCallback, MessageStatus: raw, ErrorCode: '' })).toMatchObject({ status });
  });

  it('omits an empty or zero ErrorCode and ignores statuses it does not model', () => {
    const event = parseTwilioWebhook({ ...statusCallback, MessageStatus: 'delivered', ErrorCode: '0' });
    expect(event).not.toHaveProperty('errorCode');
    expect(parseTwilioWebhook({ ...statusCallback, MessageStatus: 'some_future_status' })).toBeUndefined();
  });

  it('marks a whatsapp: address as the WhatsApp channel', () => {
    const event = parseTwilioWebhook({ ...statusCallback, MessageStatus: 'read', To: 'whatsapp:+250788123456' });
    expect(event).toMatchObject({ channel: 'whatsapp', to: '+250788123456', status: 'read' });
  });

  it('reads an inbound WhatsApp message with media', () => {
    const event = parseTwilioWebhook({
      AccountSid: 'AC1',
      MessageSid: 'MM1',
      SmsStatus: 'received',
      From: 'whatsapp:+250788123456',
      To: 'whatsapp:+14155238886',
      Body: 'Photo of the receipt',
      NumMedia: '2',
      MediaUrl0: 'https://api.twilio.com/media/0',
      MediaContentType0: 'image/jpeg',
      MediaUrl1: 'https://api.twilio.com/media/1',
      MediaContentType1: 'application/pdf',
      ProfileName: 'Aline',
    });
    expect(event).toMatchObject({
      type: 'inbound-message',
      channel: 'whatsapp',
      from: '+250788123456',
      to: '+14155238886',
      text: 'Photo of the receipt',
      messageId: 'MM1',
      media: [
        { url: 'https://api.twilio.com/media/0', mimeType: 'image/jpeg' },
        { url: 'https://api.twilio.com/media/1', mimeType: 'application/pdf' },
      ],
    });
  });

  it('reads an inbound SMS and keeps a short code as it is', () => {
    const event = parseTwilioWebhook({
      MessageSid: 'SM2',
      From: '+14155552671',
      To: '55555',
      Body: 'STOP',
      NumMedia: '0',
    });
    expect(event).toMatchObject({
      type: 'inbound-message',
      channel: 'sms',
      from: '+14155552671',
      to: '55555',
      text: 'STOP',
      media: [],
    });
  });

  it('refuses parameters without a MessageSid', () => {
    expect(() => parseTwilioWebhook({ From: '+14155552671', Body: 'hi' })).toThrow(/MessageSid/);
  });
});

describe('createTwilioWebhookHandler', () => {
  it('answers a signed status callback with empty TwiML and emits the event', async () => {
    const { events, handler } = collecting();
    const response = await handler(formRequest(statusCallback));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/xml');
    expect(await response.text()).toContain('<Response/>');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'delivery-status', status: 'undelivered', errorCode: '30008' });
  });

  it('rejects a missing, wrong or stale signature with 403 and no event', async () => {
    const { events, handler } = collecting();
    expect((await handler(formRequest(statusCallback, { signature: null }))).status).toBe(403);
    expect((await handler(formRequest(statusCallback, { signature: 'bm90IGEgc2lnbmF0dXJl' }))).status).toBe(403);
    expect((await handler(formRequest(statusCallback, { token: 'another-token' }))).status).toBe(403);
    // Signed for one body, sent with another: the MessageStatus was forged.
    const signature = computeTwilioSignature(authToken, endpoint, statusCallback);
    const forged = formRequest({ ...statusCallback, MessageStatus: 'delivered' }, { signature });
    expect((await handler(forged)).status).toBe(403);
    expect(events).toHaveLength(0);
  });

  it('verifies against the public URL when behind a proxy', async () => {
    const publicUrl = 'https://public.example.com/twilio/status';
    const { events, handler } = collecting({ url: publicUrl });
    const params = { ...statusCallback, MessageStatus: 'delivered', ErrorCode: '' };
    const signature = computeTwilioSignature(authToken, `${publicUrl}?tenant=acme`, params);
    const response = await handler(
      formRequest(params, { url: 'http://10.0.0.5:3000/twilio/status?tenant=acme', signature }),
    );
    expect(response.status).toBe(200);
    expect(events).toHaveLength(1);
  });

  it('picks the auth token per tenant and tags the event with the tenant', async () => {
    const tokens: Record<string, { authToken: Secret; tenant: string }> = {
      AC_ACME: { authToken: new Secret('acme-token'), tenant: 'acme' },
      AC_GLOBEX: { authToken: new Secret('globex-token'), tenant: 'globex' },
    };
    const { events, handler } = collecting({
      authToken: ({ accountSid }) => (accountSid ? tokens[accountSid] : undefined),
    });
    const acme = { ...statusCallback, AccountSid: 'AC_ACME' };
    expect((await handler(formRequest(acme, { token: 'acme-token' }))).status).toBe(200);
    // A request claiming Globex's account but signed with Acme's token fails.
    expect(
      (await handler(formRequest({ ...statusCallback, AccountSid: 'AC_GLOBEX' }, { token: 'acme-token' }))).status,
    ).toBe(403);
    expect(
      (await handler(formRequest({ ...statusCallback, AccountSid: 'AC_UNKNOWN' }, { token: 'acme-token' }))).status,
    ).toBe(403);
    expect(events.map((event) => event.tenant)).toEqual(['acme']);
  });

  it('accepts a JSON body with bodySHA256 and rejects JSON that cannot be verified', async () => {
    const { events, handler } = collecting();
    const body = JSON.stringify({ MessageSid: 'SM9', MessageStatus: 'delivered', To: '+250788123456' });
    const url = `${endpoint}?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
    const headers = {
      'content-type': 'application/json',
      'x-twilio-signature': computeTwilioSignature(authToken, url),
    };
    expect((await handler(new Request(url, { method: 'POST', headers, body }))).status).toBe(200);
    expect(events).toEqual([expect.objectContaining({ messageId: 'SM9', status: 'delivered' })]);
    const unverifiable = new Request(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-twilio-signature': computeTwilioSignature(authToken, endpoint),
      },
      body,
    });
    const refused = await handler(unverifiable);
    expect(refused.status).toBe(415);
    expect(await refused.text()).toContain('without bodySHA256');
    expect(events).toHaveLength(1);
  });

  it('answers 400 to a signed body that is not a messaging webhook', async () => {
    const { events, handler } = collecting();
    expect((await handler(formRequest({ CallSid: 'CA1', CallStatus: 'completed' }))).status).toBe(400);
    const body = '{not json';
    const url = `${endpoint}?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
    const request = new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twilio-signature': computeTwilioSignature(authToken, url) },
      body,
    });
    expect((await handler(request)).status).toBe(400);
    expect(events).toHaveLength(0);
  });

  it('answers 500 when the listener fails, so Twilio retries', async () => {
    const handler = createTwilioWebhookHandler({
      authToken,
      onEvent: () => {
        throw new Error('database down');
      },
    });
    expect((await handler(formRequest(statusCallback))).status).toBe(500);
  });

  it('refuses oversized bodies and other methods', async () => {
    const { handler } = collecting({ maxBodyBytes: 64 });
    expect((await handler(formRequest({ ...statusCallback, Body: 'x'.repeat(200) }))).status).toBe(413);
    expect((await handler(new Request(endpoint, { method: 'PUT', body: 'x' }))).status).toBe(405);
  });

  it('accepts a GET webhook whose parameters are in the signed URL', async () => {
    const { events, handler } = collecting();
    const url = `${endpoint}?${new URLSearchParams({ MessageSid: 'SM7', MessageStatus: 'sent' })}`;
    const request = new Request(url, { headers: { 'x-twilio-signature': computeTwilioSignature(authToken, url) } });
    expect((await handler(request)).status).toBe(200);
    expect(events).toEqual([expect.objectContaining({ messageId: 'SM7', status: 'sent' })]);
  });

  it('never leaks the auth token in responses', async () => {
    const { handler } = collecting();
    const response = await handler(formRequest(statusCallback, { signature: 'x' }));
    expect(await response.text()).not.toContain(authToken);
  });
});

describe('Twilio webhook fuzz', () => {
  const alphabet = [
    'a',
    'Z',
    '0',
    '=',
    '&',
    '%',
    '%2',
    '+',
    ' ',
    '{',
    '"',
    ':',
    'é',
    '😀',
    '\u0000',
    'MessageSid',
    'MessageStatus',
    'From',
    'NumMedia',
  ];

  function randomText(random: () => number, maxLength: number): string {
    let text = '';
    const length = Math.floor(random() * maxLength);
    for (let index = 0; index < length; index += 1) text += alphabet[Math.floor(random() * alphabet.length)];
    return text;
  }

  it('answers 200, 400 or 403 to 2500 random and truncated bodies and never throws', async () => {
    const random = prng(0x7711);
    let emitted = 0;
    const handler = createTwilioWebhookHandler({
      authToken,
      onEvent: () => {
        emitted += 1;
      },
    });
    const valid = new URLSearchParams(statusCallback).toString();
    const counts = { 200: 0, 400: 0, 403: 0 } as Record<number, number>;
    let signedAccepted = 0;
    for (let index = 0; index < 2500; index += 1) {
      const variant = index % 3;
      let body: string;
      if (variant === 0) body = randomText(random, 120);
      else if (variant === 1) body = valid.slice(0, Math.floor(random() * valid.length));
      else body = `${valid}&${randomText(random, 40)}`;
      const json = random() < 0.2;
      const sign = random() < 0.7;
      let url = endpoint;
      if (json) url += `?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
      const headers: Record<string, string> = {
        'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded',
      };
      if (sign) {
        const params = json ? {} : Object.fromEntries(groupParams(new URLSearchParams(body)));
        headers['x-twilio-signature'] = computeTwilioSignature(authToken, url, params);
      } else if (random() < 0.5) {
        // Header values are byte strings: keep the forged signature ASCII.
        headers['x-twilio-signature'] = Buffer.from(randomText(random, 30)).toString('base64');
      }
      const before = emitted;
      const response = await handler(new Request(url, { method: 'POST', headers, body }));
      expect([200, 400, 403]).toContain(response.status);
      counts[response.status] = (counts[response.status] ?? 0) + 1;
      if (!sign) {
        expect(response.status).toBe(403);
        expect(emitted).toBe(before);
      }
      if (sign && response.status === 200) signedAccepted += 1;
    }
    // The fuzz reached every outcome: accepted, rejected as malformed and rejected as unsigned.
    expect(counts[200]).toBeGreaterThan(0);
    expect(counts[400]).toBeGreaterThan(0);
    expect(counts[403]).toBeGreaterThan(0);
    expect(signedAccepted).toBeGreaterThan(0);
  });
});

function groupParams(search: URLSearchParams): Map<string, string | string[]> {
  const grouped = new Map<string, string | string[]>();
  for (const [key, value] of search) {
    const existing = grouped.get(key);
    if (existing === undefined) grouped.set(key, value);
    else grouped.set(key, typeof existing === 'string' ? [existing, value] : [...existing, value]);
  }
  return grouped;
}
