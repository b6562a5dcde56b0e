export { closeMessagingAgent } from '../messaging-http.js';
export {
  type MtnSmsCredentials,
  type MtnSmsSettings,
  type MtnSmsSettingsInput,
  mtnDefaultBaseURL,
  mtnSmsCredentials,
  mtnSmsSettingsSchema,
} from './mtn-settings.js';
export {
  createMtnSmsProvider,
  MtnSmsProvider,
  type MtnSmsProviderOptions,
  mtnSmsProviderFactory,
} from './mtn-sms-provider.js';
export {
  bearerTokenMatches,
  createMtnWebhookHandler,
  type MtnWebhookHandlerOptions,
  MtnWebhookParseError,
  type MtnWebhookTokenResolution,
  parseMtnWebhook,
} from './mtn-webhook.js';
export {
  buildMtnSendRequest,
  buildMtnTokenRequest,
  type MtnSendAnswer,
  type MtnSendInput,
  type MtnToken,
  MtnTokenCache,
  mapMtnError,
  mtnSendPath,
  mtnTokenPath,
  parseMtnSendResponse,
  parseMtnTokenResponse,
} from './mtn-wire.js';
