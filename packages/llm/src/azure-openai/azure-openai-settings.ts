import { defineCredentials, secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';

/** The GA API version used when the settings name none. */
export const defaultAzureOpenAIApiVersion = '2024-10-21';

/**
 * Settings of the Azure OpenAI adapter. Azure routes by deployment, not model:
 * a request's `model` (and a route alias) names a deployment, and `model` in
 * the validated settings is the `deployment`.
 */
export const azureOpenaiLanguageModelSettingsSchema = z
  .object({
    /** `https://<resource>.openai.azure.com`; else `resourceName`, then `AZURE_OPENAI_ENDPOINT`. */
    endpoint: z.url().optional(),
    /** The resource name, when no endpoint is given: `https://<resourceName>.openai.azure.com`. */
    resourceName: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/, 'an Azure resource name: letters, digits and hyphens')
      .optional(),
    /** The deployment used when a request names none. */
    deployment: z.string().min(1),
    /** The `api-version` query parameter of every request. */
    apiVersion: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'an API version such as 2024-10-21')
      .default(defaultAzureOpenAIApiVersion),
    /** Sent as `api-key`; falls back to the tenant's store, then `AZURE_OPENAI_API_KEY`. */
    apiKey: secretInput.optional(),
    /** A Microsoft Entra ID access token, sent as `Authorization: Bearer`; instead of `apiKey`. */
    bearerToken: secretInput.optional(),
    headers: z.record(z.string(), z.string()).optional(),
  })
  .transform((settings) => ({ ...settings, model: settings.deployment }));

export type AzureOpenAILanguageModelSettings = z.output<typeof azureOpenaiLanguageModelSettingsSchema>;

/**
 * Azure OpenAI's credentials: an API key or an Entra ID token (exactly one is
 * used; the key wins). The endpoint is a setting, not a credential: a tenant's
 * store entry (or a "validate before saving" candidate) must not choose the
 * host that the platform's gateway headers go to.
 */
export const azureOpenaiCredentials = defineCredentials({
  fields: {
    apiKey: z.string().min(1).optional(),
    bearerToken: z.string().min(1).optional(),
  },
  env: {
    apiKey: ['AZURE_OPENAI_API_KEY'],
    bearerToken: ['AZURE_OPENAI_AD_TOKEN'],
  },
  secret: ['apiKey', 'bearerToken'],
});

/** The variable the endpoint falls back to, read from the adapter's environment like the credentials. */
export const azureOpenaiEndpointEnv = 'AZURE_OPENAI_ENDPOINT';
