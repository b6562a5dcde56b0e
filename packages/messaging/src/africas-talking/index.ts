export {
  type AfricasTalkingSmsProviderSettings,
  africasTalkingProductionBaseURL,
  africasTalkingSandboxBaseURL,
} from './africas-talking-settings.js';
export {
  type AfricasTalkingSmsProvider,
  type AfricasTalkingSmsProviderOptions,
  africasTalkingSmsProviderFactory,
  createAfricasTalkingSmsProvider,
} from './africas-talking-sms-provider.js';
