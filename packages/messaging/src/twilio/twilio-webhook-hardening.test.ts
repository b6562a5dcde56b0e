import { createHmac } from 'node:crypto';
import { Secret } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { parseFormParams } from '../webhooks/form-params.js';
import type { MessagingWebhookEvent } from '../webhooks/webhook-events.js';
import { computeTwilioSignature, createTwilioWebhookHandler, verifyTwilioSignature } from './twilio-webhook.js';

const authToken = 'hardening-token-0123456789';
const endpoint = 'https://hooks.example.com/twilio';

/** An HMAC computed here, independently of computeTwilioSignature, for what twilio-node would sign. */
function hmac(key: string, data: string): string {
  return createHmac('sha1', key).update(data, 'utf8').digest('base64');
}

function collecting(options: Partial<Parameters<typeof createTwilioWebhookHandler>[0]> = {}) {
  const events: MessagingWebhookEvent[] = [];
  const handler = createTwilioWebhookHandler({ authToken, onEvent: (event) => void events.push(event), ...options });
  return { events, handler };
}

function post(body: string, signature: string | undefined, contentType = 'application/x-www-form-urlencoded') {
  const headers = new Headers({ 'content-type': contentType });
  if (signature !== undefined) headers.set('x-twilio-signature', signature);
  return new Request(endpoint, { method: 'POST', headers, body });
}

/**
 * twilio-node's own validateRequest examples (spec/unit/webhooks/webhooks.spec.js): the token s3cr3t,
 * a URL signed in one form and verified in another.
 */
describe("Twilio signature: twilio-node's validateRequest cases", () => {
  const token = 's3cr3t';
  const cases: [signedUrl: string, targetUrl: string, valid: boolean][] = [
    ['https://example.com/path?test=param', 'https://example.com/path?test=param2', false],
    ['https://example.com:443/path?test=param', 'https://example.com:443/path?test=param', true],
    ['https://example.com:443/path?test=param', 'https://example.com/path?test=param', true],
    ['https://example.com/path?test=param', 'https://example.com/path?test=param', true],
    ['https://example.com/path?test=param', 'https://example.com:443/path?test=param', true],
    ["https://example.com/path?test=param'WithQuote", "https://example.com/path?test=param'WithQuote", true],
    ["https://example.com/path?test=param'WithQuote", 'https://example.com/path?test=param%27WithQuote', true],
    ['https://example.com/path?test=param%27WithQuote', "https://example.com/path?test=param'WithQuote", true],
    ['https://example.com/path?test=param%27WithQuote', 'https://example.com/path?test=param%27WithQuote', true],
    // Beyond the spec file, what its removePort does: any port is stripped, not only the default one.
    ['https://example.com/path?test=param', 'https://example.com:8443/path?test=param', true],
    ['http://example.com/path', 'http://example.com:3000/path', true],
    ['https://example.com:8443/path', 'https://example.com:8443/path', true],
  ];
  for (const [signedUrl, targetUrl, valid] of cases) {
    it(`${signedUrl} verified as ${targetUrl} → ${valid}`, () => {
      const signature = hmac(token, signedUrl);
      expect(verifyTwilioSignature({ authToken: token, signature, url: targetUrl, params: {} })).toBe(valid);
    });
  }

  it('de-duplicates repeated values of one parameter before signing, values sorted', () => {
    const signature = hmac(authToken, `${endpoint}BodyhiTagaTagb`);
    const params = parseFormParams('Tag=b&Body=hi&Tag=a&Tag=b&Tag=a');
    expect(params.Tag).toEqual(['b', 'a', 'b', 'a']);
    expect(verifyTwilioSignature({ authToken, signature, url: endpoint, params })).toBe(true);
    expect(computeTwilioSignature(authToken, endpoint, params)).toBe(signature);
  });

  it('accepts a handler request whose repeated values twilio-node would have signed once', async () => {
    const { events, handler } = collecting();
    const body = 'MessageSid=SM1&MessageStatus=delivered&To=%2B250788123456&Tag=x&Tag=x';
    const signature = hmac(authToken, `${endpoint}MessageSidSM1MessageStatusdeliveredTagxTo+250788123456`);
    expect((await handler(post(body, signature))).status).toBe(200);
    expect(events).toHaveLength(1);
  });
});

describe('Twilio webhook: hostile forms', () => {
  it('parses repeated keys in linear work (one step per pair, arrays grow in place)', () => {
    for (const count of [1_000, 100_000]) {
      const counter = { steps: 0 };
      const params = parseFormParams(Array.from({ length: count }, () => 'a=1').join('&'), {
        maxParameters: Number.POSITIVE_INFINITY,
        counter,
      });
      expect(counter.steps).toBe(count);
      expect(params.a).toHaveLength(count);
    }
  });

  it('refuses 40 000 unsigned repeated keys with 413 before parsing any of them', async () => {
    const { events, handler } = collecting();
    const body = Array.from({ length: 40_000 }, () => 'a=1').join('&');
    const response = await handler(post(body, 'forged'));
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('Too many form parameters');
    expect(events).toHaveLength(0);
    // ~350 000 pairs fit in the 1 MiB cap: still one cheap count, still 413.
    const huge = Array.from({ length: 350_000 }, () => 'a').join('&');
    expect((await handler(post(huge, 'forged'))).status).toBe(413);
  });

  it('refuses a body over a custom maxParameters and accepts one at it', () => {
    expect(() => parseFormParams('a=1&b=2&c=3', { maxParameters: 2 })).toThrow('more than 2');
    expect(parseFormParams('a=1&b=2', { maxParameters: 2 })).toEqual({ a: '1', b: '2' });
  });

  it('answers 403, not 500, to unsigned forms with prototype keys', async () => {
    const { events, handler } = collecting();
    for (const body of [
      '__proto__=x&__proto__=y',
      'constructor=1&constructor=2',
      'toString=1&toString=2&valueOf=3',
      '__proto__[polluted]=1&hasOwnProperty=1',
    ]) {
      expect((await handler(post(body, 'forged'))).status).toBe(403);
    }
    expect(events).toHaveLength(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('treats prototype keys in a signed form as ordinary parameters', async () => {
    const { events, handler } = collecting();
    const body = 'MessageSid=SM2&MessageStatus=sent&__proto__=p&constructor=c&toString=t';
    const params = parseFormParams(body);
    expect(Object.getPrototypeOf(params)).toBeNull();
    expect(Object.keys(params)).toContain('__proto__');
    const response = await handler(post(body, computeTwilioSignature(authToken, endpoint, params)));
    expect(response.status).toBe(200);
    expect(events).toEqual([expect.objectContaining({ messageId: 'SM2', status: 'sent' })]);
  });

  it('ignores an unknown status named like a prototype member', async () => {
    const { events, handler } = collecting();
    const body = 'MessageSid=SM3&MessageStatus=constructor&To=%2B250788123456';
    const response = await handler(post(body, computeTwilioSignature(authToken, endpoint, parseFormParams(body))));
    expect(response.status).toBe(200);
    expect(events).toHaveLength(0);
  });

  it('decodes + and percent escapes as URLSearchParams does, and keeps malformed escapes literal', () => {
    const body = 'Body=hello+world%21&Bad=%zz%41&Empty=&Flag';
    const expected = Object.fromEntries(new URLSearchParams(body));
    expect({ ...parseFormParams(body) }).toEqual(expected);
  });
});

describe('Twilio webhook: empty secrets and clear refusals', () => {
  const body = 'MessageSid=SM4&MessageStatus=delivered';
  const signedWithEmpty = hmac('', `${endpoint}MessageSidSM4MessageStatusdelivered`);

  it('refuses a request signed with an empty token whatever form the empty token takes', async () => {
    for (const resolution of ['', Secret.from(''), { authToken: '' }, { authToken: Secret.from(''), tenant: 't' }]) {
      const { events, handler } = collecting({ authToken: () => resolution });
      expect((await handler(post(body, signedWithEmpty))).status).toBe(403);
      expect(events).toHaveLength(0);
    }
    expect(verifyTwilioSignature({ authToken: '', signature: signedWithEmpty, url: endpoint, params: {} })).toBe(false);
    expect(() => computeTwilioSignature('', endpoint)).toThrow('empty');
  });

  it('says why a validly signed form sent with a JSON content type is refused', async () => {
    const { handler } = collecting();
    const signature = computeTwilioSignature(authToken, endpoint, parseFormParams(body));
    const response = await handler(post(body, signature, 'application/json'));
    expect(response.status).toBe(415);
    expect(await response.text()).toMatch(/bodySHA256.*application\/x-www-form-urlencoded/);
  });
});

describe('Twilio status callback cost', () => {
  it('reads Price and PriceUnit into cost when Twilio reports them', async () => {
    const { events, handler } = collecting();
    const body = 'MessageSid=SM9&MessageStatus=delivered&Price=-0.0075&PriceUnit=USD';
    const response = await handler(post(body, computeTwilioSignature(authToken, endpoint, parseFormParams(body))));
    expect(response.status).toBe(200);
    const unpriced = 'MessageSid=SM8&MessageStatus=delivered';
    await handler(post(unpriced, computeTwilioSignature(authToken, endpoint, parseFormParams(unpriced))));
    expect(events[0]).toMatchObject({ messageId: 'SM9', cost: { amount: 0.0075, currency: 'USD' } });
    expect(events[1]?.type === 'delivery-status' && events[1].cost).toBeUndefined();
  });
});

// README's webhook table: a body over `maxBodyBytes` answers 413, and Twilio's default is 1 MiB.
describe('Twilio webhook: the 1 MiB default body cap', () => {
  const mebibyte = 1024 * 1024;
  /** A signed status callback whose body is exactly `size` bytes (the padding is in an extra parameter). */
  function signedOfSize(size: number) {
    const head = 'MessageSid=SM1&MessageStatus=delivered&Padding=';
    const padding = 'x'.repeat(size - head.length);
    const signature = hmac(authToken, `${endpoint}MessageSidSM1MessageStatusdeliveredPadding${padding}`);
    return post(head + padding, signature);
  }

  it('carries 1 MiB as its body limit for toNodeListener', () => {
    expect(collecting().handler.maxBodyBytes).toBe(mebibyte);
  });

  it('accepts a signed body of exactly 1 MiB and refuses one byte more with 413', async () => {
    const { events, handler } = collecting();
    expect((await handler(signedOfSize(mebibyte))).status).toBe(200);
    expect(events).toEqual([expect.objectContaining({ messageId: 'SM1', status: 'delivered' })]);
    const over = await handler(signedOfSize(mebibyte + 1));
    expect(over.status).toBe(413);
    expect(events).toHaveLength(1);
  });
});
