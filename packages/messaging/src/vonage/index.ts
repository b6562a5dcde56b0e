export type { VonageSmsProviderSettings } from './vonage-settings.js';
export {
  createVonageSmsProvider,
  type VonageSmsProvider,
  type VonageSmsProviderOptions,
  vonageSmsProviderFactory,
} from './vonage-sms-provider.js';
