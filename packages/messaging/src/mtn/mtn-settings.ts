import { type CredentialsOf, defineCredentials, secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';

/** MTN's developer API gateway (MADAPI); tests point `baseURL` at a simulator. */
export const mtnDefaultBaseURL = 'https://api.mtn.com';

const credentialFields = {
  /** The app's consumer key (OAuth2 client id). */
  apiKey: z.string().min(1),
  /** The app's consumer secret (OAuth2 client secret). */
  apiSecret: z.string().min(1),
  /** Sender id shown to recipients (e.g. `EasyMO`) or a short code. */
  senderId: z.string().min(1).optional(),
};

/** Read per call: explicit settings, the tenant's credential store, then MTN_SMS_API_KEY / _SECRET / _SENDER_ID. */
export const mtnCredentials = defineCredentials({
  fields: credentialFields,
  env: { apiKey: ['MTN_SMS_API_KEY'], apiSecret: ['MTN_SMS_API_SECRET'], senderId: ['MTN_SMS_SENDER_ID'] },
  secret: ['apiSecret'],
});

export type MtnSmsCredentials = CredentialsOf<typeof credentialFields>;

export const mtnSmsSettingsSchema = z.object({
  apiKey: z.string().min(1).optional(),
  apiSecret: secretInput.optional(),
  senderId: z.string().min(1).optional(),
  baseURL: z.url().default(mtnDefaultBaseURL),
  /** The service code MTN assigned to the sender (some markets require it). */
  serviceCode: z.string().min(1).optional(),
  /** Ask MTN for delivery receipts (sent to the notify URL subscribed for the sender). */
  requestDeliveryReceipt: z.boolean().default(false),
  /** ISO country for recipients written in national format (`RW` for Rwanda). */
  defaultCountry: z.string().length(2).optional(),
});

export type MtnSmsProviderSettings = z.output<typeof mtnSmsSettingsSchema>;
export type MtnSmsProviderSettingsInput = z.input<typeof mtnSmsSettingsSchema>;
