export { metaError } from './meta-error.js';
export {
  type MetaWhatsAppCredentials,
  type MetaWhatsAppProviderSettings,
  type MetaWhatsAppProviderSettingsInput,
  metaCredentials,
  metaDefaultApiVersion,
  metaDefaultBaseURL,
  metaWhatsAppSettingsSchema,
} from './meta-settings.js';
export * from './meta-webhook.js';
export {
  createMetaWhatsAppProvider,
  MetaWhatsAppProvider,
  type MetaWhatsAppProviderOptions,
  metaWhatsAppProviderFactory,
} from './meta-whatsapp-provider.js';
