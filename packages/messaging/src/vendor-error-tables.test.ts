// Rows of the README's "Errors" table (packages/messaging/README.md) that no adapter test covered, checked
// through each adapter against its simulator. Only codes whose HTTP status alone would map elsewhere are
// listed, so each row fails if its entry in the vendor's table is lost.
import {
  type AfricasTalkingSimulator,
  createAfricasTalkingSimulator,
} from '@patchbay/testing/simulators/africas-talking';
import { createMetaSimulator, type MetaSimulator } from '@patchbay/testing/simulators/meta';
import { createTwilioSimulator, type TwilioSimulator } from '@patchbay/testing/simulators/twilio';
import { createVonageSimulator, type VonageSimulator } from '@patchbay/testing/simulators/vonage';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAfricasTalkingSmsProvider } from './africas-talking/africas-talking-sms-provider.js';
import { createMetaWhatsAppProvider } from './meta/meta-whatsapp-provider.js';
import { failure } from './test-support.js';
import { createTwilioSmsProvider } from './twilio/twilio-sms-provider.js';
import { createVonageSmsProvider } from './vonage/vonage-sms-provider.js';

const accountSid = 'AC22222222222222222222222222222222';
const authToken = 'twilio-error-table-token';
const accessToken = 'EAAG-error-table-token';
const phoneNumberId = '109876543299';
let twilio: TwilioSimulator;
let meta: MetaSimulator;
let africasTalking: AfricasTalkingSimulator;
let vonage: VonageSimulator;

beforeAll(async () => {
  [twilio, meta, africasTalking, vonage] = await Promise.all([
    createTwilioSimulator({ accountSid, authToken }).start(),
    createMetaSimulator({ accessToken, phoneNumberId }).start(),
    createAfricasTalkingSimulator({ username: 'patchbay', apiKey: 'at-error-table-key' }).start(),
    createVonageSimulator({ apiKey: 'vonage01', apiSecret: 'vonage-error-table-secret' }).start(),
  ]);
});
afterAll(() => Promise.all([twilio.close(), meta.close(), africasTalking.close(), vonage.close()]));
beforeEach(() => {
  twilio.reset();
  meta.reset();
  africasTalking.reset();
  vonage.reset();
});

describe('Twilio error codes', () => {
  it.each([
    [14107, 'rate_limited'],
    [30007, 'content_policy'],
  ] as const)('maps error %i (sent with HTTP 400) to %s', async (code, expected) => {
    twilio.failNextSend(code);
    const sms = createTwilioSmsProvider({
      id: 'twilio-table',
      accountSid,
      authToken,
      from: '+15005550006',
      baseURL: twilio.url,
      env: false,
    });
    const error = await failure(sms.send({ to: '+14155552671', body: 'hi' }));
    expect(error).toMatchObject({ code: expected, status: 400, vendorCode: String(code), outcomeUnknown: false });
  });
});

describe('Meta Cloud API error codes', () => {
  function whatsapp() {
    return createMetaWhatsAppProvider({ id: 'meta-table', accessToken, phoneNumberId, baseURL: meta.url, env: false });
  }

  it.each([
    [0, 'auth'],
    [3, 'auth'],
    [10, 'auth'],
    [131031, 'auth'],
    [133010, 'auth'],
    [131048, 'rate_limited'],
    [131056, 'rate_limited'],
    [130497, 'content_policy'],
    [131049, 'content_policy'],
    [132007, 'content_policy'],
    [1, 'unavailable'],
    [2, 'unavailable'],
    [131016, 'unavailable'],
  ] as const)('maps code %i to %s', async (code, expected) => {
    meta.failNextSend(code);
    const error = await failure(whatsapp().send({ to: '+447911123456', body: 'hi' }));
    expect(error).toMatchObject({ code: expected, vendorCode: String(code), provider: 'meta-table', vendor: 'meta' });
  });

  it('maps a code it does not list by the HTTP status (a 400 to invalid_request)', async () => {
    // 132002 is not in the table; the simulator answers an unlisted code with HTTP 400.
    meta.failNextSend(132002);
    const error = await failure(whatsapp().send({ to: '+447911123456', body: 'hi' }));
    expect(error).toMatchObject({ code: 'invalid_request', vendorCode: '132002', retryable: false });
  });

  it('marks 131026 (undeliverable) with details.undeliverable', async () => {
    meta.failNextSend(131026);
    const error = await failure(whatsapp().send({ to: '+447911123456', body: 'hi' }));
    expect(error).toMatchObject({ code: 'invalid_request', vendorCode: '131026' });
    expect(error.details?.undeliverable).toBe(true);
    expect(error.details?.optedOut).toBeUndefined();
  });
});

// Vonage answers HTTP 200 with a per-part status, so a status missing from the table would become `unknown`.
describe('Vonage SMS API status codes', () => {
  it.each([
    ['2', 'invalid_request'],
    ['6', 'invalid_request'],
    ['8', 'auth'],
    ['10', 'rate_limited'],
    ['11', 'auth'],
    ['12', 'invalid_request'],
    ['14', 'auth'],
    ['15', 'invalid_request'],
    ['22', 'invalid_request'],
    ['23', 'invalid_request'],
    ['29', 'invalid_request'],
    ['32', 'auth'],
    ['33', 'invalid_request'],
  ] as const)('maps status %s (in an HTTP 200) to %s', async (status, expected) => {
    vonage.failNextSend(status);
    const sms = createVonageSmsProvider({
      id: 'vonage-table',
      apiKey: 'vonage01',
      apiSecret: 'vonage-error-table-secret',
      from: 'Patchbay',
      baseURL: vonage.url,
      env: false,
    });
    const error = await failure(sms.send({ to: '+447911123456', body: 'hi' }));
    expect(error).toMatchObject({
      code: expected,
      status: 200,
      vendorCode: status,
      provider: 'vonage-table',
      vendor: 'vonage',
      outcomeUnknown: false,
    });
    expect(error.details?.optedOut).toBeUndefined();
  });
});

describe("Africa's Talking recipient status codes", () => {
  // Answered in an HTTP 201 with the recipient's statusCode, so a code missing from the table would become `unknown`.
  it.each([
    [402, 'invalid_request'],
    [404, 'invalid_request'],
    [502, 'unavailable'],
  ] as const)('maps recipient statusCode %i to %s', async (statusCode, expected) => {
    africasTalking.failNextSend(statusCode);
    const sms = createAfricasTalkingSmsProvider({
      id: 'at-table',
      username: 'patchbay',
      apiKey: 'at-error-table-key',
      baseURL: africasTalking.url,
      env: false,
    });
    const error = await failure(sms.send({ to: '+254711082123', body: 'hi' }));
    expect(error).toMatchObject({
      code: expected,
      status: 201,
      vendorCode: String(statusCode),
      provider: 'at-table',
      outcomeUnknown: false,
    });
    expect(error.details?.optedOut).toBeUndefined();
  });

  it('maps 409 DoNotDisturbRejection to invalid_request with optedOut', async () => {
    africasTalking.failNextSend(409);
    const sms = createAfricasTalkingSmsProvider({
      id: 'at-table',
      username: 'patchbay',
      apiKey: 'at-error-table-key',
      baseURL: africasTalking.url,
      env: false,
    });
    const error = await failure(sms.send({ to: '+254711082123', body: 'hi' }));
    expect(error).toMatchObject({ code: 'invalid_request', vendorCode: '409', outcomeUnknown: false });
    expect(error.details?.optedOut).toBe(true);
  });
});
