export { africasTalkingHttpError, africasTalkingRecipientError } from './africas-talking-error.js';
export {
  type AfricasTalkingSmsCredentials,
  type AfricasTalkingSmsSettings,
  type AfricasTalkingSmsSettingsInput,
  africasTalkingBaseURL,
  africasTalkingProductionBaseURL,
  africasTalkingSandboxBaseURL,
  africasTalkingSmsCredentials,
  africasTalkingSmsSettingsSchema,
} from './africas-talking-settings.js';
export {
  AfricasTalkingSmsProvider,
  type AfricasTalkingSmsProviderOptions,
  africasTalkingSmsFactory,
  createAfricasTalkingSmsProvider,
} from './africas-talking-sms-provider.js';
