import type { OutboundMessage } from '@patchbay/core';
import { createMtnSimulator, type MtnSimulator } from '@patchbay/testing/simulators/mtn';
import { createTwilioSimulator, type TwilioSimulator } from '@patchbay/testing/simulators/twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMtnSmsProvider } from '../mtn/mtn-sms-provider.js';
import { failure } from '../test-support.js';
import { createTwilioSmsProvider } from '../twilio/twilio-sms-provider.js';

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
