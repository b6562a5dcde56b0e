import { type CredentialsOf, defineCredentials, secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';

/** Twilio's REST host; tests point `baseURL` at a simulator. */
export const twilioDefaultBaseURL = 'https://api.twilio.com';

const credentialFields = {
  accountSid: z.string().min(1),
  /** The account's auth token; or an API key pair below (preferred: revocable per key). */
  authToken: z.string().min(1).optional(),
  apiKeySid: z.string().min(1).optional(),
  apiKeySecret: z.string().min(1).optional(),
  /** The sender: a number, short code or alphanumeric id (SMS), or the WhatsApp sender number. */
  from: z.string().min(1).optional(),
};

const sharedEnv = {
  accountSid: ['TWILIO_ACCOUNT_SID'],
  authToken: ['TWILIO_AUTH_TOKEN'],
  apiKeySid: ['TWILIO_API_KEY'],
  apiKeySecret: ['TWILIO_API_SECRET'],
} as const;

export const twilioSmsCredentials = defineCredentials({
  fields: credentialFields,
  env: { ...sharedEnv, from: ['TWILIO_FROM_NUMBER'] },
  secret: ['authToken', 'apiKeySecret'],
});

export const twilioWhatsAppCredentials = defineCredentials({
  fields: credentialFields,
  env: { ...sharedEnv, from: ['TWILIO_WHATSAPP_NUMBER'] },
  secret: ['authToken', 'apiKeySecret'],
});

export type TwilioCredentials = CredentialsOf<typeof credentialFields>;

export const twilioSettingsSchema = z.object({
  accountSid: z.string().min(1).optional(),
  authToken: secretInput.optional(),
  apiKeySid: z.string().min(1).optional(),
  apiKeySecret: secretInput.optional(),
  from: z.string().min(1).optional(),
  /** Send through a Messaging Service (sender pools, sticky sender) when no `from` is set. */
  messagingServiceSid: z
    .string()
    .regex(/^MG[0-9a-fA-F]{32}$/, 'a Messaging Service SID (MG…)')
    .optional(),
  baseURL: z.url().default(twilioDefaultBaseURL),
  /** Default delivery-report URL when a message does not name one. */
  statusCallbackUrl: z.url().optional(),
  /** ISO country for recipients written in national format. */
  defaultCountry: z.string().length(2).optional(),
});

export type TwilioMessagingSettings = z.output<typeof twilioSettingsSchema>;
export type TwilioMessagingSettingsInput = z.input<typeof twilioSettingsSchema>;

/** Settings of a Twilio SMS provider (the same fields as WhatsApp; the sender differs). */
export type TwilioSmsProviderSettings = TwilioMessagingSettings;
/** Settings of a Twilio WhatsApp provider. */
export type TwilioWhatsAppProviderSettings = TwilioMessagingSettings;
