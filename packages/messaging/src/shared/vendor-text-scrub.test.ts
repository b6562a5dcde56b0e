import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, type LoopbackServer, startLoopbackServer } from '../test-support.js';
import { createTwilioSmsProvider } from '../twilio/index.js';

// A vendor that echoes the credential it refused inside its error text (as OpenAI does: "Incorrect API key provided: sk-…").
const token = 'tok-canary-5b8e2f71c9';
let vendor: LoopbackServer;

beforeAll(async () => {
  vendor = await startLoopbackServer((_request, response) => {
    response.writeHead(400, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ code: 21211, message: `Invalid 'To' for credential ${token}`, status: 400 }));
  });
});
afterAll(() => vendor.close());

describe('vendor text reaching a messaging error is scrubbed', () => {
  it('cuts the call credential out of the message and the JSON', async () => {
    const sms = createTwilioSmsProvider({
      accountSid: 'AC0123456789',
      authToken: token,
      from: '+15005550006',
      baseURL: vendor.url,
      env: {},
    });
    const error = await failure(sms.send({ to: '+14155550100', body: 'Hi' }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('Invalid');
    expect(error.message).not.toContain(token);
    expect(JSON.stringify(error)).not.toContain(token);
  });
});
