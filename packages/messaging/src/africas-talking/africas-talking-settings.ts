import { type CredentialsOf, defineCredentials, secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';

export const africasTalkingProductionBaseURL = 'https://api.africastalking.com';
export const africasTalkingSandboxBaseURL = 'https://api.sandbox.africastalking.com';

const credentialFields = {
  /** The application's username (`sandbox` in the sandbox). */
  username: z.string().min(1),
  apiKey: z.string().min(1),
  /** Sender id or short code; the account default when absent. */
  from: z.string().min(1).optional(),
};

export const africasTalkingCredentials = defineCredentials({
  fields: credentialFields,
  env: { username: ['AT_USERNAME'], apiKey: ['AT_API_KEY'] },
  secret: ['apiKey'],
});

export type AfricasTalkingSmsCredentials = CredentialsOf<typeof credentialFields>;

export const africasTalkingSmsSettingsSchema = z.object({
  username: z.string().min(1).optional(),
  apiKey: secretInput.optional(),
  from: z.string().min(1).optional(),
  /** Use the sandbox host; by default true when the username is `sandbox`. */
  sandbox: z.boolean().optional(),
  /** Overrides the host chosen by `sandbox` (tests, proxies). */
  baseURL: z.url().optional(),
  /** ISO country for recipients written in national format. */
  defaultCountry: z.string().length(2).optional(),
});

export type AfricasTalkingSmsProviderSettings = z.output<typeof africasTalkingSmsSettingsSchema>;
export type AfricasTalkingSmsProviderSettingsInput = z.input<typeof africasTalkingSmsSettingsSchema>;

/** The API host for these settings and the resolved username. */
export function africasTalkingBaseURL(settings: AfricasTalkingSmsProviderSettings, username: string): string {
  if (settings.baseURL) return settings.baseURL.replace(/\/+$/, '');
  const sandbox = settings.sandbox ?? username === 'sandbox';
  return sandbox ? africasTalkingSandboxBaseURL : africasTalkingProductionBaseURL;
}
