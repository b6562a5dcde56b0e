import { type CredentialsOf, defineCredentials, secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';

/** The SMS API host; tests point `baseURL` at a simulator. */
export const vonageDefaultBaseURL = 'https://rest.nexmo.com';

const credentialFields = {
  apiKey: z.string().min(1),
  apiSecret: z.string().min(1),
  /** Sender: a number (E.164) or an alphanumeric id of up to 11 characters. */
  from: z.string().min(1).optional(),
};

export const vonageCredentials = defineCredentials({
  fields: credentialFields,
  env: { apiKey: ['VONAGE_API_KEY'], apiSecret: ['VONAGE_API_SECRET'] },
  secret: ['apiSecret'],
});

export type VonageSmsCredentials = CredentialsOf<typeof credentialFields>;

export const vonageSmsSettingsSchema = z.object({
  apiKey: z.string().min(1).optional(),
  apiSecret: secretInput.optional(),
  from: z.string().min(1).optional(),
  baseURL: z.url().default(vonageDefaultBaseURL),
  /** Default delivery-receipt URL when a message does not name one. */
  statusCallbackUrl: z.url().optional(),
  /** Currency of `message-price` (the account's billing currency; Vonage bills in EUR by default). */
  priceCurrency: z.string().length(3).default('EUR'),
  /** ISO country for recipients written in national format. */
  defaultCountry: z.string().length(2).optional(),
});

export type VonageSmsProviderSettings = z.output<typeof vonageSmsSettingsSchema>;
export type VonageSmsProviderSettingsInput = z.input<typeof vonageSmsSettingsSchema>;
