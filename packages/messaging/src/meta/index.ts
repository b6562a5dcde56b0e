export { metaError } from './meta-error.js';
export {
  type MetaWhatsAppCredentials,
  type MetaWhatsAppSettings,
  type MetaWhatsAppSettingsInput,
  metaDefaultApiVersion,
  metaDefaultBaseURL,
  metaWhatsAppCredentials,
  metaWhatsAppSettingsSchema,
} from './meta-settings.js';
export * from './meta-webhook.js';
export {
  createMetaWhatsAppProvider,
  MetaWhatsAppProvider,
  type MetaWhatsAppProviderOptions,
  metaWhatsAppFactory,
} from './meta-whatsapp-provider.js';
