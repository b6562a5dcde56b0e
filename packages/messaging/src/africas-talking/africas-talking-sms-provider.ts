import type { DeliveryStatus, SendResult } from '@patchbay/core';
import {
  type ConnectionCheck,
  defineProviderFactory,
  PatchbayError,
  type ResolvedCredentials,
} from '@patchbay/core/adapter';
import {
  adapterInit,
  type MessagingAdapterInit,
  type MessagingAdapterRuntimeOptions,
  type MessagingErrorContext,
  MessagingProviderAdapter,
  parseAmount,
  passthroughFields,
  type SendContext,
  VendorErrorAnswer,
} from '../shared/messaging-provider-adapter.js';
import { africasTalkingHttpError, africasTalkingRecipientError } from './africas-talking-error.js';
import {
  type AfricasTalkingSmsCredentials,
  type AfricasTalkingSmsProviderSettings,
  type AfricasTalkingSmsProviderSettingsInput,
  africasTalkingBaseURL,
  africasTalkingCredentials,
  africasTalkingSmsSettingsSchema,
} from './africas-talking-settings.js';

interface AfricasTalkingRecipient {
  statusCode?: number;
  number?: string;
  status?: string;
  cost?: string;
  messageId?: string;
}

const successStatus: Record<number, DeliveryStatus> = { 100: 'queued', 101: 'sent', 102: 'queued' };

/** "KES 0.8000" → { amount: 0.8, currency: 'KES' }. */
function parseCost(cost: string | undefined): SendResult['cost'] {
  const currency = /^([A-Z]{3})\s/.exec(cost ?? '')?.[1];
  const amount = parseAmount(cost);
  return currency && amount !== undefined ? { amount, currency } : undefined;
}

/**
 * Africa's Talking SMS over plain HTTP: one form-encoded POST to
 * /version1/messaging per send, authenticated with the `apiKey` header.
 * Each recipient gets its own status code in the answer.
 */
export class AfricasTalkingSmsProvider extends MessagingProviderAdapter<
  AfricasTalkingSmsProviderSettings,
  AfricasTalkingSmsCredentials
> {
  constructor(init: MessagingAdapterInit) {
    super({
      id: init.id,
      vendor: 'africas-talking',
      kind: 'sms',
      schema: africasTalkingSmsSettingsSchema,
      settings: init.settings,
      credentials: africasTalkingCredentials,
      runtime: init.runtime,
      dispatcher: init.dispatcher,
      capabilities: { media: false, templates: false, idempotency: false },
    });
  }

  protected mapError(error: unknown, context: MessagingErrorContext): PatchbayError {
    return error instanceof VendorErrorAnswer
      ? africasTalkingHttpError(error.response, context)
      : this.toError(error, context.signal);
  }

  protected async doSend(
    context: SendContext<AfricasTalkingSmsProviderSettings, AfricasTalkingSmsCredentials>,
  ): Promise<SendResult> {
    const { message, to, settings, credentials, signal } = context;
    const { username, apiKey } = credentials.values;
    const form = new URLSearchParams();
    form.set('username', username);
    form.set('to', to);
    form.set('message', message.body ?? '');
    const from = message.from ?? credentials.values.from;
    if (from) form.set('from', from);
    for (const [name, value] of passthroughFields(message.providerOptions?.['africas-talking'], ['to', 'username'])) {
      form.set(name, value);
    }
    const response = await this.request({
      method: 'POST',
      url: `${africasTalkingBaseURL(settings, username)}/version1/messaging`,
      headers: { apikey: apiKey, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      signal,
    });
    const data = this.answer<{ SMSMessageData?: { Message?: string; Recipients?: AfricasTalkingRecipient[] } }>(
      response,
      'send',
    ).SMSMessageData;
    if (!data) throw this.unreadable(response, true);
    const recipient = data.Recipients?.[0];
    if (!recipient) {
      // No recipient entry: the request as a whole was refused (e.g. "InvalidSenderId"), nothing was sent.
      throw new PatchbayError({
        code: 'invalid_request',
        message: `Africa's Talking refused the message: ${data.Message ?? 'no recipient accepted'}`,
        provider: this.id,
        vendor: this.vendor,
        status: response.status,
        vendorCode: data.Message,
      });
    }
    const status = typeof recipient.statusCode === 'number' ? successStatus[recipient.statusCode] : undefined;
    if (!status) throw africasTalkingRecipientError(recipient, response, { provider: this.id, vendor: this.vendor });
    if (typeof recipient.messageId !== 'string') throw this.unreadable(response, true);
    return this.result(message, to, recipient.messageId, status, parseCost(recipient.cost));
  }

  protected async checkConnection(context: {
    settings: AfricasTalkingSmsProviderSettings;
    credentials: ResolvedCredentials<AfricasTalkingSmsCredentials>;
    signal: AbortSignal | undefined;
  }): Promise<ConnectionCheck> {
    const { settings, credentials, signal } = context;
    const { username, apiKey } = credentials.values;
    const response = await this.request({
      method: 'GET',
      url: `${africasTalkingBaseURL(settings, username)}/version1/user?username=${encodeURIComponent(username)}`,
      headers: { apikey: apiKey, accept: 'application/json' },
      signal,
    });
    const user = this.answer<{ UserData?: { balance?: string } }>(response, 'check');
    if (!user.UserData) throw this.unreadable(response, false);
    const balance = user.UserData.balance;
    return {
      message: `Connected to Africa's Talking as ${username}${balance ? ` (balance ${balance})` : ''}`,
      details: { balance, sandbox: settings.sandbox ?? username === 'sandbox' },
    };
  }
}

export type AfricasTalkingSmsProviderOptions = AfricasTalkingSmsProviderSettingsInput & MessagingAdapterRuntimeOptions;

/** Africa's Talking SMS. Credentials resolve per call: explicit, tenant store, then AT_USERNAME / AT_API_KEY. */
export function createAfricasTalkingSmsProvider(
  options: AfricasTalkingSmsProviderOptions = {},
): AfricasTalkingSmsProvider {
  return new AfricasTalkingSmsProvider(adapterInit(options, 'africas-talking-sms'));
}

/** Builds Africa's Talking SMS providers from configuration (`kind: 'sms', vendor: 'africas-talking'`). */
export const africasTalkingSmsProviderFactory = defineProviderFactory({
  kind: 'sms',
  vendor: 'africas-talking',
  label: "Africa's Talking SMS",
  docsUrl: 'https://developers.africastalking.com/docs/sms/overview',
  create: ({ id, settings, runtime }) => new AfricasTalkingSmsProvider({ id, settings, runtime }),
});
