import {
  AllProvidersFailedError,
  createPatchbay,
  type FailoverEvent,
  type Patchbay,
  type UsageRecord,
} from '@patchbay/core';
import { createMetaSimulator, type MetaSimulator } from '@patchbay/testing/simulators/meta';
import { createTwilioSimulator, type TwilioSimulator } from '@patchbay/testing/simulators/twilio';
import { createVonageSimulator, type VonageSimulator } from '@patchbay/testing/simulators/vonage';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { metaWhatsAppProviderFactory } from './meta/index.js';
import { twilioSmsProviderFactory, twilioWhatsAppProviderFactory } from './twilio/index.js';
import { vonageSmsProviderFactory } from './vonage/index.js';

const to = '+447911123456';
let twilio: TwilioSimulator;
let vonage: VonageSimulator;
let meta: MetaSimulator;
let patchbay: Patchbay | undefined;

beforeAll(async () => {
  twilio = await createTwilioSimulator().start();
  vonage = await createVonageSimulator().start();
  meta = await createMetaSimulator().start();
});
afterAll(async () => {
  await Promise.all([twilio.close(), vonage.close(), meta.close()]);
});
beforeEach(() => {
  twilio.reset();
  vonage.reset();
  meta.reset();
});
afterEach(() => {
  patchbay?.close();
  patchbay = undefined;
});

function build(route: Record<string, unknown> = {}): Patchbay {
  patchbay = createPatchbay({
    env: false,
    factories: [
      twilioSmsProviderFactory,
      twilioWhatsAppProviderFactory,
      vonageSmsProviderFactory,
      metaWhatsAppProviderFactory,
    ],
    config: {
      providers: {
        'twilio-primary': {
          kind: 'sms',
          vendor: 'twilio',
          settings: {
            accountSid: twilio.accountSid,
            authToken: twilio.authToken,
            from: '+15005550006',
            baseURL: twilio.url,
          },
        },
        'vonage-fallback': {
          kind: 'sms',
          vendor: 'vonage',
          settings: {
            apiKey: vonage.apiKey,
            apiSecret: 'simulated-vonage-secret',
            from: 'Patchbay',
            baseURL: vonage.url,
          },
        },
        'meta-wa': {
          kind: 'whatsapp',
          vendor: 'meta',
          settings: { accessToken: meta.accessToken, phoneNumberId: meta.phoneNumberId, baseURL: meta.url },
        },
      },
      routes: {
        sms: { providers: ['twilio-primary', 'vonage-fallback'], retry: { maxRetries: 0 }, ...route },
      },
    },
  });
  return patchbay;
}

async function routeFailure(promise: Promise<unknown>): Promise<AllProvidersFailedError> {
  const caught = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(caught).toBeInstanceOf(AllProvidersFailedError);
  return caught as AllProvidersFailedError;
}

describe('messaging adapters behind createPatchbay', () => {
  it('serves from the fallback when the primary answers 503, and meters messages and segments', async () => {
    const pb = build();
    const failovers: FailoverEvent[] = [];
    const usage: UsageRecord[] = [];
    pb.on('failover', (event) => failovers.push(event));
    pb.on('usage', (record) => usage.push(record));
    twilio.inject({ type: 'status', status: 503 });
    const result = await pb.sms.send({ to, body: 'x'.repeat(170) });
    expect(result).toMatchObject({ provider: 'vonage-fallback', vendor: 'vonage', segments: 2 });
    expect(twilio.requests).toHaveLength(1);
    expect(vonage.messages).toHaveLength(1);
    expect(failovers).toEqual([
      expect.objectContaining({ from: 'twilio-primary', to: 'vonage-fallback', errorCode: 'unavailable' }),
    ]);
    expect(usage.filter((record) => record.provider === 'vonage-fallback' && record.outcome === 'success')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ unit: 'messages', quantity: 1 }),
        expect.objectContaining({ unit: 'segments', quantity: 2 }),
      ]),
    );
  });

  it('does not fail over a send that timed out after it was sent', async () => {
    const pb = build({ attemptTimeoutMs: 300 });
    twilio.inject({ type: 'hang' });
    const error = await routeFailure(pb.sms.send({ to, body: 'hi' }));
    expect(error).toMatchObject({ code: 'timeout', outcomeUnknown: true });
    expect(twilio.requests).toHaveLength(1);
    expect(vonage.requests).toHaveLength(0);
  });

  it('fails over a timed-out send when the route sets repeatUnknownOutcome', async () => {
    const pb = build({ attemptTimeoutMs: 300, repeatUnknownOutcome: true });
    twilio.inject({ type: 'hang' });
    const result = await pb.sms.send({ to, body: 'hi' });
    expect(result.provider).toBe('vonage-fallback');
    expect(vonage.messages).toHaveLength(1);
  });

  it('does not fail over or retry a connection dropped after the request was sent', async () => {
    const pb = build({ retry: { maxRetries: 2, initialDelayMs: 1 } });
    twilio.inject({ type: 'reset' });
    const error = await routeFailure(pb.sms.send({ to, body: 'hi' }));
    expect(error).toMatchObject({ code: 'connection', outcomeUnknown: true });
    expect(twilio.requests).toHaveLength(1);
    expect(vonage.requests).toHaveLength(0);
  });

  it('retries a 429 on the same provider, then succeeds there', async () => {
    const pb = build({ retry: { maxRetries: 1, initialDelayMs: 1, jitter: false } });
    twilio.inject({ type: 'status', status: 429, retryAfterSeconds: 0 });
    const result = await pb.sms.send({ to, body: 'hi' });
    expect(result.provider).toBe('twilio-primary');
    expect(twilio.requests).toHaveLength(2);
    expect(vonage.requests).toHaveLength(0);
  });

  it('stops at an opted-out recipient instead of trying another vendor', async () => {
    const pb = build();
    twilio.failNextSend(21610);
    const error = await routeFailure(pb.sms.send({ to, body: 'hi' }));
    expect(error).toMatchObject({ code: 'invalid_request' });
    expect(vonage.requests).toHaveLength(0);
  });

  it('rejects an invalid number before any vendor is called', async () => {
    const pb = build();
    await routeFailure(pb.sms.send({ to: 'nope', body: 'hi' }));
    expect(twilio.requests).toHaveLength(0);
    expect(vonage.requests).toHaveLength(0);
  });

  it('reports every configured messaging provider in status()', async () => {
    const pb = build();
    const report = await pb.status();
    const serialized = JSON.stringify(report);
    expect(serialized).toContain('twilio-primary');
    expect(serialized).toContain('meta-wa');
    expect(serialized).not.toContain(twilio.authToken);
    expect(twilio.messages).toHaveLength(0);
    expect(meta.messages).toHaveLength(0);
  });

  it('routes WhatsApp to the Cloud API provider', async () => {
    const pb = build();
    const result = await pb.whatsapp.send({ to, body: 'hi' });
    expect(result).toMatchObject({ provider: 'meta-wa', channel: 'whatsapp' });
  });
});
