import { z } from 'zod';
import type { CredentialSpec } from '../../credentials/credential-spec.js';

/** Google Cloud credential values: an API key, or a service account's JSON key (or, from the environment, its path). */
export interface GoogleCloudCredentialValues extends Record<string, string | undefined> {
  apiKey: string | undefined;
  serviceAccount: string | undefined;
}

/**
 * Google Cloud credentials, the same for Text-to-Speech and Speech-to-Text:
 * an API key (GOOGLE_API_KEY), or a service account key
 * (GOOGLE_SERVICE_ACCOUNT_JSON holding the JSON, or GOOGLE_APPLICATION_CREDENTIALS
 * naming the file). Either one is enough; both are secret.
 */
export const googleCloudCredentials: CredentialSpec<GoogleCloudCredentialValues> = {
  fields: ['apiKey', 'serviceAccount'],
  schema: z
    .object({ apiKey: z.string().min(1).optional(), serviceAccount: z.string().min(1).optional() })
    .superRefine((value, context) => {
      if (value.apiKey === undefined && value.serviceAccount === undefined) {
        context.addIssue({ code: 'custom', path: ['apiKey'], message: 'an API key or a service account is required' });
      }
    }) as unknown as z.ZodType<GoogleCloudCredentialValues>,
  env: {
    apiKey: ['GOOGLE_API_KEY'],
    serviceAccount: ['GOOGLE_SERVICE_ACCOUNT_JSON', 'GOOGLE_APPLICATION_CREDENTIALS'],
  },
  secret: ['apiKey', 'serviceAccount'],
};
