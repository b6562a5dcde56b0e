import { Secret } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { prng } from '../test-support.js';
import type { MessagingWebhookEvent } from '../webhooks/webhook-events.js';
import {
  computeMetaSignature,
  createMetaWebhookHandler,
  parseMetaWebhook,
  verifyMetaSignature,
} from './meta-webhook.js';

/**
 * X-Hub-Signature-256 is the same construction Meta and GitHub use (HMAC-SHA256 of the raw body,
 * `sha256=` + hex). GitHub publishes a worked example, Meta does not:
 * https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 * ("Testing the webhook payload validation"): secret "It's a Secret to Everybody", payload
 * "Hello, World!" → this signature.
 */
const published = {
  secret: "It's a Secret to Everybody",
  payload: 'Hello, World!',
  signature: 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
};

const appSecret = 'meta-app-secret-0123456789';
const verifyToken = 'verify-me-please';
const endpoint = 'https://hooks.example.com/meta';

function change(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

const inboundText = change({
  contacts: [{ profile: { name: 'Aline' }, wa_id: '250788123456' }],
  messages: [
    {
      from: '250788123456',
      id: 'wamid.HBgLMjUwNzg4MTIzNDU2FQIAEhggQUFBQQ==',
      timestamp: '1749416383',
      type: 'text',
      text: { body: 'Muraho! Is my order ready?' },
    },
  ],
});

const inboundImage = change({
  messages: [
    {
      from: '250788123456',
      id: 'wamid.image',
      timestamp: '1749416400',
      type: 'image',
      image: { caption: 'receipt', mime_type: 'image/jpeg', sha256: 'abc', id: '1003383421387256' },
    },
  ],
});

const failedStatus = change({
  statuses: [
    {
      id: 'wamid.outbound1',
      status: 'failed',
      timestamp: '1749416500',
      recipient_id: '250788123456',
      errors: [
        {
          code: 131047,
          title: 'Re-engagement message',
          message: 'Re-engagement message',
          error_data: {
            details:
              'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
          },
        },
      ],
    },
  ],
});

function signedRequest(payload: unknown, options: { signature?: string | null; secret?: string } = {}): Request {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const headers = new Headers({ 'content-type': 'application/json' });
  const signature =
    options.signature === undefined ? computeMetaSignature(options.secret ?? appSecret, body) : options.signature;
  if (signature !== null) headers.set('x-hub-signature-256', signature);
  return new Request(endpoint, { method: 'POST', headers, body });
}

function collecting(options: Partial<Parameters<typeof createMetaWebhookHandler>[0]> = {}) {
  const events: MessagingWebhookEvent[] = [];
  const handler = createMetaWebhookHandler({
    appSecret,
    verifyToken,
    onEvent: (event) => {
      events.push(event);
    },
    ...options,
  });
  return { events, handler };
}

describe('Meta signature', () => {
  it('matches the published X-Hub-Signature-256 example', () => {
    expect(computeMetaSignature(published.secret, published.payload)).toBe(published.signature);
    expect(verifyMetaSignature(published.secret, published.payload, published.signature)).toBe(true);
    expect(
      verifyMetaSignature(
        new Secret(published.secret),
        Buffer.from(published.payload),
        published.signature.toUpperCase().replace('SHA256=', 'sha256='),
      ),
    ).toBe(true);
  });

  it('rejects tampered bodies, other secrets and malformed headers', () => {
    expect(verifyMetaSignature(published.secret, 'Hello, World?', published.signature)).toBe(false);
    expect(verifyMetaSignature('another secret', published.payload, published.signature)).toBe(false);
    expect(verifyMetaSignature(published.secret, published.payload, published.signature.slice(7))).toBe(false);
    expect(verifyMetaSignature(published.secret, published.payload, 'sha1=757107ea')).toBe(false);
    expect(verifyMetaSignature(published.secret, published.payload, null)).toBe(false);
  });
});

describe('parseMetaWebhook', () => {
  it('reads an inbound text message', () => {
    expect(parseMetaWebhook(inboundText)).toEqual([
      expect.objectContaining({
        type: 'inbound-message',
        channel: 'whatsapp',
        vendor: 'meta',
        from: '+250788123456',
        to: '+15550783881',
        text: 'Muraho! Is my order ready?',
        media: [],
        messageId: 'wamid.HBgLMjUwNzg4MTIzNDU2FQIAEhggQUFBQQ==',
        receivedAt: new Date(1749416383 * 1000),
        accountId: '106540352242922',
      }),
    ]);
  });

  it('reads media ids, mime types and captions', () => {
    const [event] = parseMetaWebhook(inboundImage);
    expect(event).toMatchObject({
      text: 'receipt',
      media: [{ kind: 'image', id: '1003383421387256', mimeType: 'image/jpeg', caption: 'receipt' }],
    });
    const audio = change({
      messages: [{ from: '1', id: 'a', type: 'audio', audio: { id: 'AUD', mime_type: 'audio/ogg; codecs=opus' } }],
    });
    expect(parseMetaWebhook(audio)[0]).toMatchObject({ text: '', media: [{ kind: 'audio', id: 'AUD' }] });
    const document = change({
      messages: [
        {
          from: '1',
          id: 'd',
          type: 'document',
          document: { id: 'DOC', filename: 'invoice.pdf', mime_type: 'application/pdf' },
        },
      ],
    });
    expect(parseMetaWebhook(document)[0]).toMatchObject({
      media: [{ kind: 'document', id: 'DOC', filename: 'invoice.pdf' }],
    });
  });

  it('reads a failed status with its error code (131047: outside the 24-hour window)', () => {
    expect(parseMetaWebhook(failedStatus)).toEqual([
      expect.objectContaining({
        type: 'delivery-status',
        channel: 'whatsapp',
        vendor: 'meta',
        messageId: 'wamid.outbound1',
        status: 'failed',
        errorCode: '131047',
        errorMessage: expect.stringContaining('24 hours'),
        to: '+250788123456',
        timestamp: new Date(1749416500 * 1000),
      }),
    ]);
  });

  it('reads sent, delivered and read statuses, several per payload', () => {
    const payload = change({
      statuses: ['sent', 'delivered', 'read', 'some-new-status'].map((status, index) => ({
        id: `wamid.${index}`,
        status,
        timestamp: '1749416500',
        recipient_id: '250788123456',
      })),
    });
    expect(parseMetaWebhook(payload).map((event) => (event.type === 'delivery-status' ? event.status : ''))).toEqual([
      'sent',
      'delivered',
      'read',
    ]);
  });

  it('yields no event for other fields and throws only for non-webhook shapes', () => {
    expect(
      parseMetaWebhook({
        object: 'whatsapp_business_account',
        entry: [{ changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED' } }] }],
      }),
    ).toEqual([]);
    expect(() => parseMetaWebhook([])).toThrow(/object/);
    expect(() => parseMetaWebhook({ entry: 'x' })).toThrow(/entry/);
  });
});

describe('createMetaWebhookHandler', () => {
  it('answers the subscription handshake with the challenge', async () => {
    const { handler } = collecting();
    const ok = await handler(
      new Request(`${endpoint}?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=1158201444`),
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await handler(new Request(`${endpoint}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1`));
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).not.toContain('1');
    expect(
      (await handler(new Request(`${endpoint}?hub.mode=unsubscribe&hub.verify_token=${verifyToken}&hub.challenge=1`)))
        .status,
    ).toBe(403);
    expect((await handler(new Request(endpoint))).status).toBe(400);
  });

  it('emits every event of a signed payload and answers 200', async () => {
    const { events, handler } = collecting();
    expect((await handler(signedRequest(inboundText))).status).toBe(200);
    expect((await handler(signedRequest(failedStatus))).status).toBe(200);
    expect(events.map((event) => event.type)).toEqual(['inbound-message', 'delivery-status']);
  });

  it('rejects missing or wrong signatures with 403 and no event', async () => {
    const { events, handler } = collecting();
    expect((await handler(signedRequest(failedStatus, { signature: null }))).status).toBe(403);
    expect((await handler(signedRequest(failedStatus, { secret: 'not-the-secret' }))).status).toBe(403);
    const signature = computeMetaSignature(appSecret, JSON.stringify(failedStatus));
    const forged = JSON.stringify(failedStatus).replace('failed', 'delivered');
    expect((await handler(signedRequest(forged, { signature }))).status).toBe(403);
    expect(events).toHaveLength(0);
  });

  it('verifies the raw bytes, not a re-serialised body', async () => {
    const { events, handler } = collecting();
    // Meta escapes non-ASCII as \\uXXXX; re-serialising would change the bytes and break the signature.
    const raw = JSON.stringify(inboundText).replace('Muraho!', 'Muraho \\u00e9!').replace('"type"', ' "type"');
    expect((await handler(signedRequest(raw))).status).toBe(200);
    expect(events[0]).toMatchObject({ text: 'Muraho é! Is my order ready?' });
  });

  it('answers 400 to signed bodies that are not JSON webhooks', async () => {
    const { events, handler } = collecting();
    expect((await handler(signedRequest('{"entry": [}'))).status).toBe(400);
    expect((await handler(signedRequest('[1,2,3]'))).status).toBe(400);
    expect((await handler(signedRequest({ object: 'page' }))).status).toBe(400);
    expect(events).toHaveLength(0);
  });

  it('picks the app secret per request and tags the tenant', async () => {
    const { events, handler } = collecting({
      appSecret: (request) =>
        new URL(request.url).searchParams.get('tenant') === 'acme'
          ? { appSecret: new Secret('acme-secret'), tenant: 'acme' }
          : undefined,
    });
    const body = JSON.stringify(failedStatus);
    const request = new Request(`${endpoint}?tenant=acme`, {
      method: 'POST',
      headers: { 'x-hub-signature-256': computeMetaSignature('acme-secret', body) },
      body,
    });
    expect((await handler(request)).status).toBe(200);
    expect((await handler(signedRequest(failedStatus, { secret: 'acme-secret' }))).status).toBe(403);
    expect(events.map((event) => event.tenant)).toEqual(['acme']);
  });

  it('answers 500 when the listener fails, so Meta retries, and 413 for oversized bodies', async () => {
    const failing = createMetaWebhookHandler({
      appSecret,
      verifyToken,
      onEvent: () => Promise.reject(new Error('down')),
    });
    expect((await failing(signedRequest(failedStatus))).status).toBe(500);
    const { handler } = collecting({ maxBodyBytes: 32 });
    expect((await handler(signedRequest(failedStatus))).status).toBe(413);
  });

  it('can drop raw payloads from events', async () => {
    const { events, handler } = collecting({ includeRaw: false });
    await handler(signedRequest(inboundText));
    expect(events[0]).not.toHaveProperty('raw');
  });
});

/** Replaces random leaves of a JSON value with values of the wrong type. */
function mutate(value: unknown, random: () => number): unknown {
  const junk = [null, 0, -1, 1e308, '', 'x', true, [], {}, [null], { id: 7 }, '9999999999999999999'];
  if (random() < 0.08) return junk[Math.floor(random() * junk.length)];
  if (Array.isArray(value)) return value.map((item) => mutate(item, random));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mutate(item, random)]));
  }
  return value;
}

describe('Meta webhook fuzz', () => {
  it('answers 200, 400 or 403 to 2500 random, truncated and mutated bodies and never throws', async () => {
    const random = prng(0x4d657461);
    const handler = createMetaWebhookHandler({ appSecret, verifyToken, onEvent: () => undefined });
    const samples = [inboundText, inboundImage, failedStatus].map((payload) => JSON.stringify(payload));
    const counts: Record<number, number> = {};
    for (let index = 0; index < 2500; index += 1) {
      const sample = samples[index % samples.length] ?? '';
      let body: string;
      const variant = Math.floor(random() * 4);
      if (variant === 0) body = sample.slice(0, Math.floor(random() * sample.length));
      else if (variant === 1) body = JSON.stringify(mutate(JSON.parse(sample), random));
      else if (variant === 2)
        body = Array.from({ length: Math.floor(random() * 80) }, () =>
          String.fromCharCode(Math.floor(random() * 0xffff)),
        ).join('');
      else body = sample.replace(/[[\]{}]/, '');
      const sign = random() < 0.75;
      const response = await handler(
        signedRequest(body, sign ? {} : { signature: random() < 0.5 ? null : 'sha256=00' }),
      );
      expect([200, 400, 403]).toContain(response.status);
      if (!sign) expect(response.status).toBe(403);
      counts[response.status] = (counts[response.status] ?? 0) + 1;
    }
    expect(counts[200]).toBeGreaterThan(0);
    expect(counts[400]).toBeGreaterThan(0);
    expect(counts[403]).toBeGreaterThan(0);
  });

  it('parseMetaWebhook never throws anything but its parse error on mutated payloads', () => {
    const random = prng(99);
    for (let index = 0; index < 2000; index += 1) {
      const mutated = mutate(index % 2 === 0 ? failedStatus : inboundImage, random);
      try {
        for (const event of parseMetaWebhook(mutated)) {
          expect(typeof event.messageId).toBe('string');
          expect(Number.isNaN((event.type === 'delivery-status' ? event.timestamp : event.receivedAt).getTime())).toBe(
            false,
          );
        }
      } catch (error) {
        expect((error as Error).name).toBe('MetaWebhookParseError');
      }
    }
  });
});
