import { inspect } from 'node:util';
import {
  type AfricasTalkingSimulator,
  createAfricasTalkingSimulator,
} from '@patchbay/testing/simulators/africas-talking';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { abortWhenReceived, failure, startFormReceiver } from '../test-support.js';
import { africasTalkingBaseURL, africasTalkingSmsSettingsSchema } from './africas-talking-settings.js';
import { createAfricasTalkingSmsProvider } from './africas-talking-sms-provider.js';

const username = 'patchbay';
const apiKey = 'atsk_secret_key_999';
const to = '+254711082123';
let sim: AfricasTalkingSimulator;

function provider(overrides: Record<string, unknown> = {}) {
  return createAfricasTalkingSmsProvider({
    id: 'at-main',
    username,
    apiKey,
    baseURL: sim.url,
    env: false,
    ...overrides,
  });
}

beforeAll(async () => {
  sim = await createAfricasTalkingSimulator({ username, apiKey, pricePerPart: 0.8 }).start();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe("Africa's Talking SMS send", () => {
  it('posts the form with the apiKey header and reports id, status and cost', async () => {
    const result = await provider({ from: 'PATCHBAY' }).send({ to, body: 'Habari!' });
    const request = sim.requests[0];
    expect(request?.path).toBe('/version1/messaging');
    expect(request?.headers.apikey).toBe(apiKey);
    expect(request?.headers.accept).toBe('application/json');
    expect(Object.fromEntries(request?.form ?? [])).toEqual({ username, to, message: 'Habari!', from: 'PATCHBAY' });
    expect(result).toEqual({
      messageId: sim.messages[0]?.messageId,
      status: 'sent',
      channel: 'sms',
      to,
      segments: 1,
      provider: 'at-main',
      vendor: 'africas-talking',
      cost: { amount: 0.8, currency: 'KES' },
    });
  });

  it('normalises a national number with the default country before sending', async () => {
    await provider({ defaultCountry: 'KE' }).send({ to: '0711 082123', body: 'hi' });
    expect(sim.requests[0]?.form?.get('to')).toBe(to);
  });

  it('rejects an invalid number without a request', async () => {
    const error = await failure(provider().send({ to: '+1', body: 'hi' }));
    expect(error).toMatchObject({ code: 'invalid_request', provider: 'at-main' });
    expect(sim.requests).toHaveLength(0);
  });

  it('maps 406 UserInBlacklist to invalid_request with optedOut', async () => {
    sim.failNextSend(406);
    const error = await failure(provider().send({ to, body: 'hi' }));
    expect(error).toMatchObject({ code: 'invalid_request', vendorCode: '406' });
    expect(error.details).toMatchObject({ optedOut: true, vendorStatus: 'UserInBlacklist' });
  });

  it.each([
    [405, 'quota_exceeded'],
    [403, 'invalid_request'],
    [401, 'content_policy'],
    [407, 'unavailable'],
    [500, 'unavailable'],
    [501, 'unavailable'],
  ] as const)('maps recipient status %i to %s', async (statusCode, code) => {
    sim.failNextSend(statusCode);
    const error = await failure(provider().send({ to, body: 'hi' }));
    expect(error).toMatchObject({ code, vendorCode: String(statusCode), outcomeUnknown: false });
  });

  it('maps a refused sender id (no recipients) to invalid_request', async () => {
    const error = await failure(provider({ from: 'not a valid sender id!' }).send({ to, body: 'hi' }));
    expect(error).toMatchObject({ code: 'invalid_request', vendorCode: 'InvalidSenderId' });
  });

  it('maps a wrong key (plain-text 401) to auth', async () => {
    const error = await failure(provider({ apiKey: 'wrong' }).send({ to, body: 'hi' }));
    expect(error).toMatchObject({ code: 'auth', status: 401 });
    expect(error.message).toContain('The supplied authentication is invalid');
  });

  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [500, 'unavailable'],
    [503, 'unavailable'],
  ] as const)('maps injected HTTP %i to %s', async (status, code) => {
    sim.inject({ type: 'status', status });
    expect(await failure(provider().send({ to, body: 'hi' }))).toMatchObject({ code, status });
  });

  it('maps 429 with Retry-After to rate_limited with retryAfterMs', async () => {
    sim.inject({ type: 'status', status: 429, retryAfterSeconds: 1 });
    expect(await failure(provider().send({ to, body: 'hi' }))).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 1000,
    });
  });

  it('marks a reset after sending and a malformed answer as outcomeUnknown', async () => {
    sim.inject({ type: 'reset' });
    expect(await failure(provider().send({ to, body: 'hi' }))).toMatchObject({
      code: 'connection',
      outcomeUnknown: true,
    });
    sim.inject({ type: 'malformed' });
    expect(await failure(provider().send({ to, body: 'hi' }))).toMatchObject({ code: 'unknown', outcomeUnknown: true });
  });

  it('turns a caller abort during a hung request into aborted', async () => {
    sim.inject({ type: 'hang' });
    const controller = new AbortController();
    abortWhenReceived(sim, controller);
    expect((await failure(provider().send({ to, body: 'hi' }, { signal: controller.signal }))).code).toBe('aborted');
  });

  it('keeps the API key out of config and errors', async () => {
    const at = provider();
    sim.inject({ type: 'status', status: 500 });
    const error = await failure(at.send({ to, body: 'hi' }));
    expect(error).toMatchObject({ code: 'unavailable', status: 500 });
    for (const text of [JSON.stringify(at.getConfig()), JSON.stringify(error), inspect(error, { depth: 5 })]) {
      expect(text).not.toContain(apiKey);
    }
  });
});

describe("Africa's Talking hosts", () => {
  it('uses the sandbox host for the sandbox username and production otherwise', () => {
    const settings = africasTalkingSmsSettingsSchema.parse({});
    expect(africasTalkingBaseURL(settings, 'sandbox')).toBe('https://api.sandbox.africastalking.com');
    expect(africasTalkingBaseURL(settings, 'myapp')).toBe('https://api.africastalking.com');
    expect(africasTalkingBaseURL({ ...settings, sandbox: true }, 'myapp')).toBe(
      'https://api.sandbox.africastalking.com',
    );
  });
});

describe("Africa's Talking test()", () => {
  it('is connected and reports the balance without sending', async () => {
    const health = await provider().test();
    expect(health).toMatchObject({ status: 'connected', healthy: true });
    expect(health.details?.balance).toMatch(/^KES /);
    expect(sim.requests[0]?.path).toBe('/version1/user');
    expect(sim.requests[0]?.query.get('username')).toBe(username);
    expect(sim.messages).toHaveLength(0);
  });

  it('reports auth for a wrong key and not_configured without credentials', async () => {
    expect(await provider({ apiKey: 'nope' }).test()).toMatchObject({ status: 'error', code: 'auth' });
    expect(await createAfricasTalkingSmsProvider({ baseURL: sim.url, env: false }).test()).toMatchObject({
      status: 'not_configured',
    });
  });

  it('reads AT_USERNAME and AT_API_KEY', async () => {
    const health = await createAfricasTalkingSmsProvider({
      baseURL: sim.url,
      env: { AT_USERNAME: username, AT_API_KEY: apiKey },
    }).test();
    expect(health.status).toBe('connected');
  });
});

describe("Africa's Talking delivery reports", () => {
  it('posts a delivery report to the configured callback URL', async () => {
    const receiver = await startFormReceiver();
    const { received } = receiver;
    try {
      sim.deliveryReportUrl = `${receiver.url}/at/dlr`;
      const sent = await provider().send({ to, body: 'hi' });
      await sim.deliverStatus(sent.messageId, 'Failed', { failureReason: 'UserInBlacklist' });
      expect(Object.fromEntries(received[0] ?? [])).toMatchObject({
        id: sent.messageId,
        status: 'Failed',
        phoneNumber: to,
        failureReason: 'UserInBlacklist',
      });
    } finally {
      sim.deliveryReportUrl = undefined;
      await receiver.close();
    }
  });
});
