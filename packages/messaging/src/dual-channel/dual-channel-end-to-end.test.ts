import { createMetaSimulator, type MetaSimulator } from '@patchbay/testing/simulators/meta';
import { createTwilioSimulator, type TwilioSimulator } from '@patchbay/testing/simulators/twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InMemoryDeliveryLog } from '../delivery-log/in-memory-delivery-log.js';
import { createMetaWebhookHandler } from '../meta/meta-webhook.js';
import { createMetaWhatsAppProvider } from '../meta/meta-whatsapp-provider.js';
import { type LoopbackServer, startLoopbackServer } from '../test-support.js';
import { createTwilioSmsProvider } from '../twilio/twilio-sms-provider.js';
import { createTwilioWebhookHandler } from '../twilio/twilio-webhook.js';
import { toNodeListener } from '../webhooks/node-http.js';
import { createDualChannelMessenger, type DualChannelMessenger } from './dual-channel-messenger.js';
import { InMemoryRecipientPreferences } from './recipient-preferences.js';

/**
 * The whole path with real adapters and vendor simulators over loopback HTTP: Meta WhatsApp and
 * Twilio SMS adapters send to their simulators, the simulators post vendor-signed status callbacks
 * to our webhook handlers served by node:http, and those drive the messenger.
 */
const twilioAccount = { accountSid: 'AC22222222222222222222222222222222', authToken: 'e2e-twilio-auth-token' };
const metaAccount = {
  accessToken: 'EAAG-e2e-token',
  phoneNumberId: '106540352242922',
  appSecret: 'e2e-meta-app-secret',
};
const recipient = '+250788123456';

let twilio: TwilioSimulator;
let meta: MetaSimulator;
let server: LoopbackServer;
let base: string;
let messenger: DualChannelMessenger;
let deliveryLog: InMemoryDeliveryLog;
let preferences: InMemoryRecipientPreferences;
// The server routes to whichever messenger the current test built.
const listener = (
  event: Parameters<DualChannelMessenger['webhookListener']>[0],
  context: Parameters<DualChannelMessenger['webhookListener']>[1],
) => messenger.webhookListener(event, context);

beforeAll(async () => {
  twilio = await createTwilioSimulator(twilioAccount).start();
  meta = await createMetaSimulator(metaAccount).start();
  const twilioWebhook = toNodeListener(
    createTwilioWebhookHandler({ authToken: twilioAccount.authToken, onEvent: listener }),
  );
  const metaWebhook = toNodeListener(
    createMetaWebhookHandler({ appSecret: metaAccount.appSecret, verifyToken: 'e2e-verify', onEvent: listener }),
  );
  server = await startLoopbackServer((request, response) => {
    if (request.url?.startsWith('/webhooks/twilio')) void twilioWebhook(request, response);
    else if (request.url?.startsWith('/webhooks/meta')) void metaWebhook(request, response);
    else response.writeHead(404).end();
  });
  base = server.url;
  meta.webhookUrl = `${base}/webhooks/meta`;
});

afterAll(async () => {
  await server.close();
  await twilio.close();
  await meta.close();
});

beforeEach(() => {
  twilio.reset();
  meta.reset();
  deliveryLog = new InMemoryDeliveryLog();
  preferences = new InMemoryRecipientPreferences({
    [recipient]: { hasWhatsApp: true, whatsappSessionOpenUntil: new Date(Date.now() + 3_600_000) },
  });
  messenger = createDualChannelMessenger({
    whatsapp: createMetaWhatsAppProvider({ id: 'meta-main', ...metaAccount, baseURL: meta.url, env: false }),
    sms: createTwilioSmsProvider({
      id: 'twilio-main',
      ...twilioAccount,
      from: '+15005550006',
      baseURL: twilio.url,
      statusCallbackUrl: `${base}/webhooks/twilio`,
      env: false,
    }),
    preferences,
    deliveryLog,
  });
});

describe('WhatsApp-or-SMS end to end against the vendor simulators', () => {
  it('WhatsApp succeeds: one WhatsApp message, no SMS, delivered status logged', async () => {
    const result = await messenger.send({ to: recipient, body: 'Your call summary is ready' }, { tenant: 'acme' });
    expect(result).toMatchObject({
      status: 'sent',
      channel: 'whatsapp',
      result: { vendor: 'meta', provider: 'meta-main' },
    });
    expect(meta.messages).toHaveLength(1);
    expect(twilio.messages).toHaveLength(0);
    const messageId = result.status === 'sent' ? result.result.messageId : '';
    expect((await meta.deliverStatus(messageId, 'delivered')).status).toBe(200);
    expect(
      deliveryLog.findByMessageId(messageId).map((record) => [record.event, record.status, record.tenant]),
    ).toEqual([
      ['send-attempt', 'queued', 'acme'],
      ['status-update', 'delivered', 'acme'],
    ]);
  });

  it('a WhatsApp send error falls back to Twilio SMS at once', async () => {
    meta.failNextSend(131026);
    const result = await messenger.send({ to: recipient, body: 'Your call summary is ready' });
    expect(result).toMatchObject({
      status: 'sent',
      channel: 'sms',
      attempts: [
        { channel: 'whatsapp', ok: false },
        { channel: 'sms', ok: true },
      ],
    });
    expect(twilio.messages).toEqual([expect.objectContaining({ to: recipient, body: 'Your call summary is ready' })]);
  });

  it('a signed 131047 failure webhook, delivered twice, re-sends by SMS exactly once; the SMS status comes back signed by Twilio', async () => {
    const result = await messenger.send(
      { to: recipient, body: 'Your call summary is ready' },
      { correlationId: 'call-42' },
    );
    const wamid = result.status === 'sent' ? result.result.messageId : '';
    expect(result).toMatchObject({ channel: 'whatsapp' });

    expect((await meta.deliverStatus(wamid, 'failed', { errorCode: 131047 })).status).toBe(200);
    expect((await meta.deliverStatus(wamid, 'failed', { errorCode: 131047 })).status).toBe(200);
    expect(twilio.messages).toHaveLength(1);
    const sms = twilio.messages[0];
    expect(sms).toMatchObject({
      to: recipient,
      body: 'Your call summary is ready',
      statusCallback: `${base}/webhooks/twilio`,
    });

    // A forged Twilio callback is refused and changes nothing.
    expect((await twilio.deliverStatus(sms?.sid ?? '', 'delivered', { authToken: 'not-the-token' })).status).toBe(403);
    const callback = await twilio.deliverStatus(sms?.sid ?? '', 'delivered');
    expect(callback.status).toBe(200);
    expect(callback.body).toContain('<Response/>');

    const smsRecords = deliveryLog.findByMessageId(sms?.sid ?? '');
    expect(smsRecords.map((record) => [record.event, record.status, record.fallbackOf, record.correlationId])).toEqual([
      ['send-attempt', 'queued', wamid, 'call-42'],
      ['status-update', 'delivered', wamid, 'call-42'],
    ]);
    expect(deliveryLog.findByMessageId(wamid).map((record) => [record.status, record.errorCode])).toEqual([
      ['queued', undefined],
      // Delivered twice, recorded once.
      ['failed', '131047'],
    ]);
  });

  it('an opted-out recipient gets nothing on either vendor', async () => {
    preferences.update(recipient, { optedOut: true });
    expect(await messenger.send({ to: recipient, body: 'promo' })).toMatchObject({
      status: 'skipped',
      reason: 'opted_out',
    });
    expect(meta.requests).toHaveLength(0);
    expect(twilio.requests).toHaveLength(0);
  });
});
