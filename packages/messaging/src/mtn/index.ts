export type { MtnSmsProviderSettings } from './mtn-settings.js';
export {
  createMtnSmsProvider,
  type MtnSmsProvider,
  type MtnSmsProviderOptions,
  mtnSmsProviderFactory,
} from './mtn-sms-provider.js';
export {
  createMtnWebhookHandler,
  type MtnWebhookHandlerOptions,
  type MtnWebhookTokenResolution,
} from './mtn-webhook.js';
