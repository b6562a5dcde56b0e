import { PatchbayError } from '@patchbay/core';
import { createTwilioSimulator, type TwilioSimulator, twilioSignature } from '@patchbay/testing/simulators/twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LoopbackServer, readBody, startLoopbackServer } from '../test-support.js';
import { toNodeListener } from '../webhooks/node-http.js';
import { createTwilioWebhookHandler, verifyTwilioSignature } from './twilio-webhook.js';
import { createTwilioWhatsAppProvider } from './twilio-whatsapp-provider.js';

const authToken = 'wa-secret-token';
const accountSid = 'AC22222222222222222222222222222222';
let sim: TwilioSimulator;

function provider(overrides: Record<string, unknown> = {}) {
  return createTwilioWhatsAppProvider({
    id: 'twilio-wa',
    accountSid,
    authToken,
    from: '+14155238886',
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

describe('Twilio WhatsApp', () => {
  it('prefixes both addresses with whatsapp: and reports one segment', async () => {
    const result = await provider().send({ to: '+447911123456', body: 'x'.repeat(400) });
    const form = sim.requests[0]?.form;
    expect(form?.get('To')).toBe('whatsapp:+447911123456');
    expect(form?.get('From')).toBe('whatsapp:+14155238886');
    expect(result).toMatchObject({ channel: 'whatsapp', to: '+447911123456', segments: 1, provider: 'twilio-wa' });
    expect(provider().capabilities).toMatchObject({ channel: 'whatsapp', templates: true, media: true });
  });

  it('sends a template as ContentSid with numbered ContentVariables', async () => {
    await provider().send({
      to: '+447911123456',
      template: { name: `HX${'b'.repeat(32)}`, language: 'en', parameters: ['Ada', '12:30'] },
    });
    const form = sim.requests[0]?.form;
    expect(form?.get('ContentSid')).toBe(`HX${'b'.repeat(32)}`);
    expect(JSON.parse(form?.get('ContentVariables') ?? '{}')).toEqual({ 1: 'Ada', 2: '12:30' });
    expect(form?.has('Body')).toBe(false);
  });

  it('maps 63016 (outside the 24-hour window) to invalid_request with sessionWindowClosed', async () => {
    sim.failNextSend(63016);
    const error = await provider()
      .send({ to: '+447911123456', body: 'hello again' })
      .catch((caught: unknown) => caught as PatchbayError);
    expect(PatchbayError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'invalid_request', vendorCode: '63016' });
    expect((error as PatchbayError).details?.sessionWindowClosed).toBe(true);
  });

  it('reads the sender from TWILIO_WHATSAPP_NUMBER', async () => {
    await createTwilioWhatsAppProvider({
      baseURL: sim.url,
      env: { TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken, TWILIO_WHATSAPP_NUMBER: '+14155230000' },
    }).send({ to: '+447911123456', body: 'hi' });
    expect(sim.requests[0]?.form?.get('From')).toBe('whatsapp:+14155230000');
  });
});

describe('Twilio simulator status callbacks', () => {
  let receiver: LoopbackServer;
  let callbackUrl: string;
  const received: { signature: string | undefined; body: string; url: string }[] = [];

  beforeAll(async () => {
    receiver = await startLoopbackServer(async (request, response) => {
      received.push({
        signature: request.headers['x-twilio-signature'] as string | undefined,
        body: (await readBody(request)).toString('utf8'),
        url: request.url ?? '',
      });
      response.writeHead(204).end();
    });
    callbackUrl = `${receiver.url}/twilio/status?tenant=a`;
  });
  afterAll(() => receiver.close());

  it('posts the status callback to the StatusCallback URL, signed with the auth token', async () => {
    const result = await provider().send({ to: '+447911123456', body: 'hi', statusCallbackUrl: callbackUrl });
    const answer = await sim.deliverStatus(result.messageId, 'failed', { errorCode: 63016 });
    expect(answer.status).toBe(204);
    const last = received.at(-1);
    const params = new URLSearchParams(last?.body);
    expect(params.get('MessageSid')).toBe(result.messageId);
    expect(params.get('MessageStatus')).toBe('failed');
    expect(params.get('ErrorCode')).toBe('63016');
    expect(params.get('To')).toBe('whatsapp:+447911123456');
    expect(last?.url).toBe('/twilio/status?tenant=a');
    // Recompute independently: URL + sorted name/value pairs, HMAC-SHA1 with the auth token.
    expect(last?.signature).toBe(twilioSignature(authToken, callbackUrl, params));
    expect(last?.signature).not.toBe(twilioSignature('another-token', callbackUrl, params));
    // And the package's own webhook verification agrees with the simulator's signing.
    expect(
      verifyTwilioSignature({
        authToken,
        signature: last?.signature,
        url: callbackUrl,
        params: Object.fromEntries(params),
      }),
    ).toBe(true);
  });

  it('posts a signed inbound message that the Twilio webhook handler accepts', async () => {
    const events: unknown[] = [];
    const handler = createTwilioWebhookHandler({
      authToken,
      onEvent: (event) => {
        events.push(event);
      },
    });
    const inbound = await startLoopbackServer(toNodeListener(handler));
    try {
      const url = `${inbound.url}/twilio/inbound`;
      const answer = await sim.deliverInbound(url, {
        from: 'whatsapp:+447911123456',
        to: 'whatsapp:+14155238886',
        body: 'Hello',
      });
      expect(answer.status).toBe(200);
      expect(events).toEqual([
        expect.objectContaining({ type: 'inbound-message', channel: 'whatsapp', from: '+447911123456', text: 'Hello' }),
      ]);
      const forged = await sim.deliverInbound(
        url,
        { from: '+447911123456', to: '+14155238886', body: 'x' },
        { authToken: 'forged' },
      );
      expect(forged.status).toBe(403);
      expect(events).toHaveLength(1);
    } finally {
      await inbound.close();
    }
  });
});
