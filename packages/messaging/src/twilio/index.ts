export { twilioError } from './twilio-error.js';
export { TwilioMessagingProvider } from './twilio-messaging-provider.js';
export {
  type TwilioCredentials,
  type TwilioSettings,
  type TwilioSettingsInput,
  twilioDefaultBaseURL,
  twilioSettingsSchema,
  twilioSmsCredentials,
  twilioWhatsAppCredentials,
} from './twilio-settings.js';
export { createTwilioSmsProvider, type TwilioSmsProviderOptions, twilioSmsFactory } from './twilio-sms-provider.js';
export * from './twilio-webhook.js';
export {
  createTwilioWhatsAppProvider,
  type TwilioWhatsAppProviderOptions,
  twilioWhatsAppFactory,
} from './twilio-whatsapp-provider.js';
