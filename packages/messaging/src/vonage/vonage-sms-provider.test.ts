import { inspect } from 'node:util';
import { AllProvidersFailedError, createPatchbay, type FailoverEvent } from '@patchbay/core';
import { createTwilioSimulator, type TwilioSimulator } from '@patchbay/testing/simulators/twilio';
import { createVonageSimulator, type VonageSimulator } from '@patchbay/testing/simulators/vonage';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { abortWhenReceived, failure, startFormReceiver } from '../test-support.js';
import { twilioSmsProviderFactory } from '../twilio/index.js';
import { createVonageSmsProvider, vonageSmsProviderFactory } from './vonage-sms-provider.js';

const apiKey = 'abcd1234';
const apiSecret = 'vonage-very-secret';
let sim: VonageSimulator;

function provider(overrides: Record<string, unknown> = {}) {
  return createVonageSmsProvider({
    id: 'vonage-main',
    apiKey,
    apiSecret,
    from: 'Patchbay',
    baseURL: sim.url,
    env: false,
    ...overrides,
  });
}

beforeAll(async () => {
  sim = await createVonageSimulator({ apiKey, apiSecret, pricePerPart: 0.0333 }).start();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('Vonage SMS send', () => {
  it('posts the SMS API form and reports id and price', async () => {
    const result = await provider().send({
      to: '+447911123456',
      body: 'Your code is 1234',
      statusCallbackUrl: 'https://example.com/dlr',
      idempotencyKey: 'order-7',
    });
    const request = sim.requests[0];
    expect(request?.path).toBe('/sms/json');
    expect(Object.fromEntries(request?.form ?? [])).toEqual({
      api_key: apiKey,
      api_secret: apiSecret,
      from: 'Patchbay',
      to: '447911123456',
      text: 'Your code is 1234',
      callback: 'https://example.com/dlr',
      'status-report-req': '1',
      'client-ref': 'order-7',
    });
    expect(result).toEqual({
      messageId: sim.messages[0]?.messageIds[0],
      status: 'queued',
      channel: 'sms',
      to: '+447911123456',
      segments: 1,
      provider: 'vonage-main',
      vendor: 'vonage',
      cost: { amount: 0.0333, currency: 'EUR' },
    });
  });

  it('sends non-GSM text as unicode', async () => {
    await provider().send({ to: '+447911123456', body: 'Привет 👋' });
    expect(sim.requests[0]?.form?.get('type')).toBe('unicode');
  });

  it('sums the price of every part of a long text', async () => {
    const result = await provider().send({ to: '+447911123456', body: 'a'.repeat(200) });
    expect(sim.messages[0]?.parts).toBe(2);
    expect(result.segments).toBe(2);
    expect(result.cost).toEqual({ amount: 0.0666, currency: 'EUR' });
  });

  it('rejects an invalid number, media and a missing sender before any request', async () => {
    expect((await failure(provider().send({ to: 'abc', body: 'hi' }))).code).toBe('invalid_request');
    expect((await failure(provider().send({ to: '+447911123456', media: [{ url: 'https://a/b.png' }] }))).code).toBe(
      'invalid_request',
    );
    expect((await failure(provider({ from: undefined }).send({ to: '+447911123456', body: 'hi' }))).code).toBe(
      'not_configured',
    );
    expect(sim.requests).toHaveLength(0);
  });

  it('maps status 7 (number barred) to invalid_request with optedOut', async () => {
    sim.failNextSend(7);
    const error = await failure(provider().send({ to: '+447911123456', body: 'hi' }));
    expect(error).toMatchObject({ code: 'invalid_request', vendorCode: '7', provider: 'vonage-main' });
    expect(error.details?.optedOut).toBe(true);
  });

  it.each([
    ['1', 'rate_limited'],
    ['3', 'invalid_request'],
    ['4', 'auth'],
    ['5', 'unavailable'],
    ['9', 'quota_exceeded'],
  ] as const)('maps status %s to %s', async (status, code) => {
    sim.failNextSend(status);
    const error = await failure(provider().send({ to: '+447911123456', body: 'hi' }));
    expect(error).toMatchObject({ code, vendorCode: status, outcomeUnknown: false });
  });

  it('maps wrong credentials (status 4 in an HTTP 200) to auth', async () => {
    const error = await failure(provider({ apiSecret: 'wrong' }).send({ to: '+447911123456', body: 'hi' }));
    expect(error.code).toBe('auth');
  });

  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [500, 'unavailable'],
    [503, 'unavailable'],
  ] as const)('maps injected HTTP %i to %s', async (status, code) => {
    sim.inject({ type: 'status', status });
    const error = await failure(provider().send({ to: '+447911123456', body: 'hi' }));
    expect(error).toMatchObject({ code, status });
  });

  it('maps 429 with Retry-After to rate_limited with retryAfterMs', async () => {
    sim.inject({ type: 'status', status: 429, retryAfterSeconds: 3 });
    const error = await failure(provider().send({ to: '+447911123456', body: 'hi' }));
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 3000 });
  });

  it('marks a reset after sending and a malformed answer as outcomeUnknown', async () => {
    sim.inject({ type: 'reset' });
    expect(await failure(provider().send({ to: '+447911123456', body: 'hi' }))).toMatchObject({
      code: 'connection',
      outcomeUnknown: true,
    });
    sim.inject({ type: 'malformed' });
    expect(await failure(provider().send({ to: '+447911123456', body: 'hi' }))).toMatchObject({
      code: 'unknown',
      outcomeUnknown: true,
    });
  });

  it('turns a caller abort during a hung request into aborted', async () => {
    sim.inject({ type: 'hang' });
    const controller = new AbortController();
    abortWhenReceived(sim, controller);
    const error = await failure(provider().send({ to: '+447911123456', body: 'hi' }, { signal: controller.signal }));
    expect(error.code).toBe('aborted');
  });

  it('keeps the API secret out of config and errors even though it travels in the form', async () => {
    const vonage = provider();
    sim.failNextSend(4);
    const error = await failure(vonage.send({ to: '+447911123456', body: 'hi' }));
    for (const text of [JSON.stringify(vonage.getConfig()), JSON.stringify(error), inspect(error, { depth: 5 })]) {
      expect(text).not.toContain(apiSecret);
    }
  });

  it('posts a delivery receipt to the callback URL from the simulator', async () => {
    const receiver = await startFormReceiver();
    const { received } = receiver;
    try {
      const sent = await provider().send({
        to: '+447911123456',
        body: 'hi',
        statusCallbackUrl: `${receiver.url}/dlr`,
      });
      const answer = await sim.deliverStatus(sent.messageId, 'delivered');
      expect(answer.status).toBe(200);
      expect(received[0]?.get('messageId')).toBe(sent.messageId);
      expect(received[0]?.get('status')).toBe('delivered');
      expect(received[0]?.get('msisdn')).toBe('447911123456');
    } finally {
      await receiver.close();
    }
  });
});

// README "One request per call, never a double send": a Vonage text of which only some parts went out carries
// outcomeUnknown, so the router neither retries it nor fails it over (the recipient already has part of it).
describe('Vonage SMS sent only in part', () => {
  let twilio: TwilioSimulator;
  beforeAll(async () => {
    twilio = await createTwilioSimulator().start();
  });
  afterAll(() => twilio.close());
  beforeEach(() => twilio.reset());

  const longText = 'a'.repeat(200); // 2 GSM-7 parts

  function route() {
    return createPatchbay({
      env: false,
      factories: [vonageSmsProviderFactory, twilioSmsProviderFactory],
      config: {
        providers: {
          'vonage-primary': {
            kind: 'sms',
            vendor: 'vonage',
            settings: { apiKey, apiSecret, from: 'Patchbay', baseURL: sim.url },
          },
          'twilio-fallback': {
            kind: 'sms',
            vendor: 'twilio',
            settings: {
              accountSid: twilio.accountSid,
              authToken: twilio.authToken,
              from: '+15005550006',
              baseURL: twilio.url,
            },
          },
        },
        routes: {
          sms: {
            providers: ['vonage-primary', 'twilio-fallback'],
            retry: { maxRetries: 2, initialDelayMs: 1, jitter: false },
          },
        },
      },
    });
  }

  it('fails with outcomeUnknown when the first part went out and the second was refused', async () => {
    sim.failLaterPartsOfNextSend(1, { afterParts: 1 });
    const error = await failure(provider().send({ to: '+447911123456', body: longText }));
    expect(error).toMatchObject({
      code: 'rate_limited',
      vendorCode: '1',
      provider: 'vonage-main',
      outcomeUnknown: true,
    });
    // The simulator really sent (and charged) the first part.
    expect(sim.messages).toEqual([expect.objectContaining({ parts: 1 })]);
  });

  it('is definite (outcomeUnknown false) when no part went out', async () => {
    sim.failNextSend(1);
    const error = await failure(provider().send({ to: '+447911123456', body: longText }));
    expect(error).toMatchObject({ code: 'rate_limited', vendorCode: '1', outcomeUnknown: false });
    expect(sim.messages).toHaveLength(0);
  });

  it('is neither retried nor failed over by the router, while a text refused whole is', async () => {
    const patchbay = route();
    try {
      const failovers: FailoverEvent[] = [];
      patchbay.on('failover', (event) => failovers.push(event));
      // Control: refused whole (status 1, throttled) → nothing went out, so the router fails over.
      sim.failNextSend(1, { times: 3 });
      expect(await patchbay.sms.send({ to: '+447911123456', body: longText })).toMatchObject({
        provider: 'twilio-fallback',
      });
      expect(failovers).toHaveLength(1);
      sim.reset();
      twilio.reset();

      sim.failLaterPartsOfNextSend(1, { afterParts: 1 });
      const caught = await patchbay.sms.send({ to: '+447911123456', body: longText }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(caught).toBeInstanceOf(AllProvidersFailedError);
      expect(caught).toMatchObject({ code: 'rate_limited', outcomeUnknown: true });
      expect(sim.requestsTo('/sms/json')).toHaveLength(1);
      expect(twilio.requests).toHaveLength(0);
      expect(failovers).toHaveLength(1);
    } finally {
      patchbay.close();
    }
  });
});

describe('Vonage SMS test()', () => {
  it('is connected and reports the balance without sending', async () => {
    const health = await provider().test();
    expect(health).toMatchObject({ status: 'connected', healthy: true });
    expect(health.details?.balance).toBeTypeOf('number');
    expect(sim.requests[0]?.path).toBe('/account/get-balance');
    expect(sim.requests[0]?.query.has('api_secret')).toBe(false);
    expect(sim.messages).toHaveLength(0);
  });

  it('reports auth for a wrong secret and not_configured without credentials', async () => {
    expect(await provider({ apiSecret: 'nope' }).test()).toMatchObject({ status: 'error', code: 'auth' });
    expect(await createVonageSmsProvider({ baseURL: sim.url, env: false }).test()).toMatchObject({
      status: 'not_configured',
    });
  });

  it('reads VONAGE_API_KEY and VONAGE_API_SECRET', async () => {
    const health = await createVonageSmsProvider({
      baseURL: sim.url,
      env: { VONAGE_API_KEY: apiKey, VONAGE_API_SECRET: apiSecret },
    }).test();
    expect(health.status).toBe('connected');
  });
});
