import { inspect } from 'node:util';
import { InMemoryCredentialStore } from '@patchbay/core';
import { createTwilioSimulator, type TwilioSimulator } from '@patchbay/testing/simulators/twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { abortWhenReceived, failure } from '../test-support.js';
import { createTwilioSmsProvider } from './twilio-sms-provider.js';

const authToken = 'twilio-secret-token-123';
const accountSid = 'AC11111111111111111111111111111111';
let sim: TwilioSimulator;

function provider(overrides: Record<string, unknown> = {}) {
  return createTwilioSmsProvider({
    id: 'twilio-main',
    accountSid,
    authToken,
    from: '+15005550006',
    baseURL: sim.url,
    env: false,
    ...overrides,
  });
}

beforeAll(async () => {
  sim = await createTwilioSimulator({ accountSid, authToken }).start();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('Twilio SMS send', () => {
  it('posts a form-encoded message with basic auth and reports the result', async () => {
    const result = await provider().send({
      to: '+14155552671',
      body: 'Your code is 1234',
      statusCallbackUrl: 'https://example.com/status',
      idempotencyKey: 'order-42',
    });
    expect(sim.requests).toHaveLength(1);
    const request = sim.requests[0];
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/2010-04-01/Accounts/${accountSid}/Messages.json`);
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
    );
    expect(request?.headers['i-twilio-idempotency-token']).toBe('order-42');
    expect(Object.fromEntries(request?.form ?? [])).toEqual({
      To: '+14155552671',
      From: '+15005550006',
      Body: 'Your code is 1234',
      StatusCallback: 'https://example.com/status',
    });
    expect(result).toEqual({
      messageId: sim.messages[0]?.sid,
      status: 'queued',
      channel: 'sms',
      to: '+14155552671',
      segments: 1,
      provider: 'twilio-main',
      vendor: 'twilio',
    });
    expect(result.messageId).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it('counts segments of a long body and reports the price when Twilio gives one', async () => {
    const priced = await createTwilioSimulator({
      accountSid,
      authToken,
      price: { amount: '-0.00790', unit: 'USD' },
    }).start();
    try {
      const result = await provider({ baseURL: priced.url }).send({ to: '+14155552671', body: 'x'.repeat(200) });
      expect(result.segments).toBe(2);
      expect(result.cost).toEqual({ amount: 0.0079, currency: 'USD' });
    } finally {
      await priced.close();
    }
  });

  it('sends media as MediaUrl and falls back to the Messaging Service when no sender is set', async () => {
    await provider({ from: undefined, messagingServiceSid: `MG${'a'.repeat(32)}` }).send({
      to: '+14155552671',
      media: [{ url: 'https://example.com/a.png' }, { url: 'https://example.com/b.png' }],
    });
    const form = sim.requests[0]?.form;
    expect(form?.getAll('MediaUrl')).toEqual(['https://example.com/a.png', 'https://example.com/b.png']);
    expect(form?.get('MessagingServiceSid')).toBe(`MG${'a'.repeat(32)}`);
    expect(form?.has('From')).toBe(false);
  });

  it('uses an API key pair when one is configured', async () => {
    const keyed = await createTwilioSimulator({
      accountSid,
      authToken,
      apiKeySid: 'SK123',
      apiKeySecret: 'key-secret',
    }).start();
    try {
      await provider({ baseURL: keyed.url, authToken: undefined, apiKeySid: 'SK123', apiKeySecret: 'key-secret' }).send(
        {
          to: '+14155552671',
          body: 'hi',
        },
      );
      expect(keyed.requests[0]?.headers.authorization).toBe(
        `Basic ${Buffer.from('SK123:key-secret').toString('base64')}`,
      );
    } finally {
      await keyed.close();
    }
  });

  it('passes extra Twilio fields through but never lets them replace the recipient', async () => {
    await provider().send({
      to: '+14155552671',
      body: 'hi',
      providerOptions: { twilio: { ValidityPeriod: 600, To: '+14155550000' } },
    });
    expect(sim.requests[0]?.form?.get('ValidityPeriod')).toBe('600');
    expect(sim.requests[0]?.form?.getAll('To')).toEqual(['+14155552671']);
  });

  it('rejects an invalid number as invalid_request without calling Twilio', async () => {
    const error = await failure(provider().send({ to: 'not-a-number', body: 'hi' }));
    expect(error.code).toBe('invalid_request');
    expect(error.provider).toBe('twilio-main');
    expect(error.details?.field).toBe('to');
    expect(sim.requests).toHaveLength(0);
  });

  it('rejects an empty message and a template on SMS before any request', async () => {
    expect((await failure(provider().send({ to: '+14155552671' }))).code).toBe('invalid_request');
    const template = await failure(provider().send({ to: '+14155552671', template: { name: 'HX1', language: 'en' } }));
    expect(template.details?.field).toBe('template');
    expect(sim.requests).toHaveLength(0);
  });

  it('maps an unsubscribed recipient (21610) to invalid_request with optedOut', async () => {
    sim.failNextSend(21610);
    const error = await failure(provider().send({ to: '+14155552671', body: 'hi' }));
    expect(error).toMatchObject({ code: 'invalid_request', vendorCode: '21610', status: 400, provider: 'twilio-main' });
    expect(error.details?.optedOut).toBe(true);
    expect(error.retryable).toBe(false);
  });

  it('maps an invalid number Twilio rejects (21211) to invalid_request', async () => {
    sim.failNextSend(21211);
    const error = await failure(provider().send({ to: '+14155552671', body: 'hi' }));
    expect(error).toMatchObject({ code: 'invalid_request', vendorCode: '21211' });
    expect(error.details?.optedOut).toBeUndefined();
  });

  it.each([
    [401, 'auth', '20003'],
    [403, 'auth', '20403'],
    [500, 'unavailable', '20500'],
    [503, 'unavailable', '20503'],
  ] as const)('maps HTTP %i to %s', async (status, code, vendorCode) => {
    sim.inject({ type: 'status', status });
    const error = await failure(provider().send({ to: '+14155552671', body: 'hi' }));
    expect(error).toMatchObject({ code, status, vendorCode, provider: 'twilio-main', vendor: 'twilio' });
    expect(error.outcomeUnknown).toBe(false);
  });

  it('maps 429 with Retry-After to rate_limited with retryAfterMs', async () => {
    sim.inject({ type: 'status', status: 429, retryAfterSeconds: 2 });
    const error = await failure(provider().send({ to: '+14155552671', body: 'hi' }));
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 2000, vendorCode: '20429', retryable: true });
  });

  it('reports a dropped connection after the request was sent as outcomeUnknown', async () => {
    sim.inject({ type: 'reset' });
    const error = await failure(provider().send({ to: '+14155552671', body: 'hi' }));
    expect(error.code).toBe('connection');
    expect(error.outcomeUnknown).toBe(true);
    expect(sim.requests).toHaveLength(1);
  });

  it('reports a malformed success body as unknown with outcomeUnknown (the message may be out)', async () => {
    sim.inject({ type: 'malformed' });
    const error = await failure(provider().send({ to: '+14155552671', body: 'hi' }));
    expect(error).toMatchObject({ code: 'unknown', outcomeUnknown: true, status: 200 });
  });

  it('turns a caller abort during a hung request into aborted', async () => {
    sim.inject({ type: 'hang' });
    const controller = new AbortController();
    const pending = provider().send({ to: '+14155552671', body: 'hi' }, { signal: controller.signal });
    abortWhenReceived(sim, controller);
    const error = await failure(pending);
    expect(error.code).toBe('aborted');
    expect(error.outcomeUnknown).toBe(true);
  });

  it('reports a refused connection as a plain connection error, safe to fail over', async () => {
    const closed = await createTwilioSimulator().start();
    const url = closed.url;
    await closed.close();
    const error = await failure(provider({ baseURL: url }).send({ to: '+14155552671', body: 'hi' }));
    expect(error.code).toBe('connection');
    expect(error.outcomeUnknown).toBe(false);
  });

  it('works through an injected fetch as well', async () => {
    const viaFetch = provider({ fetch: globalThis.fetch });
    const result = await viaFetch.send({ to: '+14155552671', body: 'hi' });
    expect(result.messageId).toBe(sim.messages[0]?.sid);
    sim.inject({ type: 'reset' });
    const error = await failure(viaFetch.send({ to: '+14155552671', body: 'hi' }));
    expect(error).toMatchObject({ code: 'connection', outcomeUnknown: true });
  });

  it('applies a rotated auth token to the next call', async () => {
    const twilio = provider({ authToken: 'stale-token' });
    expect((await failure(twilio.send({ to: '+14155552671', body: 'hi' }))).code).toBe('auth');
    await twilio.updateConfig({ authToken });
    await expect(twilio.send({ to: '+14155552671', body: 'hi' })).resolves.toMatchObject({ status: 'queued' });
  });

  it('reads credentials and the sender from the environment', async () => {
    const twilio = createTwilioSmsProvider({
      baseURL: sim.url,
      env: { TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken, TWILIO_FROM_NUMBER: '+15005550009' },
    });
    await twilio.send({ to: '+14155552671', body: 'hi' });
    expect(sim.requests[0]?.form?.get('From')).toBe('+15005550009');
  });

  it("uses the calling tenant's stored credentials and sender", async () => {
    const tenantSim = await createTwilioSimulator({
      accountSid: `AC${'3'.repeat(32)}`,
      authToken: 'tenant-token',
    }).start();
    try {
      const store = new InMemoryCredentialStore({
        acme: { 'twilio-main': { accountSid: `AC${'3'.repeat(32)}`, authToken: 'tenant-token', from: '+15005550001' } },
      });
      const twilio = createTwilioSmsProvider({
        id: 'twilio-main',
        baseURL: tenantSim.url,
        credentialStore: store,
        env: false,
      });
      await twilio.send({ to: '+14155552671', body: 'hi' }, { tenant: 'acme' });
      expect(tenantSim.messages[0]?.from).toBe('+15005550001');
      expect((await failure(twilio.send({ to: '+14155552671', body: 'hi' }, { tenant: 'other' }))).code).toBe(
        'not_configured',
      );
    } finally {
      await tenantSim.close();
    }
  });

  it('normalises a national number with the default country', async () => {
    const result = await provider({ defaultCountry: 'US' }).send({ to: '(415) 555-2671', body: 'hi' });
    expect(result.to).toBe('+14155552671');
    expect(sim.requests[0]?.form?.get('To')).toBe('+14155552671');
  });

  it('never shows the auth token in config, errors or logs', async () => {
    const twilio = provider();
    expect(twilio.getConfig().authToken).toBe('[redacted]');
    sim.inject({ type: 'status', status: 401 });
    const error = await failure(twilio.send({ to: '+14155552671', body: 'hi' }));
    for (const text of [JSON.stringify(error), inspect(error, { depth: 5 }), JSON.stringify(twilio.getConfig())]) {
      expect(text).not.toContain(authToken);
    }
  });
});

describe('Twilio SMS test()', () => {
  it('is connected with valid credentials and sends nothing', async () => {
    const health = await provider().test();
    expect(health).toMatchObject({ status: 'connected', healthy: true });
    expect(sim.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `GET /2010-04-01/Accounts/${accountSid}.json`,
    ]);
    expect(sim.messages).toHaveLength(0);
  });

  it('reports an auth error for a wrong token', async () => {
    const health = await provider({ authToken: 'wrong' }).test();
    expect(health).toMatchObject({ status: 'error', healthy: false, code: 'auth' });
    expect(health.message).not.toContain('wrong');
  });

  it('reports not_configured without credentials', async () => {
    const health = await createTwilioSmsProvider({ baseURL: sim.url, env: false }).test();
    expect(health).toMatchObject({ status: 'not_configured', code: 'not_configured' });
    expect(sim.requests).toHaveLength(0);
  });

  it('reports not_configured with an account SID but no token or key', async () => {
    const health = await createTwilioSmsProvider({ baseURL: sim.url, accountSid, env: false }).test();
    expect(health).toMatchObject({ status: 'not_configured' });
  });
});
