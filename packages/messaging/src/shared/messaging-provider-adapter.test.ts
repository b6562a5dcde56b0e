import type { OutboundMessage, SendResult } from '@patchbay/core';
import { defineCredentials, PatchbayError } from '@patchbay/core/adapter';
import { expectNoSecretIn } from '@patchbay/testing';
import { createMtnSimulator, type MtnSimulator } from '@patchbay/testing/simulators/mtn';
import { createTwilioSimulator, type TwilioSimulator } from '@patchbay/testing/simulators/twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMtnSmsProvider } from '../mtn/mtn-sms-provider.js';
import { failure } from '../test-support.js';
import { createTwilioSmsProvider } from '../twilio/twilio-sms-provider.js';
import { MessagingProviderAdapter } from './messaging-provider-adapter.js';

const accountSid = 'AC11111111111111111111111111111111';
const authToken = 'twilio-secret-token-123';
let twilio: TwilioSimulator;
let mtn: MtnSimulator;

beforeAll(async () => {
  twilio = await createTwilioSimulator({ accountSid, authToken }).start();
  mtn = await createMtnSimulator({ apiKey: 'mtn-key', apiSecret: 'mtn-secret', senderIds: ['EasyMO'] }).start();
});
afterAll(async () => {
  await twilio.close();
  await mtn.close();
});

// What a caller without types (plain JavaScript, a model's tool call) can pass.
const malformed = { to: '+14155552671', body: 42 } as unknown as OutboundMessage;

describe('MessagingProviderAdapter request validation (adapter used directly, no router)', () => {
  it('refuses a body that is a number with invalid_request naming body, before any vendor call', async () => {
    const sms = createTwilioSmsProvider({
      id: 'twilio-direct',
      accountSid,
      authToken,
      from: '+15005550006',
      baseURL: twilio.url,
      env: false,
    });
    const error = await failure(sms.send(malformed));
    expect(error).toMatchObject({ code: 'invalid_request', provider: 'twilio-direct', vendor: 'twilio' });
    expect(error.details?.issues).toEqual([expect.objectContaining({ path: 'body' })]);
    expect(twilio.requests).toHaveLength(0);
  });

  it('asks for no token either (MTN), and refuses a message that is not an object', async () => {
    const sms = createMtnSmsProvider({
      baseURL: mtn.url,
      apiKey: 'mtn-key',
      apiSecret: 'mtn-secret',
      senderId: 'EasyMO',
      env: false,
    });
    expect(await failure(sms.send(malformed))).toMatchObject({ code: 'invalid_request', vendor: 'mtn' });
    expect(await failure(sms.send(null as unknown as OutboundMessage))).toMatchObject({ code: 'invalid_request' });
    expect(mtn.tokenRequests).toBe(0);
    expect(mtn.requests).toHaveLength(0);
  });
});

// Keys too short for the process-wide known-secrets list (6 characters and up): only the skeleton can cut them.
const shortKey = 'Qx7k';
const shortSecret = 'Wj4z';

type EchoCredentials = { apiKey: string | undefined; apiSecret: string | undefined };

const echoedPatchbayError = (echo: string) =>
  new PatchbayError({
    code: 'auth',
    message: `refused key ${echo}`,
    details: { sent: echo, nested: { header: `Key ${echo}` } },
    cause: new Error(`vendor body: ${echo}`),
  });
const echoedPlainError = (echo: string) => Object.assign(new Error(`refused key ${echo}`), { body: { sent: echo } });

/** A custom SMS adapter (two secret credential fields) whose send fails echoing both, mapped carelessly. */
class EchoingSms extends MessagingProviderAdapter<
  { apiKey?: string | undefined; apiSecret?: string | undefined },
  EchoCredentials
> {
  readonly #fail: (echo: string) => unknown;

  constructor(fail: (echo: string) => unknown) {
    super({
      id: 'echo',
      vendor: 'echo',
      kind: 'sms',
      capabilities: { media: false, templates: false, idempotency: false },
      schema: z.object({ apiKey: z.string().optional(), apiSecret: z.string().optional() }),
      settings: { apiKey: shortKey, apiSecret: shortSecret },
      credentials: defineCredentials({
        fields: { apiKey: z.string().optional(), apiSecret: z.string().optional() },
        env: {},
        secret: ['apiKey', 'apiSecret'],
      }),
      runtime: { env: false },
    });
    this.#fail = fail;
  }

  protected async doSend(context: { credentials: { values: EchoCredentials } }): Promise<SendResult> {
    throw this.#fail(`${context.credentials.values.apiKey}:${context.credentials.values.apiSecret}`);
  }

  protected mapError(error: unknown): PatchbayError {
    const text = error instanceof Error ? error.message : String(error);
    return new PatchbayError({ code: 'unavailable', message: `vendor said: ${text}`, details: { text }, cause: error });
  }

  protected async checkConnection() {
    return {};
  }
}

describe("MessagingProviderAdapter scrubs every error it throws of the call's secret values", () => {
  const failures = [
    ['a PatchbayError', echoedPatchbayError],
    ['a plain Error', echoedPlainError],
  ] as const;
  const message: OutboundMessage = { to: '+14155552671', body: 'Hi' };
  for (const [name, fail] of failures) {
    it(`send(): ${name} echoing two short keys: the message carries neither`, async () => {
      const error = await failure(new EchoingSms(fail).send(message));
      expect(error).toMatchObject({ provider: 'echo' });
      expect(error.message).toContain('[redacted]:[redacted]');
      for (const text of [error.message, String(error.stack), error.toJSON().message]) {
        expect(text).not.toContain(shortKey);
        expect(text).not.toContain(shortSecret);
      }
    });

    it(`send(): ${name} echoing two short keys: details and cause carry neither`, async () => {
      const error = await failure(new EchoingSms(fail).send(message));
      expectNoSecretIn(error, [shortKey, shortSecret]);
    });
  }
});
