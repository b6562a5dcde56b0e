import { inspect } from 'node:util';
import { createMetaSimulator, type MetaSimulator, metaSignature } from '@patchbay/testing/simulators/meta';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { abortWhenReceived, failure, type LoopbackServer, startLoopbackServer } from '../test-support.js';
import { type MessagingWebhookEvent, toNodeListener } from '../webhooks/index.js';
import { createMetaWebhookHandler } from './meta-webhook.js';
import { createMetaWhatsAppProvider } from './meta-whatsapp-provider.js';

const accessToken = 'EAAG-meta-secret-token';
const phoneNumberId = '109876543210';
let sim: MetaSimulator;

function provider(overrides: Record<string, unknown> = {}) {
  return createMetaWhatsAppProvider({
    id: 'meta-main',
    accessToken,
    phoneNumberId,
    baseURL: sim.url,
    env: false,
    ...overrides,
  });
}

beforeAll(async () => {
  sim = await createMetaSimulator({ accessToken, phoneNumberId, appSecret: 'app-secret' }).start();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('Meta WhatsApp send', () => {
  it('posts a text message as JSON with a bearer token and reports the wamid', async () => {
    const result = await provider().send({ to: '+447911123456', body: 'Hello from Patchbay', idempotencyKey: 'k-1' });
    const request = sim.requests[0];
    expect(request?.path).toBe(`/v23.0/${phoneNumberId}/messages`);
    expect(request?.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(request?.json).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '447911123456',
      biz_opaque_callback_data: 'k-1',
      type: 'text',
      text: { body: 'Hello from Patchbay', preview_url: false },
    });
    expect(result).toEqual({
      messageId: sim.messages[0]?.id,
      status: 'queued',
      channel: 'whatsapp',
      to: '+447911123456',
      segments: 1,
      provider: 'meta-main',
      vendor: 'meta',
    });
    expect(result.messageId).toMatch(/^wamid\./);
  });

  it('sends a template with body parameters', async () => {
    await provider().send({
      to: '+447911123456',
      template: { name: 'order_update', language: 'en_US', parameters: ['Ada', '#42'] },
    });
    expect(sim.requests[0]?.json).toMatchObject({
      type: 'template',
      template: {
        name: 'order_update',
        language: { code: 'en_US' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ada' },
              { type: 'text', text: '#42' },
            ],
          },
        ],
      },
    });
  });

  it('sends an image with its caption, and refuses two media items before any request', async () => {
    await provider().send({ to: '+447911123456', media: [{ url: 'https://example.com/cat.png', caption: 'A cat' }] });
    expect(sim.requests[0]?.json).toMatchObject({
      type: 'image',
      image: { link: 'https://example.com/cat.png', caption: 'A cat' },
    });
    const error = await failure(
      provider().send({ to: '+447911123456', media: [{ url: 'https://a/1.png' }, { url: 'https://a/2.png' }] }),
    );
    expect(error).toMatchObject({ code: 'invalid_request' });
    expect(sim.requests).toHaveLength(1);
  });

  it('picks document for an unknown media type', async () => {
    await provider().send({
      to: '+447911123456',
      media: [{ url: 'https://example.com/invoice.pdf', mimeType: 'application/pdf' }],
    });
    expect(sim.requests[0]?.json).toMatchObject({
      type: 'document',
      document: { link: 'https://example.com/invoice.pdf' },
    });
  });

  it('rejects an invalid number as invalid_request without calling Meta', async () => {
    const error = await failure(provider().send({ to: '12', body: 'hi' }));
    expect(error).toMatchObject({ code: 'invalid_request', provider: 'meta-main' });
    expect(sim.requests).toHaveLength(0);
  });

  it('maps 131047 (24-hour window closed) to invalid_request with sessionWindowClosed', async () => {
    sim.failNextSend(131047);
    const error = await failure(provider().send({ to: '+447911123456', body: 'hi' }));
    expect(error).toMatchObject({ code: 'invalid_request', vendorCode: '131047', status: 400, retryable: false });
    expect(error.details?.sessionWindowClosed).toBe(true);
    expect(error.requestId).toBeTruthy();
  });

  it('maps 131050 (stopped marketing messages) to invalid_request with optedOut', async () => {
    sim.failNextSend(131050);
    const error = await failure(provider().send({ to: '+447911123456', body: 'hi' }));
    expect(error).toMatchObject({ code: 'invalid_request', vendorCode: '131050' });
    expect(error.details?.optedOut).toBe(true);
  });

  it.each([
    [131026, 'invalid_request'],
    [131051, 'invalid_request'],
    [130429, 'rate_limited'],
    [80007, 'rate_limited'],
    [4, 'rate_limited'],
    [190, 'auth'],
    [131042, 'quota_exceeded'],
    [368, 'content_policy'],
    [131000, 'unavailable'],
  ] as const)('maps Cloud API code %i to %s', async (code, expected) => {
    sim.failNextSend(code);
    const error = await failure(provider().send({ to: '+447911123456', body: 'hi' }));
    expect(error).toMatchObject({ code: expected, vendorCode: String(code), provider: 'meta-main', vendor: 'meta' });
  });

  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [500, 'unavailable'],
    [503, 'unavailable'],
  ] as const)('maps injected HTTP %i to %s', async (status, code) => {
    sim.inject({ type: 'status', status });
    const error = await failure(provider().send({ to: '+447911123456', body: 'hi' }));
    expect(error).toMatchObject({ code, status, outcomeUnknown: false });
  });

  it('maps 429 with Retry-After to rate_limited with retryAfterMs', async () => {
    sim.inject({ type: 'status', status: 429, retryAfterSeconds: 1 });
    const error = await failure(provider().send({ to: '+447911123456', body: 'hi' }));
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 1000 });
  });

  it('reports a reset after sending as connection with outcomeUnknown', async () => {
    sim.inject({ type: 'reset' });
    const error = await failure(provider().send({ to: '+447911123456', body: 'hi' }));
    expect(error).toMatchObject({ code: 'connection', outcomeUnknown: true });
  });

  it('reports a malformed success body as unknown with outcomeUnknown', async () => {
    sim.inject({ type: 'malformed' });
    const error = await failure(provider().send({ to: '+447911123456', body: 'hi' }));
    expect(error).toMatchObject({ code: 'unknown', outcomeUnknown: true });
  });

  it('turns a caller abort during a hung request into aborted', async () => {
    sim.inject({ type: 'hang' });
    const controller = new AbortController();
    abortWhenReceived(sim, controller);
    const error = await failure(provider().send({ to: '+447911123456', body: 'hi' }, { signal: controller.signal }));
    expect(error.code).toBe('aborted');
  });

  it('keeps the access token out of config and errors', async () => {
    const meta = provider();
    sim.inject({ type: 'status', status: 401 });
    const error = await failure(meta.send({ to: '+447911123456', body: 'hi' }));
    for (const text of [JSON.stringify(meta.getConfig()), JSON.stringify(error), inspect(error, { depth: 5 })]) {
      expect(text).not.toContain(accessToken);
    }
  });
});

describe('Meta WhatsApp test()', () => {
  it('is connected and reads the business number without sending', async () => {
    const health = await provider().test();
    expect(health).toMatchObject({ status: 'connected', healthy: true });
    expect(health.details).toMatchObject({ verifiedName: 'Simulated Business', qualityRating: 'GREEN' });
    expect(sim.requests[0]?.method).toBe('GET');
    expect(sim.requests[0]?.path).toBe(`/v23.0/${phoneNumberId}`);
    expect(sim.messages).toHaveLength(0);
  });

  it('reports auth for a bad token and not_configured without one', async () => {
    expect(await provider({ accessToken: 'bad' }).test()).toMatchObject({ status: 'error', code: 'auth' });
    expect(await createMetaWhatsAppProvider({ baseURL: sim.url, env: false }).test()).toMatchObject({
      status: 'not_configured',
    });
  });

  it('reads credentials from WHATSAPP_ACCESS_TOKEN and WHATSAPP_PHONE_NUMBER_ID', async () => {
    const meta = createMetaWhatsAppProvider({
      baseURL: sim.url,
      env: { WHATSAPP_ACCESS_TOKEN: accessToken, WHATSAPP_PHONE_NUMBER_ID: phoneNumberId },
    });
    expect(await meta.test()).toMatchObject({ status: 'connected' });
  });
});

describe('Meta simulator status webhooks', () => {
  let receiver: LoopbackServer;
  const events: MessagingWebhookEvent[] = [];
  const handler = createMetaWebhookHandler({
    appSecret: 'app-secret',
    verifyToken: 'verify',
    onEvent: (event) => {
      events.push(event);
    },
  });

  beforeAll(async () => {
    // Serves the fetch-style handler on node:http, as a host framework would.
    receiver = await startLoopbackServer(toNodeListener(handler));
    sim.webhookUrl = `${receiver.url}/meta`;
  });
  afterAll(() => receiver.close());

  it('posts a signed status webhook that the Meta webhook handler accepts', async () => {
    const sent = await provider().send({ to: '+447911123456', body: 'hi' });
    const answer = await sim.deliverStatus(sent.messageId, 'delivered');
    expect(answer.status).toBe(200);
    expect(answer.signature).toBe(metaSignature('app-secret', answer.rawBody));
    expect(events.at(-1)).toMatchObject({ messageId: sent.messageId, status: 'delivered' });
  });

  it('posts a signed inbound message that the handler reads as an inbound event', async () => {
    const answer = await sim.deliverInbound('+447911123456', 'Hi, is my order ready?');
    expect(answer.status).toBe(200);
    expect(events.at(-1)).toMatchObject({
      type: 'inbound-message',
      from: '+447911123456',
      text: 'Hi, is my order ready?',
      messageId: answer.messageId,
    });
  });

  it('is rejected when signed with another secret', async () => {
    const sent = await provider().send({ to: '+447911123456', body: 'hi' });
    const before = events.length;
    const answer = await sim.deliverStatus(sent.messageId, 'failed', { errorCode: 131047, appSecret: 'other' });
    expect(answer.status).toBe(403);
    expect(events).toHaveLength(before);
  });
});
