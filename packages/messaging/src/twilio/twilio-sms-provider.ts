import { defineProviderFactory } from '@patchbay/core/adapter';
import { adapterInit, type MessagingAdapterRuntimeOptions } from '../shared/messaging-provider-adapter.js';
import { TwilioMessagingProvider } from './twilio-messaging-provider.js';
import { type TwilioMessagingSettingsInput, twilioSmsCredentials } from './twilio-settings.js';

export type TwilioSmsProviderOptions = TwilioMessagingSettingsInput & MessagingAdapterRuntimeOptions;

/**
 * Twilio SMS (and MMS with `media`). Credentials resolve per call: explicit
 * settings, then the tenant's stored credentials, then TWILIO_ACCOUNT_SID,
 * TWILIO_AUTH_TOKEN (or TWILIO_API_KEY / TWILIO_API_SECRET) and TWILIO_FROM_NUMBER.
 */
export function createTwilioSmsProvider(options: TwilioSmsProviderOptions = {}): TwilioMessagingProvider {
  return new TwilioMessagingProvider({
    ...adapterInit(options, 'twilio-sms'),
    kind: 'sms',
    credentials: twilioSmsCredentials,
  });
}

/** Builds Twilio SMS providers from configuration (`kind: 'sms', vendor: 'twilio'`). */
export const twilioSmsProviderFactory = defineProviderFactory({
  kind: 'sms',
  vendor: 'twilio',
  label: 'Twilio SMS',
  docsUrl: 'https://www.twilio.com/docs/messaging/api/message-resource',
  create: ({ id, settings, runtime }) =>
    new TwilioMessagingProvider({ id, kind: 'sms', settings, credentials: twilioSmsCredentials, runtime }),
});
