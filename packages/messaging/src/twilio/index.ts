export type { TwilioMessagingProvider } from './twilio-messaging-provider.js';
export type { TwilioSmsProviderSettings, TwilioWhatsAppProviderSettings } from './twilio-settings.js';
export {
  createTwilioSmsProvider,
  type TwilioSmsProviderOptions,
  twilioSmsProviderFactory,
} from './twilio-sms-provider.js';
export * from './twilio-webhook.js';
export {
  createTwilioWhatsAppProvider,
  type TwilioWhatsAppProviderOptions,
  twilioWhatsAppProviderFactory,
} from './twilio-whatsapp-provider.js';
