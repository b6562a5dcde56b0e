import { createPatchbay, PatchbayError } from '@patchbay/core';
import { MockMessagingProvider, mockFactories } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { InMemoryDeliveryLog } from '../delivery-log/in-memory-delivery-log.js';
import { whatsappFailure } from '../test-support.js';
import {
  metaFailedStatusBody,
  metaWebhookRequest,
  sessionOpenAt,
  signedMetaWebhook,
} from './dual-channel.test-support.js';
import { createDualChannelMessenger, type DualChannelMessengerOptions } from './dual-channel-messenger.js';
import { InMemoryRecipientPreferences, type RecipientPreferences } from './recipient-preferences.js';

const recipient = '+250788123456';
const now = new Date('2026-01-10T12:00:00Z');
const sessionOpen: RecipientPreferences = sessionOpenAt(now);

function setup(
  preferences: RecipientPreferences | undefined,
  options: {
    whatsapp?: ConstructorParameters<typeof MockMessagingProvider>[0];
    sms?: ConstructorParameters<typeof MockMessagingProvider>[0];
    messenger?: Partial<DualChannelMessengerOptions>;
  } = {},
) {
  const whatsapp = new MockMessagingProvider({
    channel: 'whatsapp',
    id: 'wa-main',
    script: { messageId: 'wamid.1' },
    ...options.whatsapp,
  });
  const sms = new MockMessagingProvider({
    channel: 'sms',
    id: 'sms-main',
    script: { messageId: 'SM1' },
    ...options.sms,
  });
  const lookup = new InMemoryRecipientPreferences();
  if (preferences) lookup.set(recipient, preferences);
  const deliveryLog = new InMemoryDeliveryLog();
  const messenger = createDualChannelMessenger({
    whatsapp,
    sms,
    preferences: lookup,
    deliveryLog,
    now: () => now,
    ...options.messenger,
  });
  return { whatsapp, sms, lookup, deliveryLog, messenger };
}

describe('DualChannelMessenger.send', () => {
  it('sends by WhatsApp when the recipient has it and the session is open', async () => {
    const { whatsapp, sms, deliveryLog, messenger } = setup(sessionOpen);
    const result = await messenger.send(
      { to: '0788 123 456', body: 'Your order is ready', defaultCountry: 'RW' },
      { tenant: 'acme', correlationId: 'c1' },
    );
    expect(result).toMatchObject({
      status: 'sent',
      channel: 'whatsapp',
      to: recipient,
      result: { messageId: 'wamid.1', channel: 'whatsapp' },
    });
    expect(whatsapp.sent).toEqual([expect.objectContaining({ to: recipient, body: 'Your order is ready' })]);
    expect(whatsapp.calls[0]).toMatchObject({ tenant: 'acme', correlationId: 'c1' });
    expect(sms.calls).toHaveLength(0);
    expect(deliveryLog.list()).toEqual([
      expect.objectContaining({
        event: 'send-attempt',
        channel: 'whatsapp',
        status: 'queued',
        messageId: 'wamid.1',
        tenant: 'acme',
        provider: 'wa-main',
        attempt: 1,
      }),
    ]);
  });

  it('sends a template by WhatsApp outside the 24-hour window, free text by SMS', async () => {
    const closed = { hasWhatsApp: true, whatsappSessionOpenUntil: new Date(now.getTime() - 1) };
    const template = { name: 'order_ready', language: 'en_US', parameters: ['42'] };
    const first = setup(closed);
    expect(await first.messenger.send({ to: recipient, body: 'Order 42 is ready', template })).toMatchObject({
      channel: 'whatsapp',
    });
    const second = setup(closed);
    const result = await second.messenger.send({ to: recipient, body: 'Order 42 is ready' });
    expect(result).toMatchObject({ status: 'sent', channel: 'sms', reason: 'whatsapp_session_closed' });
    expect(second.whatsapp.calls).toHaveLength(0);
    expect(second.sms.sent[0]).not.toHaveProperty('template');
  });

  it('sends by SMS when the recipient has no WhatsApp, prefers SMS, or refuses WhatsApp', async () => {
    expect(await setup(undefined).messenger.send({ to: recipient, body: 'hi' })).toMatchObject({
      channel: 'sms',
      reason: 'no_whatsapp',
    });
    expect(
      await setup({ ...sessionOpen, preferredChannel: 'sms' }).messenger.send({ to: recipient, body: 'hi' }),
    ).toMatchObject({
      channel: 'sms',
      reason: 'sms_preferred',
    });
    expect(
      await setup({ ...sessionOpen, allowsWhatsApp: false }).messenger.send({ to: recipient, body: 'hi' }),
    ).toMatchObject({
      channel: 'sms',
      reason: 'whatsapp_not_allowed',
    });
  });

  it('falls back to SMS when the WhatsApp send fails', async () => {
    const { whatsapp, sms, deliveryLog, messenger } = setup(sessionOpen, {
      whatsapp: { script: { error: 'unavailable', status: 503 } },
    });
    const result = await messenger.send({ to: recipient, body: 'hi', idempotencyKey: 'k1' });
    expect(result).toMatchObject({
      status: 'sent',
      channel: 'sms',
      attempts: [
        { channel: 'whatsapp', provider: 'wa-main', ok: false, errorCode: 'unavailable' },
        { channel: 'sms', provider: 'sms-main', ok: true, messageId: 'SM1' },
      ],
    });
    expect(whatsapp.calls).toHaveLength(1);
    // A distinct idempotency key: the SMS is a different message from the failed WhatsApp one.
    expect(sms.sent).toEqual([expect.objectContaining({ body: 'hi', idempotencyKey: 'k1:sms' })]);
    expect(deliveryLog.list().map((record) => [record.channel, record.status, record.attempt, record.reason])).toEqual([
      ['whatsapp', 'failed', 1, undefined],
      ['sms', 'queued', 2, 'whatsapp_failed'],
    ]);
  });

  it('keeps the caller idempotency key on the first channel and gives a fallback its own', async () => {
    const smsFirst = setup({ ...sessionOpen, preferredChannel: 'sms' }, { sms: { script: { error: 'unavailable' } } });
    await smsFirst.messenger.send({ to: recipient, body: 'hi', idempotencyKey: 'k2' });
    expect(smsFirst.sms.calls[0]?.request.idempotencyKey).toBe('k2');
    expect(smsFirst.whatsapp.sent).toEqual([expect.objectContaining({ idempotencyKey: 'k2:whatsapp' })]);
    const smsOnly = setup(undefined);
    await smsOnly.messenger.send({ to: recipient, body: 'hi', idempotencyKey: 'k3' });
    expect(smsOnly.sms.sent[0]?.idempotencyKey).toBe('k3');
  });

  it('does not re-send after a WhatsApp error whose outcome is unknown, unless asked', async () => {
    const unknown = { whatsapp: { script: { error: 'timeout' as const, outcomeUnknown: true } } };
    const first = setup(sessionOpen, unknown);
    const error = await first.messenger.send({ to: recipient, body: 'hi' }).catch((caught: unknown) => caught);
    expect(PatchbayError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'timeout',
      outcomeUnknown: true,
      details: { attempts: [expect.objectContaining({ channel: 'whatsapp', outcomeUnknown: true })] },
    });
    expect(first.sms.calls).toHaveLength(0);

    const second = setup(sessionOpen, unknown);
    expect(await second.messenger.send({ to: recipient, body: 'hi' }, { repeatUnknownOutcome: true })).toMatchObject({
      channel: 'sms',
    });
    expect(second.sms.sent).toHaveLength(1);
  });

  it('throws the last error with every attempt when both channels fail', async () => {
    const { messenger } = setup(sessionOpen, {
      whatsapp: { script: { error: 'unavailable' } },
      sms: { script: { error: 'auth', status: 401 } },
    });
    await expect(messenger.send({ to: recipient, body: 'hi' })).rejects.toMatchObject({
      code: 'auth',
      provider: 'sms-main',
      details: {
        attempts: [
          expect.objectContaining({ channel: 'whatsapp' }),
          expect.objectContaining({ channel: 'sms', errorCode: 'auth' }),
        ],
      },
    });
  });

  it('stops without fallback when the caller aborts', async () => {
    const controller = new AbortController();
    const { sms, messenger } = setup(sessionOpen, { whatsapp: { script: { hang: true } } });
    const sending = messenger.send({ to: recipient, body: 'hi' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await expect(sending).rejects.toMatchObject({ code: 'aborted' });
    expect(sms.calls).toHaveLength(0);
  });

  it('sends nothing to an opted-out recipient and says so', async () => {
    const { whatsapp, sms, deliveryLog, messenger } = setup({ ...sessionOpen, optedOut: true });
    const result = await messenger.send({ to: recipient, body: 'promo' }, { tenant: 'acme' });
    expect(result).toEqual({ status: 'skipped', reason: 'opted_out', to: recipient, attempts: [] });
    expect(whatsapp.calls).toHaveLength(0);
    expect(sms.calls).toHaveLength(0);
    expect(deliveryLog.list()).toEqual([
      expect.objectContaining({ event: 'skipped', status: 'skipped', reason: 'opted_out', tenant: 'acme' }),
    ]);
  });

  it('skips when no channel may carry the message', async () => {
    const { sms, messenger } = setup({ allowsSms: false });
    expect(await messenger.send({ to: recipient, body: 'hi' })).toMatchObject({
      status: 'skipped',
      reason: 'no_eligible_channel',
    });
    expect(sms.calls).toHaveLength(0);
    // A template-only message has no text for SMS.
    const templateOnly = setup({ hasWhatsApp: false });
    expect(await templateOnly.messenger.send({ to: recipient, template: { name: 't', language: 'en' } })).toMatchObject(
      {
        status: 'skipped',
        reason: 'no_eligible_channel',
      },
    );
  });

  it('rejects an invalid number before calling anyone', async () => {
    const { whatsapp, sms, messenger } = setup(sessionOpen);
    await expect(messenger.send({ to: '12', body: 'hi' })).rejects.toMatchObject({
      code: 'invalid_request',
      details: { field: 'to' },
    });
    expect(whatsapp.calls.length + sms.calls.length).toBe(0);
  });

  it('applies per-channel overrides', async () => {
    const { whatsapp, sms, messenger } = setup(sessionOpen, { whatsapp: { script: { error: 'rate_limited' } } });
    await messenger.send({
      to: recipient,
      body: 'Long WhatsApp text with *formatting*',
      sms: { body: 'Short SMS text', from: 'EasyMO' },
      whatsapp: { from: '+15550783881' },
    });
    expect(whatsapp.calls[0]?.request).toMatchObject({
      body: 'Long WhatsApp text with *formatting*',
      from: '+15550783881',
    });
    expect(sms.sent[0]).toMatchObject({ body: 'Short SMS text', from: 'EasyMO' });
    expect(sms.sent[0]).not.toHaveProperty('sms');
  });
});

describe('DualChannelMessenger.handleDeliveryStatus', () => {
  it('re-sends a failed WhatsApp message by SMS exactly once, however often the webhook arrives', async () => {
    const { sms, deliveryLog, messenger } = setup(sessionOpen);
    await messenger.send({ to: recipient, body: 'Your order is ready' }, { tenant: 'acme', correlationId: 'c9' });
    const first = await messenger.handleDeliveryStatus(whatsappFailure('wamid.1', now));
    expect(first).toMatchObject({
      action: 'sms-fallback',
      fallbackOf: 'wamid.1',
      result: { channel: 'sms', messageId: 'SM1' },
    });
    const again = await Promise.all([
      messenger.handleDeliveryStatus(whatsappFailure('wamid.1', now)),
      messenger.handleDeliveryStatus(whatsappFailure('wamid.1', now)),
    ]);
    expect(again).toEqual([
      { action: 'none', reason: 'already_handled' },
      { action: 'none', reason: 'already_handled' },
    ]);
    expect(sms.sent).toEqual([expect.objectContaining({ to: recipient, body: 'Your order is ready' })]);
    expect(sms.calls[0]).toMatchObject({ tenant: 'acme', correlationId: 'c9' });
    const fallback = deliveryLog.list({ channel: 'sms', event: 'send-attempt' });
    expect(fallback).toEqual([
      expect.objectContaining({
        fallbackOf: 'wamid.1',
        attempt: 2,
        reason: 'whatsapp_failed_131047',
        correlationId: 'c9',
      }),
    ]);
    // Three deliveries of one status: one record.
    expect(deliveryLog.list({ event: 'status-update' })).toHaveLength(1);
  });

  it('ignores successes, SMS failures and messages it did not send', async () => {
    const { sms, messenger } = setup(sessionOpen);
    await messenger.send({ to: recipient, body: 'hi' });
    expect(
      await messenger.handleDeliveryStatus(
        whatsappFailure('wamid.1', now, { status: 'delivered', errorCode: undefined }),
      ),
    ).toEqual({
      action: 'none',
      reason: 'not_whatsapp_failure',
    });
    expect(await messenger.handleDeliveryStatus(whatsappFailure('SM9', now, { channel: 'sms' }))).toMatchObject({
      action: 'none',
    });
    expect(await messenger.handleDeliveryStatus(whatsappFailure('wamid.other', now))).toEqual({
      action: 'none',
      reason: 'unknown_message',
    });
    expect(sms.calls).toHaveLength(0);
  });

  it('respects a later opt-out, a disabled fallback, a template-only message and a tenant mismatch', async () => {
    const optOut = setup(sessionOpen);
    await optOut.messenger.send({ to: recipient, body: 'hi' });
    optOut.lookup.update(recipient, { optedOut: true });
    expect(await optOut.messenger.handleDeliveryStatus(whatsappFailure('wamid.1', now))).toEqual({
      action: 'none',
      reason: 'opted_out',
    });
    // The message stays handled: opting in again later does not make a redelivered webhook send the old message.
    optOut.lookup.update(recipient, { optedOut: false });
    expect(await optOut.messenger.handleDeliveryStatus(whatsappFailure('wamid.1', now))).toEqual({
      action: 'none',
      reason: 'already_handled',
    });
    expect(optOut.sms.calls).toHaveLength(0);

    const disabled = setup(sessionOpen, { messenger: { smsFallbackOnAsyncFailure: false } });
    await disabled.messenger.send({ to: recipient, body: 'hi' });
    expect(await disabled.messenger.handleDeliveryStatus(whatsappFailure('wamid.1', now))).toEqual({
      action: 'none',
      reason: 'fallback_disabled',
    });

    const template = setup(sessionOpen);
    await template.messenger.send({ to: recipient, template: { name: 't', language: 'en' } });
    expect(await template.messenger.handleDeliveryStatus(whatsappFailure('wamid.1', now))).toEqual({
      action: 'none',
      reason: 'no_sms_body',
    });

    const tenants = setup(sessionOpen);
    await tenants.messenger.send({ to: recipient, body: 'hi' }, { tenant: 'acme' });
    expect(await tenants.messenger.handleDeliveryStatus(whatsappFailure('wamid.1', now, { tenant: 'globex' }))).toEqual(
      {
        action: 'none',
        reason: 'tenant_mismatch',
      },
    );
    for (const run of [optOut, disabled, template, tenants]) expect(run.sms.calls).toHaveLength(0);
  });

  it('lets a redelivered webhook retry after a fallback that definitely failed', async () => {
    const { sms, messenger } = setup(sessionOpen, {
      sms: { script: [{ error: 'unavailable' }, { messageId: 'SM2' }] },
    });
    await messenger.send({ to: recipient, body: 'hi' });
    expect(await messenger.handleDeliveryStatus(whatsappFailure('wamid.1', now))).toMatchObject({
      action: 'sms-fallback-failed',
      error: { code: 'unavailable' },
    });
    expect(await messenger.handleDeliveryStatus(whatsappFailure('wamid.1', now))).toMatchObject({
      action: 'sms-fallback',
      result: { messageId: 'SM2' },
    });
    expect(await messenger.handleDeliveryStatus(whatsappFailure('wamid.1', now))).toEqual({
      action: 'none',
      reason: 'already_handled',
    });
    expect(sms.sent).toHaveLength(1);
  });

  it('keeps the claim after a fallback whose outcome is unknown', async () => {
    const { sms, messenger } = setup(sessionOpen, {
      sms: { script: [{ error: 'timeout', outcomeUnknown: true }, { messageId: 'SM2' }] },
    });
    await messenger.send({ to: recipient, body: 'hi' });
    expect(await messenger.handleDeliveryStatus(whatsappFailure('wamid.1', now))).toMatchObject({
      action: 'sms-fallback-failed',
    });
    expect(await messenger.handleDeliveryStatus(whatsappFailure('wamid.1', now))).toEqual({
      action: 'none',
      reason: 'already_handled',
    });
    expect(sms.calls).toHaveLength(1);
  });
});

describe('DualChannelMessenger end to end through the Meta webhook handler', () => {
  it('a signed 131047 webhook, delivered twice, produces exactly one SMS', async () => {
    const { sms, deliveryLog, messenger } = setup(sessionOpen, { whatsapp: { script: { messageId: 'wamid.HBgM' } } });
    const body = metaFailedStatusBody('wamid.HBgM', now);
    const { handler, deliver } = signedMetaWebhook(messenger.webhookListener, body);
    const sent = await messenger.send({ to: recipient, body: 'Your ride is here' });
    expect(sent).toMatchObject({ channel: 'whatsapp' });
    expect((await deliver()).status).toBe(200);
    expect((await deliver()).status).toBe(200);
    expect(sms.sent).toEqual([expect.objectContaining({ to: recipient, body: 'Your ride is here' })]);
    expect(deliveryLog.findByMessageId('wamid.HBgM').map((record) => [record.event, record.status])).toEqual([
      ['send-attempt', 'queued'],
      ['status-update', 'failed'],
    ]);
    // A forged copy is refused before it reaches the messenger.
    const forged = await handler(metaWebhookRequest(body, 'sha256=00'));
    expect(forged.status).toBe(403);
    expect(deliveryLog.findByMessageId('wamid.HBgM')).toHaveLength(2);
  });

  it('an inbound WhatsApp message opens the 24-hour window for free-text WhatsApp', async () => {
    const { whatsapp, deliveryLog, messenger } = setup({ hasWhatsApp: false });
    expect(await messenger.send({ to: recipient, body: 'before' })).toMatchObject({ channel: 'sms' });
    await messenger.handleWebhookEvent({
      type: 'inbound-message',
      channel: 'whatsapp',
      vendor: 'meta',
      from: recipient,
      to: '+15550783881',
      text: 'hello',
      media: [],
      messageId: 'wamid.in',
      receivedAt: new Date(now.getTime() - 60_000),
    });
    expect(await messenger.send({ to: recipient, body: 'after' })).toMatchObject({ channel: 'whatsapp' });
    expect(whatsapp.sent).toHaveLength(1);
    // Inbound from a short code or an unreadable sender is logged, never a reason to fail the webhook.
    for (const from of ['55555', '+12']) {
      await messenger.handleWebhookEvent({
        type: 'inbound-message',
        channel: 'whatsapp',
        vendor: 'twilio',
        from,
        to: '+15550783881',
        text: 'x',
        media: [],
        messageId: `in-${from}`,
        receivedAt: now,
      });
    }
    expect(deliveryLog.list({ direction: 'inbound' })).toHaveLength(3);
  });
});

describe('DualChannelMessenger over routed providers', () => {
  it('works with patchbay.whatsapp and patchbay.sms, failing over inside each route', async () => {
    const patchbay = createPatchbay({
      config: {
        providers: {
          'wa-primary': { kind: 'whatsapp', vendor: 'mock', settings: { script: { error: 'auth', status: 401 } } },
          'sms-primary': { kind: 'sms', vendor: 'mock', settings: { script: { messageId: 'SM-routed' } } },
        },
        routes: { whatsapp: { providers: ['wa-primary'] }, sms: { providers: ['sms-primary'] } },
      },
      factories: mockFactories,
      env: false,
    });
    try {
      const lookup = new InMemoryRecipientPreferences({ [recipient]: sessionOpen });
      const messenger = createDualChannelMessenger({
        whatsapp: patchbay.whatsapp,
        sms: patchbay.sms,
        preferences: lookup,
        now: () => now,
      });
      const result = await messenger.send({ to: recipient, body: 'hi' }, { tenant: 'acme' });
      expect(result).toMatchObject({
        status: 'sent',
        channel: 'sms',
        result: { messageId: 'SM-routed', provider: 'sms-primary', vendor: 'mock' },
        attempts: [
          { channel: 'whatsapp', ok: false, errorCode: 'auth' },
          { channel: 'sms', ok: true },
        ],
      });
    } finally {
      patchbay.close();
    }
  });
});

describe('InMemoryRecipientPreferences', () => {
  it('normalises numbers and scopes entries by tenant, with shared entries as the default', () => {
    const lookup = new InMemoryRecipientPreferences({ '+250 788 123 456': { hasWhatsApp: true } });
    lookup.set(recipient, { optedOut: true }, { tenant: 'acme' });
    expect(lookup.get(recipient, { tenant: 'acme' })).toEqual({ optedOut: true });
    expect(lookup.get(recipient, { tenant: 'globex' })).toEqual({ hasWhatsApp: true });
    expect(lookup.get(recipient, {})).toEqual({ hasWhatsApp: true });
    lookup.recordInbound(recipient, { channel: 'whatsapp', at: now, tenant: 'acme' });
    expect(lookup.get(recipient, { tenant: 'acme' })).toMatchObject({
      optedOut: true,
      hasWhatsApp: true,
      whatsappSessionOpenUntil: new Date(now.getTime() + 24 * 3_600_000),
    });
    lookup.delete(recipient, { tenant: 'acme' });
    expect(lookup.get(recipient, { tenant: 'acme' })).toEqual({ hasWhatsApp: true });
  });
});
