import type { PatchbayError, SendResult } from '@patchbay/core';
import { type ConnectionCheck, defineProviderFactory, type ResolvedCredentials } from '@patchbay/core/adapter';
import {
  adapterInit,
  basicAuthorization,
  type MessagingAdapterInit,
  type MessagingAdapterRuntimeOptions,
  type MessagingErrorContext,
  MessagingProviderAdapter,
  parseAmount,
  passthroughFields,
  type SendContext,
  VendorErrorAnswer,
} from '../shared/messaging-provider-adapter.js';
import { countSmsSegments } from '../sms-segments.js';
import { vonageHttpError, vonageStatusError } from './vonage-error.js';
import {
  type VonageSmsCredentials,
  type VonageSmsProviderSettings,
  type VonageSmsProviderSettingsInput,
  vonageCredentials,
  vonageSmsSettingsSchema,
} from './vonage-settings.js';

interface VonageMessageEntry {
  to?: string;
  'message-id'?: string;
  status?: string;
  'error-text'?: string;
  'remaining-balance'?: string;
  'message-price'?: string;
  network?: string;
}

/**
 * Vonage (Nexmo) SMS API over plain HTTP: one form-encoded POST to /sms/json
 * per send. A long text comes back as one entry per part; the send succeeded
 * only when every part has status '0'.
 */
export class VonageSmsProvider extends MessagingProviderAdapter<VonageSmsProviderSettings, VonageSmsCredentials> {
  constructor(init: MessagingAdapterInit) {
    super({
      id: init.id,
      vendor: 'vonage',
      kind: 'sms',
      schema: vonageSmsSettingsSchema,
      settings: init.settings,
      credentials: vonageCredentials,
      runtime: init.runtime,
      dispatcher: init.dispatcher,
      // client-ref tags a message for delivery receipts; Vonage does not deduplicate on it.
      capabilities: { media: false, templates: false, idempotency: false },
    });
  }

  #base(settings: VonageSmsProviderSettings): string {
    return settings.baseURL.replace(/\/+$/, '');
  }

  protected mapError(error: unknown, context: MessagingErrorContext): PatchbayError {
    return error instanceof VendorErrorAnswer
      ? vonageHttpError(error.response, context)
      : this.toError(error, context.signal);
  }

  protected async doSend(context: SendContext<VonageSmsProviderSettings, VonageSmsCredentials>): Promise<SendResult> {
    const { message, to, settings, credentials, signal } = context;
    const from = message.from ?? credentials.values.from;
    if (!from) throw this.missingSender();
    const body = message.body ?? '';
    const form = new URLSearchParams();
    form.set('api_key', credentials.values.apiKey);
    form.set('api_secret', credentials.values.apiSecret);
    // Vonage wants numbers in international format without the plus sign.
    form.set('from', from.replace(/^\+/, ''));
    form.set('to', to.slice(1));
    form.set('text', body);
    if (countSmsSegments(body).encoding === 'UCS-2') form.set('type', 'unicode');
    const callback = message.statusCallbackUrl ?? settings.statusCallbackUrl;
    if (callback) {
      form.set('callback', callback);
      form.set('status-report-req', '1');
    }
    if (message.idempotencyKey) form.set('client-ref', message.idempotencyKey.slice(0, 100));
    for (const [name, value] of passthroughFields(message.providerOptions?.vonage, ['to', 'api_key', 'api_secret'])) {
      form.set(name, value);
    }
    const response = await this.request({
      method: 'POST',
      url: `${this.#base(settings)}/sms/json`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      signal,
    });
    const entries = this.answer<{ messages?: VonageMessageEntry[] }>(response, 'send').messages;
    if (!Array.isArray(entries) || entries.length === 0) throw this.unreadable(response, true);
    const failed = entries.find((entry) => entry.status !== '0');
    if (failed) {
      // When some parts went out, the recipient already has part of the text: never resend it.
      const partlySent = entries.some((entry) => entry.status === '0');
      throw vonageStatusError(failed, response, {
        provider: this.id,
        vendor: this.vendor,
        outcomeUnknown: partlySent,
      });
    }
    const messageId = entries[0]?.['message-id'];
    if (typeof messageId !== 'string') throw this.unreadable(response, true);
    let amount = 0;
    let priced = false;
    for (const entry of entries) {
      const price = parseAmount(entry['message-price']);
      if (price !== undefined) {
        amount += price;
        priced = true;
      }
    }
    const cost = priced ? { amount: Number(amount.toFixed(8)), currency: settings.priceCurrency } : undefined;
    return this.result(message, to, messageId, 'queued', cost);
  }

  protected async checkConnection(context: {
    settings: VonageSmsProviderSettings;
    credentials: ResolvedCredentials<VonageSmsCredentials>;
    signal: AbortSignal | undefined;
  }): Promise<ConnectionCheck> {
    const { settings, credentials, signal } = context;
    // Basic auth keeps the secret out of the URL (and so out of proxy logs).
    const response = await this.request({
      method: 'GET',
      url: `${this.#base(settings)}/account/get-balance`,
      headers: {
        authorization: basicAuthorization(credentials.values.apiKey, credentials.values.apiSecret),
        accept: 'application/json',
      },
      signal,
    });
    const balance = this.answer<{ value?: number; autoReload?: boolean }>(response, 'check');
    if (typeof balance.value !== 'number') throw this.unreadable(response, false);
    return {
      message: `Connected to Vonage (balance ${balance.value.toFixed(2)} ${settings.priceCurrency})`,
      details: { balance: balance.value, currency: settings.priceCurrency, autoReload: balance.autoReload },
    };
  }
}

export type VonageSmsProviderOptions = VonageSmsProviderSettingsInput & MessagingAdapterRuntimeOptions;

/** Vonage SMS. Credentials resolve per call: explicit, tenant store, then VONAGE_API_KEY / VONAGE_API_SECRET. */
export function createVonageSmsProvider(options: VonageSmsProviderOptions = {}): VonageSmsProvider {
  return new VonageSmsProvider(adapterInit(options, 'vonage-sms'));
}

/** Builds Vonage SMS providers from configuration (`kind: 'sms', vendor: 'vonage'`). */
export const vonageSmsProviderFactory = defineProviderFactory({
  kind: 'sms',
  vendor: 'vonage',
  label: 'Vonage SMS',
  docsUrl: 'https://developer.vonage.com/en/messaging/sms/overview',
  create: ({ id, settings, runtime }) => new VonageSmsProvider({ id, settings, runtime }),
});
