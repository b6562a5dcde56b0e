import { type CredentialsOf, defineCredentials, secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';

/** The Graph API host; tests point `baseURL` at a simulator. */
export const metaDefaultBaseURL = 'https://graph.facebook.com';
/** Graph API version used unless settings name another. */
export const metaDefaultApiVersion = 'v23.0';

const credentialFields = {
  /** A system-user (or temporary) access token with whatsapp_business_messaging permission. */
  accessToken: z.string().min(1),
  /** The WhatsApp business phone number ID (not the number itself). */
  phoneNumberId: z.string().regex(/^\d+$/, 'a numeric phone number ID'),
};

export const metaCredentials = defineCredentials({
  fields: credentialFields,
  env: { accessToken: ['WHATSAPP_ACCESS_TOKEN'], phoneNumberId: ['WHATSAPP_PHONE_NUMBER_ID'] },
  secret: ['accessToken'],
});

export type MetaWhatsAppCredentials = CredentialsOf<typeof credentialFields>;

export const metaWhatsAppSettingsSchema = z.object({
  accessToken: secretInput.optional(),
  phoneNumberId: z.string().regex(/^\d+$/, 'a numeric phone number ID').optional(),
  apiVersion: z
    .string()
    .regex(/^v\d+\.\d+$/, 'a Graph API version such as v23.0')
    .default(metaDefaultApiVersion),
  baseURL: z.url().default(metaDefaultBaseURL),
  /** Let WhatsApp render a preview of the first link in text messages. */
  previewUrl: z.boolean().default(false),
  /** ISO country for recipients written in national format. */
  defaultCountry: z.string().length(2).optional(),
});

export type MetaWhatsAppProviderSettings = z.output<typeof metaWhatsAppSettingsSchema>;
export type MetaWhatsAppProviderSettingsInput = z.input<typeof metaWhatsAppSettingsSchema>;
