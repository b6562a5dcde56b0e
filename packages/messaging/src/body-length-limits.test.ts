// README (packages/messaging/README.md, "Before any request"): a body over the vendor's limit (Twilio 1600,
// Meta 4096 characters) fails with `invalid_request` naming the field, and nothing is sent.
import { createMetaSimulator, type MetaSimulator } from '@patchbay/testing/simulators/meta';
import { createTwilioSimulator, type TwilioSimulator } from '@patchbay/testing/simulators/twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMetaWhatsAppProvider } from './meta/meta-whatsapp-provider.js';
import { failure } from './test-support.js';
import { createTwilioSmsProvider } from './twilio/twilio-sms-provider.js';
import { createTwilioWhatsAppProvider } from './twilio/twilio-whatsapp-provider.js';

const accountSid = 'AC33333333333333333333333333333333';
const authToken = 'twilio-body-limit-token';
const accessToken = 'EAAG-body-limit-token';
const phoneNumberId = '109876543288';
let twilio: TwilioSimulator;
let meta: MetaSimulator;

beforeAll(async () => {
  [twilio, meta] = await Promise.all([
    createTwilioSimulator({ accountSid, authToken }).start(),
    createMetaSimulator({ accessToken, phoneNumberId }).start(),
  ]);
});
afterAll(() => Promise.all([twilio.close(), meta.close()]));
beforeEach(() => {
  twilio.reset();
  meta.reset();
});

describe('vendor body limits are enforced before any request', () => {
  it('Twilio SMS and WhatsApp: 1600 characters go out, 1601 are refused naming body', async () => {
    const twilioOptions = { accountSid, authToken, baseURL: twilio.url, env: false } as const;
    const providers = [
      createTwilioSmsProvider({ id: 'twilio-sms', from: '+15005550006', ...twilioOptions }),
      createTwilioWhatsAppProvider({ id: 'twilio-wa', from: '+15005550006', ...twilioOptions }),
    ];
    for (const provider of providers) {
      twilio.reset();
      const error = await failure(provider.send({ to: '+14155552671', body: 'a'.repeat(1601) }));
      expect(error).toMatchObject({ code: 'invalid_request', provider: provider.id, details: { field: 'body' } });
      expect(error.message).toContain('1600');
      expect(twilio.requests).toHaveLength(0);
      await provider.send({ to: '+14155552671', body: 'a'.repeat(1600) });
      expect(twilio.requests).toHaveLength(1);
    }
  });

  it('Meta WhatsApp: 4096 characters go out, 4097 are refused naming body', async () => {
    const whatsapp = createMetaWhatsAppProvider({
      id: 'meta-wa',
      accessToken,
      phoneNumberId,
      baseURL: meta.url,
      env: false,
    });
    const error = await failure(whatsapp.send({ to: '+447911123456', body: 'é'.repeat(4097) }));
    expect(error).toMatchObject({ code: 'invalid_request', provider: 'meta-wa', details: { field: 'body' } });
    expect(error.message).toContain('4096');
    expect(meta.requests).toHaveLength(0);
    await whatsapp.send({ to: '+447911123456', body: 'é'.repeat(4096) });
    expect(meta.requests).toHaveLength(1);
  });
});
