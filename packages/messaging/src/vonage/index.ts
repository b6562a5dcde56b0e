export { vonageHttpError, vonageStatusError } from './vonage-error.js';
export {
  type VonageSmsCredentials,
  type VonageSmsProviderSettings,
  type VonageSmsProviderSettingsInput,
  vonageCredentials,
  vonageDefaultBaseURL,
  vonageSmsSettingsSchema,
} from './vonage-settings.js';
export {
  createVonageSmsProvider,
  VonageSmsProvider,
  type VonageSmsProviderOptions,
  vonageSmsProviderFactory,
} from './vonage-sms-provider.js';
