import { randomUUID } from 'node:crypto';
import type { SendResult } from '@patchbay/core';
import {
  type ConnectionCheck,
  defineProviderFactory,
  PatchbayError,
  type ResolvedCredentials,
  type VendorHttpResponse,
} from '@patchbay/core/adapter';
import {
  adapterInit,
  type MessagingAdapterInit,
  type MessagingAdapterRuntimeOptions,
  type MessagingErrorContext,
  MessagingProviderAdapter,
  type SendContext,
  VendorErrorAnswer,
} from '../shared/messaging-provider-adapter.js';
import {
  type MtnSmsCredentials,
  type MtnSmsProviderSettings,
  type MtnSmsProviderSettingsInput,
  mtnCredentials,
  mtnSmsSettingsSchema,
} from './mtn-settings.js';
import {
  buildMtnSendRequest,
  buildMtnTokenRequest,
  type MtnToken,
  MtnTokenCache,
  mapMtnError,
  parseMtnSendResponse,
  parseMtnTokenResponse,
  tokenRefusedError,
} from './mtn-wire.js';

/**
 * MTN SMS (developer API v3) over plain HTTP: an OAuth2 client-credentials token from the API key and
 * secret (cached until a minute before it expires), then one JSON POST per message from the sender id.
 * The vendor logic is in `mtn-wire.ts`; this class only wires it into the messaging skeleton.
 */
export class MtnSmsProvider extends MessagingProviderAdapter<MtnSmsProviderSettings, MtnSmsCredentials> {
  readonly #tokens: MtnTokenCache;

  constructor(init: MessagingAdapterInit & { tokenCache?: MtnTokenCache | undefined }) {
    super({
      id: init.id,
      vendor: 'mtn',
      kind: 'sms',
      schema: mtnSmsSettingsSchema,
      settings: init.settings,
      credentials: mtnCredentials,
      runtime: init.runtime,
      dispatcher: init.dispatcher,
      // MTN's limit is one 160-character message per request in some markets; longer text is split by the network in others.
      capabilities: { media: false, templates: false, idempotency: false, maxBodyLength: 1600 },
    });
    // Per provider (tokens per tenant's key and secret inside it): providers are long-lived, and a
    // provider built for other credentials never sees this one's tokens.
    this.#tokens = init.tokenCache ?? new MtnTokenCache();
  }

  protected mapError(error: unknown, context: MessagingErrorContext): PatchbayError {
    return error instanceof VendorErrorAnswer
      ? mapMtnError(error.response, context)
      : this.toError(error, context.signal);
  }

  async #token(
    settings: MtnSmsProviderSettings,
    credentials: ResolvedCredentials<MtnSmsCredentials>,
    signal: AbortSignal | undefined,
  ) {
    const { apiKey, apiSecret } = credentials.values;
    const key = MtnTokenCache.keyOf(settings.baseURL, apiKey, apiSecret);
    const token = await this.#tokens.get(key, Date.now(), async (): Promise<MtnToken> => {
      let response: VendorHttpResponse;
      try {
        response = await this.request(buildMtnTokenRequest(settings.baseURL, apiKey, apiSecret, signal));
      } catch (caught) {
        // Only a token was asked for: whatever happened, no message went out.
        const error = this.toError(caught, signal);
        throw error.outcomeUnknown ? new PatchbayError({ ...error.toOptions(), outcomeUnknown: false }) : error;
      }
      if (response.status !== 200) throw tokenRefusedError(response, { provider: this.id, vendor: this.vendor });
      const parsed = parseMtnTokenResponse(response.text, Date.now());
      if (parsed === undefined) {
        throw new PatchbayError({
          code: 'unknown',
          message: `MTN answered the token request with HTTP ${response.status} and no access token`,
          provider: this.id,
          vendor: this.vendor,
          status: response.status,
        });
      }
      return parsed;
    });
    return { key, token };
  }

  protected async doSend(context: SendContext<MtnSmsProviderSettings, MtnSmsCredentials>): Promise<SendResult> {
    const { message, to, settings, credentials, signal } = context;
    const senderId = message.from ?? credentials.values.senderId;
    if (!senderId) throw this.missingSender(' (senderId, or MTN_SMS_SENDER_ID)');
    const providerOptions = message.providerOptions?.mtn as { clientCorrelatorId?: unknown } | undefined;
    const clientCorrelatorId =
      typeof providerOptions?.clientCorrelatorId === 'string' ? providerOptions.clientCorrelatorId : randomUUID();
    const post = (accessToken: string) =>
      this.request(
        buildMtnSendRequest({
          baseURL: settings.baseURL,
          accessToken,
          to,
          senderId,
          message: message.body ?? '',
          clientCorrelatorId,
          serviceCode: settings.serviceCode,
          requestDeliveryReceipt: settings.requestDeliveryReceipt,
          signal,
        }),
      );
    const first = await this.#token(settings, credentials, signal);
    let response = await post(first.token.accessToken);
    if (response.status === 401) {
      // MTN refused the token (revoked or expired early), so nothing was sent: one retry with a new token is safe.
      this.#tokens.invalidate(first.key, first.token.accessToken);
      const fresh = await this.#token(settings, credentials, signal);
      if (fresh.token.accessToken !== first.token.accessToken) {
        response = await post(fresh.token.accessToken);
        if (response.status === 401) this.#tokens.invalidate(fresh.key, fresh.token.accessToken);
      }
    }
    if (response.status < 200 || response.status >= 300) throw new VendorErrorAnswer(response);
    const answer = parseMtnSendResponse(response.text, clientCorrelatorId, {
      provider: this.id,
      vendor: this.vendor,
      status: response.status,
    });
    if (answer === undefined) throw this.unreadable(response, true);
    if (answer instanceof PatchbayError) throw answer;
    return this.result(message, to, answer.messageId, answer.status);
  }

  protected async checkConnection(context: {
    settings: MtnSmsProviderSettings;
    credentials: ResolvedCredentials<MtnSmsCredentials>;
    signal: AbortSignal | undefined;
  }): Promise<ConnectionCheck> {
    const { settings, credentials, signal } = context;
    // A fresh token proves the key and secret without sending anything.
    const response = await this.request(
      buildMtnTokenRequest(settings.baseURL, credentials.values.apiKey, credentials.values.apiSecret, signal),
    );
    if (response.status !== 200) throw tokenRefusedError(response, { provider: this.id, vendor: this.vendor });
    if (parseMtnTokenResponse(response.text, Date.now()) === undefined) throw this.unreadable(response, false);
    return {
      // No part of the key in a status line: status reports reach dashboards and logs.
      message: credentials.values.senderId
        ? `Connected to MTN as sender ${credentials.values.senderId}`
        : 'Connected to MTN',
      details: { senderId: credentials.values.senderId },
    };
  }
}

export type MtnSmsProviderOptions = MtnSmsProviderSettingsInput & MessagingAdapterRuntimeOptions;

/** MTN SMS. Credentials resolve per call: explicit, tenant store, then MTN_SMS_API_KEY / MTN_SMS_API_SECRET / MTN_SMS_SENDER_ID. */
export function createMtnSmsProvider(options: MtnSmsProviderOptions = {}): MtnSmsProvider {
  return new MtnSmsProvider(adapterInit(options, 'mtn-sms'));
}

/** Builds MTN SMS providers from configuration (`kind: 'sms', vendor: 'mtn'`). */
export const mtnSmsProviderFactory = defineProviderFactory({
  kind: 'sms',
  vendor: 'mtn',
  label: 'MTN SMS',
  docsUrl: 'https://developers.mtn.com/',
  create: ({ id, settings, runtime }) => new MtnSmsProvider({ id, settings, runtime }),
});
