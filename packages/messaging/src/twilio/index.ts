export type { TwilioMessagingProvider } from './twilio-messaging-provider.js';
export type { TwilioSmsProviderSettings, TwilioWhatsAppProviderSettings } from './twilio-settings.js';
export {
  createTwilioSmsProvider,
  type TwilioSmsProviderOptions,
  twilioSmsProviderFactory,
} from './twilio-sms-provider.js';
// `twilioUrlCandidates` stays on the messaging root with the other webhook plumbing.
export {
  computeTwilioSignature,
  createTwilioWebhookHandler,
  parseTwilioWebhook,
  type TwilioAuthTokenResolution,
  type TwilioParams,
  type TwilioWebhookHandlerOptions,
  TwilioWebhookParseError,
  type TwilioWebhookRequestContext,
  type VerifyTwilioSignatureInput,
  verifyTwilioSignature,
} from './twilio-webhook.js';
export {
  createTwilioWhatsAppProvider,
  type TwilioWhatsAppProviderOptions,
  twilioWhatsAppProviderFactory,
} from './twilio-whatsapp-provider.js';
