import { defineProviderFactory } from '@patchbay/core/adapter';
import { adapterInit, type MessagingAdapterRuntimeOptions } from '../shared/messaging-provider-adapter.js';
import { TwilioMessagingProvider } from './twilio-messaging-provider.js';
import { type TwilioMessagingSettingsInput, twilioWhatsAppCredentials } from './twilio-settings.js';

export type TwilioWhatsAppProviderOptions = TwilioMessagingSettingsInput & MessagingAdapterRuntimeOptions;

/**
 * WhatsApp through Twilio: addresses carry the `whatsapp:` prefix, and a
 * template's `name` is its Twilio Content SID (`HX…`) with `parameters` as
 * ContentVariables {{1}}, {{2}}… The sender comes from `from` or TWILIO_WHATSAPP_NUMBER.
 */
export function createTwilioWhatsAppProvider(options: TwilioWhatsAppProviderOptions = {}): TwilioMessagingProvider {
  return new TwilioMessagingProvider({
    ...adapterInit(options, 'twilio-whatsapp'),
    kind: 'whatsapp',
    credentials: twilioWhatsAppCredentials,
  });
}

/** Builds Twilio WhatsApp providers from configuration (`kind: 'whatsapp', vendor: 'twilio'`). */
export const twilioWhatsAppProviderFactory = defineProviderFactory({
  kind: 'whatsapp',
  vendor: 'twilio',
  label: 'Twilio WhatsApp',
  docsUrl: 'https://www.twilio.com/docs/whatsapp/api',
  create: ({ id, settings, runtime }) =>
    new TwilioMessagingProvider({ id, kind: 'whatsapp', settings, credentials: twilioWhatsAppCredentials, runtime }),
});
