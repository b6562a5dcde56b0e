import type { DeliveryStatus, MessagingChannel, SendResult } from '@patchbay/core';
import type { ConnectionCheck, CredentialSpec, ResolvedCredentials } from '@patchbay/core/adapter';
import { PatchbayError } from '@patchbay/core/adapter';
import {
  basicAuthorization,
  type MessagingAdapterInit,
  type MessagingErrorContext,
  MessagingProviderAdapter,
  parseAmount,
  passthroughFields,
  type SendContext,
  VendorErrorAnswer,
} from '../shared/messaging-provider-adapter.js';
import { twilioError } from './twilio-error.js';
import { type TwilioCredentials, type TwilioMessagingSettings, twilioSettingsSchema } from './twilio-settings.js';

/** The Message resource fields we read from Twilio's answer. */
interface TwilioMessageResource {
  sid?: string;
  status?: string;
  price?: string | null;
  price_unit?: string | null;
}

const statusMap: Record<string, DeliveryStatus> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'sent',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
  undelivered: 'undelivered',
};

export interface TwilioProviderInit extends MessagingAdapterInit {
  kind: MessagingChannel;
  credentials: CredentialSpec<TwilioCredentials>;
}

/**
 * Twilio Programmable Messaging over plain HTTP: one form-encoded POST to the
 * Messages resource per send. SMS and WhatsApp differ only in the address
 * prefix (`whatsapp:`) and WhatsApp templates (Content API).
 */
export class TwilioMessagingProvider extends MessagingProviderAdapter<TwilioMessagingSettings, TwilioCredentials> {
  constructor(init: TwilioProviderInit) {
    super({
      id: init.id,
      vendor: 'twilio',
      kind: init.kind,
      schema: twilioSettingsSchema,
      settings: init.settings,
      credentials: init.credentials,
      runtime: init.runtime,
      dispatcher: init.dispatcher,
      capabilities: {
        media: true,
        templates: init.kind === 'whatsapp',
        // Twilio documents I-Twilio-Idempotency-Token on the webhooks it sends, not as a
        // guarantee for creating messages: the key is sent, but deduplication is not promised.
        idempotency: false,
        maxBodyLength: 1600,
      },
    });
  }

  #address(number: string): string {
    if (this.kind !== 'whatsapp') return number;
    return number.startsWith('whatsapp:') ? number : `whatsapp:${number}`;
  }

  #authorization(credentials: ResolvedCredentials<TwilioCredentials>): string {
    const { accountSid, authToken, apiKeySid, apiKeySecret } = credentials.values;
    if (apiKeySid && apiKeySecret) return basicAuthorization(apiKeySid, apiKeySecret);
    if (authToken) return basicAuthorization(accountSid, authToken);
    throw new PatchbayError({
      code: 'not_configured',
      message: `Credentials for provider "${this.id}" are not configured; missing: authToken (or apiKeySid and apiKeySecret)`,
      provider: this.id,
      vendor: this.vendor,
      details: { missing: ['authToken'] },
    });
  }

  #accountUrl(settings: TwilioMessagingSettings, accountSid: string, suffix: string): string {
    return `${settings.baseURL.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}${suffix}`;
  }

  protected mapError(error: unknown, context: MessagingErrorContext): PatchbayError {
    return error instanceof VendorErrorAnswer
      ? twilioError(error.response, context)
      : this.toError(error, context.signal);
  }

  protected async doSend(context: SendContext<TwilioMessagingSettings, TwilioCredentials>): Promise<SendResult> {
    const { message, to, settings, credentials, signal } = context;
    const authorization = this.#authorization(credentials);
    const form = new URLSearchParams();
    form.set('To', this.#address(to));
    const from = message.from ?? credentials.values.from;
    if (from) form.set('From', this.#address(from));
    else if (settings.messagingServiceSid) form.set('MessagingServiceSid', settings.messagingServiceSid);
    else throw this.missingSender(' or "messagingServiceSid"');
    if (message.template) {
      // Twilio sends WhatsApp templates through the Content API: the template name is its Content SID.
      form.set('ContentSid', message.template.name);
      const variables = Object.fromEntries(
        (message.template.parameters ?? []).map((value, index) => [String(index + 1), value]),
      );
      if (Object.keys(variables).length) form.set('ContentVariables', JSON.stringify(variables));
    } else if (message.body) {
      form.set('Body', message.body);
    }
    for (const media of message.media ?? []) form.append('MediaUrl', media.url);
    const statusCallback = message.statusCallbackUrl ?? settings.statusCallbackUrl;
    if (statusCallback) form.set('StatusCallback', statusCallback);
    for (const [name, value] of passthroughFields(message.providerOptions?.twilio, ['To'])) form.set(name, value);
    const headers: Record<string, string> = {
      authorization,
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
    };
    if (message.idempotencyKey) headers['i-twilio-idempotency-token'] = message.idempotencyKey;
    const response = await this.request({
      method: 'POST',
      url: this.#accountUrl(settings, credentials.values.accountSid, '/Messages.json'),
      headers,
      body: form.toString(),
      signal,
    });
    const resource = this.answer<TwilioMessageResource>(response, 'send');
    if (typeof resource.sid !== 'string') throw this.unreadable(response, true);
    const amount = parseAmount(resource.price);
    const cost = amount !== undefined && resource.price_unit ? { amount, currency: resource.price_unit } : undefined;
    return this.result(message, to, resource.sid, statusMap[resource.status ?? ''] ?? 'queued', cost);
  }

  protected async checkConnection(context: {
    settings: TwilioMessagingSettings;
    credentials: ResolvedCredentials<TwilioCredentials>;
    signal: AbortSignal | undefined;
  }): Promise<ConnectionCheck> {
    const { settings, credentials, signal } = context;
    const response = await this.request({
      method: 'GET',
      url: this.#accountUrl(settings, credentials.values.accountSid, '.json'),
      headers: { authorization: this.#authorization(credentials), accept: 'application/json' },
      signal,
    });
    const account = this.answer<{ status?: string; type?: string; friendly_name?: string }>(response, 'check');
    if (account.status && account.status !== 'active') {
      throw new PatchbayError({
        code: 'auth',
        message: `Twilio account is ${account.status}`,
        provider: this.id,
        vendor: this.vendor,
        details: { accountStatus: account.status },
      });
    }
    return {
      message: `Connected to Twilio (${account.type ?? 'account'} ${account.status ?? 'active'})`,
      details: { accountStatus: account.status, accountType: account.type },
    };
  }
}
