export { africasTalkingHttpError, africasTalkingRecipientError } from './africas-talking-error.js';
export {
  type AfricasTalkingSmsCredentials,
  type AfricasTalkingSmsProviderSettings,
  type AfricasTalkingSmsProviderSettingsInput,
  africasTalkingBaseURL,
  africasTalkingCredentials,
  africasTalkingProductionBaseURL,
  africasTalkingSandboxBaseURL,
  africasTalkingSmsSettingsSchema,
} from './africas-talking-settings.js';
export {
  AfricasTalkingSmsProvider,
  type AfricasTalkingSmsProviderOptions,
  africasTalkingSmsProviderFactory,
  createAfricasTalkingSmsProvider,
} from './africas-talking-sms-provider.js';
