import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import {
  type ConformanceSettings,
  createFakeClock,
  defineMessagingConformance,
  runConformance,
} from '@patchbay/testing';
import { createMtnSimulator, type MtnSimulator } from '@patchbay/testing/simulators/mtn';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InMemoryDeliveryLog } from '../delivery-log/in-memory-delivery-log.js';
import { createDualChannelMessenger } from '../dual-channel/dual-channel-messenger.js';
import { InMemoryRecipientPreferences } from '../dual-channel/recipient-preferences.js';
import { InMemorySessionStore } from '../sessions/in-memory-session-store.js';
import { toNodeListener } from '../webhooks/node-http.js';
import type { MessagingWebhookEvent } from '../webhooks/webhook-events.js';
import { createMtnSmsProvider } from './mtn-sms-provider.js';
import { createMtnWebhookHandler } from './mtn-webhook.js';
import { MtnTokenCache } from './mtn-wire.js';

const apiKey = 'mtn-test-consumer-key';
const apiSecret = 'mtn-test-consumer-secret-0123456789';
const recipient = '+250788123456';

describe('MTN SMS conformance', () => {
  let sim: MtnSimulator;
  beforeAll(async () => {
    sim = await createMtnSimulator({ apiKey, apiSecret: 'conformance-mtn-secret' }).start();
  });
  afterAll(() => sim.close());
  runConformance(
    defineMessagingConformance({
      simulator: () => sim,
      message: { to: recipient, body: 'Patchbay conformance test' },
      validApiKey: 'conformance-mtn-secret',
      invalidApiKey: 'conformance-wrong-secret',
      rotate: (secret) => ({ apiSecret: secret }),
      apiKeyEnv: 'MTN_SMS_API_SECRET',
      // Faults go to the send: a token request has no side effect to be unsure about.
      faultPath: '/v3/sms/messages/sms/outbound',
      create: ({ baseURL, apiKey: secret, env, id }: ConformanceSettings) =>
        createMtnSmsProvider({
          id,
          baseURL,
          apiKey,
          apiSecret: secret,
          senderId: 'EasyMO',
          env: { MTN_SMS_API_KEY: apiKey, ...env },
        }),
    }),
    { it },
  );
});

describe('MTN SMS adapter against the simulator', () => {
  let sim: MtnSimulator;
  beforeEach(async () => {
    sim = await createMtnSimulator({ apiKey, apiSecret, senderIds: ['EasyMO'] }).start();
  });
  afterEach(() => sim.close());

  function provider(options: Parameters<typeof createMtnSmsProvider>[0] = {}) {
    return createMtnSmsProvider({ baseURL: sim.url, apiKey, apiSecret, senderId: 'EasyMO', env: false, ...options });
  }

  it('sends with a client-credentials token, reused across sends, in MTN’s wire format', async () => {
    const sms = provider({ serviceCode: '131', requestDeliveryReceipt: true });
    const first = await sms.send({ to: '0788 123 456', defaultCountry: 'RW', body: 'Muraho!' });
    const second = await sms.send({ to: recipient, body: 'Again' });
    expect(first).toMatchObject({ channel: 'sms', to: recipient, vendor: 'mtn', status: 'queued', segments: 1 });
    expect(first.messageId).toBe(sim.messages[0]?.messageId);
    expect(second.messageId).not.toBe(first.messageId);
    expect(sim.tokenRequests).toBe(1);
    expect(sim.messages[0]).toMatchObject({
      senderAddress: 'EasyMO',
      receiverAddress: '250788123456',
      message: 'Muraho!',
      serviceCode: '131',
      requestDeliveryReceipt: true,
    });
    const tokenRequest = sim.requests.find((request) => request.path === '/v1/oauth/access_token');
    expect(tokenRequest?.form?.get('client_id')).toBe(apiKey);
    expect(tokenRequest?.query.get('grant_type')).toBe('client_credentials');
  });

  // README: the token is cached per client until a minute before it expires.
  it('reuses a token until a minute before its expires_in runs out, then fetches a new one (fake clock)', async () => {
    const start = Date.parse('2026-01-10T12:00:00Z');
    using clock = createFakeClock({ now: start });
    // Its own simulator, started under the fake clock, issuing tokens with expires_in 3600.
    const hourly = await createMtnSimulator({
      apiKey,
      apiSecret,
      senderIds: ['EasyMO'],
      tokenLifetimeSeconds: 3600,
    }).start();
    try {
      const sms = createMtnSmsProvider({ baseURL: hourly.url, apiKey, apiSecret, senderId: 'EasyMO', env: false });
      const sendAt = async (elapsedMs: number) => {
        clock.setSystemTime(start + elapsedMs);
        await sms.send({ to: recipient, body: `at ${elapsedMs}` });
        return hourly.tokenRequests;
      };
      expect(await sendAt(0)).toBe(1);
      expect(await sendAt(3_539_999)).toBe(1);
      // A minute before MTN would expire it: a new token, asked for ahead of time (no 401 first).
      expect(await sendAt(3_540_000)).toBe(2);
      // The new token is reused for its own hour less a minute, counted from when it was issued.
      expect(await sendAt(3_540_000 + 3_539_999)).toBe(2);
      expect(await sendAt(3_540_000 + 3_540_000)).toBe(3);
      expect(hourly.requestsTo('/v3/sms/messages/sms/outbound')).toHaveLength(5);
      expect(hourly.messages).toHaveLength(5);
    } finally {
      await hourly.close();
    }
  });

  it('shares one token request between concurrent first sends', async () => {
    const sms = provider({ id: 'concurrent' });
    await Promise.all(Array.from({ length: 10 }, (_, index) => sms.send({ to: recipient, body: `m${index}` })));
    expect(sim.messages).toHaveLength(10);
    expect(sim.tokenRequests).toBe(1);
  });

  it('fetches a new token once when MTN refuses a cached one, and sends exactly once', async () => {
    const sms = provider();
    await sms.send({ to: recipient, body: 'one' });
    sim.revokeTokens();
    await sms.send({ to: recipient, body: 'two' });
    expect(sim.tokenRequests).toBe(2);
    expect(sim.messages.map((message) => message.message)).toEqual(['one', 'two']);
    // A 401 on the retry too is an auth failure, with nothing sent.
    sim.inject({ type: 'status', status: 401 }, { times: 2, path: '/v3/sms/messages/sms/outbound' });
    await expect(sms.send({ to: recipient, body: 'three' })).rejects.toMatchObject({
      code: 'auth',
      outcomeUnknown: false,
    });
    expect(sim.messages).toHaveLength(2);
  });

  it('maps refusals: wrong secret → auth (no send), unregistered sender → invalid_request, missing sender → not_configured', async () => {
    await expect(
      provider({ apiSecret: 'wrong-secret-value' }).send({ to: recipient, body: 'x' }),
    ).rejects.toMatchObject({
      code: 'auth',
      vendor: 'mtn',
    });
    await expect(provider({ senderId: 'Unknown' }).send({ to: recipient, body: 'x' })).rejects.toMatchObject({
      code: 'invalid_request',
      vendorCode: '4001',
    });
    await expect(provider({ senderId: undefined }).send({ to: recipient, body: 'x' })).rejects.toMatchObject({
      code: 'not_configured',
    });
    sim.failNextSend({ status: 503, statusCode: '5030', statusMessage: 'Service unavailable' });
    await expect(provider().send({ to: recipient, body: 'x' })).rejects.toMatchObject({
      code: 'unavailable',
      retryable: true,
    });
    expect(sim.messages).toHaveLength(0);
  });

  it('reads key, secret and sender id from MTN_SMS_* environment variables and never shows the secret', async () => {
    const sms = createMtnSmsProvider({
      baseURL: sim.url,
      env: { MTN_SMS_API_KEY: apiKey, MTN_SMS_API_SECRET: apiSecret, MTN_SMS_SENDER_ID: 'EasyMO' },
    });
    await sms.send({ to: recipient, body: 'from env' });
    expect(sim.messages).toHaveLength(1);
    const shown = `${JSON.stringify(sms)} ${inspect(sms)} ${JSON.stringify(provider().getConfig())}`;
    expect(shown).not.toContain(apiSecret);
    const failure = await provider({ apiSecret: 'wrong-secret-value' })
      .send({ to: recipient, body: 'x' })
      .catch((error: unknown) => error);
    expect(`${JSON.stringify(failure)} ${inspect(failure)}`).not.toContain('wrong-secret-value');
    expect(await provider().test()).toMatchObject({ status: 'connected' });
  });

  it('keeps the token cache bounded across many clients', async () => {
    const cache = new MtnTokenCache(10);
    for (let index = 0; index < 1000; index += 1) {
      await cache.get(MtnTokenCache.keyOf('u', `k${index}`, 's'), 0, async () => ({
        accessToken: `t${index}`,
        expiresAt: 1,
      }));
    }
    expect(cache.size).toBe(10);
  });
});

describe('MTN end to end: outbound, delivery receipts and inbound SMS through the webhook', () => {
  let sim: MtnSimulator;
  let server: Server;
  let events: MessagingWebhookEvent[];

  beforeEach(async () => {
    sim = await createMtnSimulator({ apiKey, apiSecret, webhookToken: 'anon-key-from-the-dashboard' }).start();
    events = [];
  });
  afterEach(async () => {
    await sim.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function serve(
    listener: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  ): Promise<string> {
    server = createServer((request, response) => void listener(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/functions/v1/sms-inbound-webhook`;
  }

  it('texts a customer, records the receipt and the reply on one session thread', async () => {
    const sessions = new InMemorySessionStore();
    const deliveryLog = new InMemoryDeliveryLog();
    const messenger = createDualChannelMessenger({
      whatsapp: createMtnSmsProvider({
        id: 'unused-whatsapp',
        baseURL: sim.url,
        apiKey,
        apiSecret,
        senderId: 'EasyMO',
        env: false,
      }),
      sms: createMtnSmsProvider({ baseURL: sim.url, apiKey, apiSecret, senderId: 'EasyMO', env: false }),
      preferences: new InMemoryRecipientPreferences(),
      deliveryLog,
      sessions,
    });
    const handler = createMtnWebhookHandler({
      token: 'anon-key-from-the-dashboard',
      onEvent: async (event, context) => {
        events.push(event);
        await messenger.webhookListener(event, context);
      },
    });
    const url = await serve(toNodeListener(handler));
    sim.deliveryReportUrl = url;
    sim.inboundUrl = url;

    const sent = await messenger.send({ to: recipient, body: 'Your call summary: …' });
    expect(sent).toMatchObject({ status: 'sent', channel: 'sms' });
    const messageId = sent.status === 'sent' ? sent.result.messageId : '';
    expect((await sim.deliverStatus(messageId, 'DeliveredToTerminal')).status).toBe(200);
    const reply = await sim.sendInbound({ from: recipient, text: 'Murakoze', to: 'EasyMO' });
    expect(reply.status).toBe(200);

    expect(events).toEqual([
      expect.objectContaining({
        type: 'delivery-status',
        vendor: 'mtn',
        messageId,
        status: 'delivered',
        to: recipient,
      }),
      expect.objectContaining({
        type: 'inbound-message',
        channel: 'sms',
        from: recipient,
        text: 'Murakoze',
        messageId: reply.messageId,
      }),
    ]);
    const session = sessions.findOpen(recipient);
    expect(session?.lastActiveChannel).toBe('sms');
    expect(sessions.getThread(session?.threadId ?? '')?.entries.map((entry) => entry.direction)).toEqual([
      'outbound',
      'inbound',
    ]);
    const log = await deliveryLog.list();
    expect(log.map((record) => [record.event, record.status, record.threadId])).toEqual([
      ['send-attempt', 'queued', session?.threadId],
      ['status-update', 'delivered', session?.threadId],
      ['inbound', 'received', session?.threadId],
    ]);
  });

  it('refuses callbacks without the Bearer token or with another one, before reading the body', async () => {
    const handler = createMtnWebhookHandler({
      token: 'anon-key-from-the-dashboard',
      onEvent: (event) => void events.push(event),
    });
    const url = await serve(toNodeListener(handler));
    expect((await sim.sendInbound({ from: recipient, text: 'x', url, token: null })).status).toBe(401);
    expect(
      (await sim.sendInbound({ from: recipient, text: 'x', url, token: 'anon-key-from-the-dashboarD' })).status,
    ).toBe(401);
    expect((await sim.sendInbound({ from: recipient, text: 'x', url, token: 'short' })).status).toBe(401);
    expect(events).toEqual([]);
  });
});
