export { vonageHttpError, vonageStatusError } from './vonage-error.js';
export {
  type VonageSmsCredentials,
  type VonageSmsSettings,
  type VonageSmsSettingsInput,
  vonageDefaultBaseURL,
  vonageSmsCredentials,
  vonageSmsSettingsSchema,
} from './vonage-settings.js';
export {
  createVonageSmsProvider,
  VonageSmsProvider,
  type VonageSmsProviderOptions,
  vonageSmsFactory,
} from './vonage-sms-provider.js';
