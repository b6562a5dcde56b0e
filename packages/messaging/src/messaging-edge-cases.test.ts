// Edge cases the package README states precisely: a sender-less Africa's Talking send, body limits in UTF-16 code
// units, what counts as "not sent", the Twilio resolver on JSON bodies, the SMS fallback's tenant check, log eviction.
import { createHash } from 'node:crypto';
import { MockMessagingProvider } from '@patchbay/testing';
import {
  type AfricasTalkingSimulator,
  createAfricasTalkingSimulator,
} from '@patchbay/testing/simulators/africas-talking';
import { createMetaSimulator, type MetaSimulator } from '@patchbay/testing/simulators/meta';
import { createTwilioSimulator, type TwilioSimulator } from '@patchbay/testing/simulators/twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAfricasTalkingSmsProvider } from './africas-talking/africas-talking-sms-provider.js';
import { InMemoryDeliveryLog } from './delivery-log/in-memory-delivery-log.js';
import { createDualChannelMessenger } from './dual-channel/dual-channel-messenger.js';
import { InMemoryRecipientPreferences } from './dual-channel/recipient-preferences.js';
import { createMetaWhatsAppProvider } from './meta/meta-whatsapp-provider.js';
import { failure, whatsappFailure } from './test-support.js';
import { createTwilioSmsProvider } from './twilio/twilio-sms-provider.js';
import { computeTwilioSignature, createTwilioWebhookHandler } from './twilio/twilio-webhook.js';
import { createVonageSmsProvider } from './vonage/vonage-sms-provider.js';

const accountSid = 'AC44444444444444444444444444444444';
const authToken = 'readme-wording-token';
let twilio: TwilioSimulator;
let meta: MetaSimulator;
let africasTalking: AfricasTalkingSimulator;

beforeAll(async () => {
  [twilio, meta, africasTalking] = await Promise.all([
    createTwilioSimulator({ accountSid, authToken }).start(),
    createMetaSimulator({ accessToken: 'EAAG-wording', phoneNumberId: '109876543211' }).start(),
    createAfricasTalkingSimulator({ username: 'patchbay', apiKey: 'at-key' }).start(),
  ]);
});
afterAll(() => Promise.all([twilio.close(), meta.close(), africasTalking.close()]));
beforeEach(() => {
  twilio.reset();
  meta.reset();
  africasTalking.reset();
});

describe('"Before any request": senders and body limits', () => {
  it("a provider without a sender fails with not_configured, except Africa's Talking (the account's default sender)", async () => {
    const vonage = createVonageSmsProvider({ apiKey: 'k', apiSecret: 's', env: false });
    expect(await failure(vonage.send({ to: '+447911123456', body: 'hi' }))).toMatchObject({ code: 'not_configured' });
    const twilioSms = createTwilioSmsProvider({ accountSid, authToken, baseURL: twilio.url, env: false });
    expect(await failure(twilioSms.send({ to: '+14155552671', body: 'hi' }))).toMatchObject({
      code: 'not_configured',
    });
    expect(twilio.requests).toHaveLength(0);

    const at = createAfricasTalkingSmsProvider({
      username: 'patchbay',
      apiKey: 'at-key',
      baseURL: africasTalking.url,
      env: false,
    });
    expect(await at.send({ to: '+254711082123', body: 'Habari' })).toMatchObject({ status: 'sent' });
    expect(Object.fromEntries(africasTalking.requests[0]?.form ?? [])).not.toHaveProperty('from');
  });

  it('body limits count UTF-16 code units: an emoji counts 2', async () => {
    const twilioSms = createTwilioSmsProvider({
      accountSid,
      authToken,
      from: '+15005550006',
      baseURL: twilio.url,
      env: false,
    });
    const emoji = '👋'; // one character, two UTF-16 code units
    expect(await failure(twilioSms.send({ to: '+14155552671', body: `${emoji.repeat(800)}a` }))).toMatchObject({
      code: 'invalid_request',
      details: { field: 'body' },
    });
    await twilioSms.send({ to: '+14155552671', body: emoji.repeat(800) });
    expect(twilio.requests).toHaveLength(1);

    const whatsapp = createMetaWhatsAppProvider({
      accessToken: 'EAAG-wording',
      phoneNumberId: '109876543211',
      baseURL: meta.url,
      env: false,
    });
    expect(await failure(whatsapp.send({ to: '+447911123456', body: emoji.repeat(2049) }))).toMatchObject({
      code: 'invalid_request',
    });
    await whatsapp.send({ to: '+447911123456', body: emoji.repeat(2048) });
    expect(meta.requests).toHaveLength(1);
  });
});

describe('"One request per call": with an injected fetch, failures to connect count as not sent', () => {
  function failingFetch(code: string): typeof globalThis.fetch {
    return async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
    };
  }

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])(
    '%s: a plain connection error, outcome known',
    async (code) => {
      const sms = createTwilioSmsProvider({ accountSid, authToken, from: '+15005550006', fetch: failingFetch(code) });
      const error = await failure(sms.send({ to: '+14155552671', body: 'hi' }));
      expect(error.outcomeUnknown).toBe(false);
    },
  );

  it('a reset after connecting: outcome unknown', async () => {
    const sms = createTwilioSmsProvider({
      accountSid,
      authToken,
      from: '+15005550006',
      fetch: failingFetch('ECONNRESET'),
    });
    expect((await failure(sms.send({ to: '+14155552671', body: 'hi' }))).outcomeUnknown).toBe(true);
  });
});

describe('"Per tenant": the Twilio resolver gets accountSid from form and GET parameters only', () => {
  it('is undefined for a JSON (bodySHA256) body', async () => {
    const seen: (string | undefined)[] = [];
    const handler = createTwilioWebhookHandler({
      authToken: ({ accountSid: sid }) => {
        seen.push(sid);
        return authToken;
      },
      onEvent: () => undefined,
    });
    const endpoint = 'https://hooks.example.com/twilio';
    const params = { AccountSid: accountSid, MessageSid: 'SM1', MessageStatus: 'delivered', To: '+14155552671' };
    const form = new URLSearchParams(params).toString();
    const formResponse = await handler(
      new Request(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': computeTwilioSignature(authToken, endpoint, params),
        },
        body: form,
      }),
    );
    const body = JSON.stringify(params);
    const url = `${endpoint}?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
    const jsonResponse = await handler(
      new Request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-twilio-signature': computeTwilioSignature(authToken, url) },
        body,
      }),
    );
    expect([formResponse.status, jsonResponse.status]).toEqual([200, 200]);
    expect(seen).toEqual([accountSid, undefined]);
  });
});

describe('"WhatsApp or SMS" step 5: the tenant check needs a tenant on both sides', () => {
  const recipient = '+250788123456';
  const now = new Date('2026-01-10T12:00:00Z');

  it('a webhook of another tenant is refused; a message sent without a tenant falls back for any tenant', async () => {
    for (const [sentFor, webhookFor, action] of [
      ['acme', 'globex', 'none'],
      ['acme', undefined, 'sms-fallback'],
      [undefined, 'globex', 'sms-fallback'],
    ] as const) {
      const sms = new MockMessagingProvider({ channel: 'sms' });
      const messenger = createDualChannelMessenger({
        whatsapp: new MockMessagingProvider({ channel: 'whatsapp', script: { messageId: 'wamid.T' } }),
        sms,
        preferences: new InMemoryRecipientPreferences({
          [recipient]: { hasWhatsApp: true, whatsappSessionOpenUntil: new Date(now.getTime() + 3_600_000) },
        }),
        now: () => now,
      });
      await messenger.send({ to: recipient, body: 'hi' }, { tenant: sentFor });
      const result = await messenger.handleDeliveryStatus(whatsappFailure('wamid.T', now, { tenant: webhookFor }));
      expect([sentFor, webhookFor, result.action]).toEqual([sentFor, webhookFor, action]);
      expect(sms.calls).toHaveLength(action === 'none' ? 0 : 1);
    }
  });
});

describe('"Delivery log": the in-memory log', () => {
  it('replaces a record appended with an existing id', () => {
    const log = new InMemoryDeliveryLog();
    const entry = { event: 'send-attempt', channel: 'sms', direction: 'outbound', attempt: 1 } as const;
    log.append({ ...entry, id: 'r1', status: 'queued', messageId: 'SM1' });
    log.append({ ...entry, id: 'r1', status: 'failed', messageId: 'SM1' });
    expect(log.size).toBe(1);
    expect(log.list().map((record) => [record.id, record.status])).toEqual([['r1', 'failed']]);
  });
});

describe('"Adapters": six providers on five subpaths', () => {
  it('twilio holds both Twilio providers; meta, vonage, africas-talking and mtn one each', async () => {
    const { readFile } = await import('node:fs/promises');
    const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    const subpaths = Object.keys(manifest.exports).filter(
      (path) => !['.', './package.json', './agent-tools'].includes(path),
    );
    expect(subpaths.sort()).toEqual(['./africas-talking', './meta', './mtn', './twilio', './vonage']);
    const modules: Record<string, object> = {
      './africas-talking': await import('./africas-talking/index.js'),
      './meta': await import('./meta/index.js'),
      './mtn': await import('./mtn/index.js'),
      './twilio': await import('./twilio/index.js'),
      './vonage': await import('./vonage/index.js'),
    };
    const factories = subpaths.flatMap((path) =>
      Object.keys(modules[path] ?? {}).filter((name) => /^create\w+Provider$/.test(name)),
    );
    expect(factories.sort()).toEqual([
      'createAfricasTalkingSmsProvider',
      'createMetaWhatsAppProvider',
      'createMtnSmsProvider',
      'createTwilioSmsProvider',
      'createTwilioWhatsAppProvider',
      'createVonageSmsProvider',
    ]);
  });
});
