export type { MetaWhatsAppProviderSettings } from './meta-settings.js';
export * from './meta-webhook.js';
export {
  createMetaWhatsAppProvider,
  type MetaWhatsAppProvider,
  type MetaWhatsAppProviderOptions,
  metaWhatsAppProviderFactory,
} from './meta-whatsapp-provider.js';
