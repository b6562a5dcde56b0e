import type { Secret } from '@patchbay/core';
import { type ProviderRuntime, secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';

export { azureSpeechCredentials } from '@patchbay/core/vendors/azure';

export const azureTranscriberSettingsSchema = z.object({
  /** The Speech resource key; else the tenant store, else AZURE_SPEECH_KEY. */
  apiKey: secretInput.optional(),
  /** The resource's region (`westeurope`); else AZURE_SPEECH_REGION. */
  region: z.string().min(1).optional(),
  /** Replaces `https://{region}.api.cognitive.microsoft.com` (a custom domain, a proxy, the simulator). */
  baseURL: z.url().optional(),
  /** The speech-to-text REST API version of fast transcription. */
  apiVersion: z.string().min(1).default('2024-11-15'),
  /** Candidate locales when a request names no language (empty: Azure identifies the language itself). */
  locales: z.array(z.string().min(2)).default([]),
  /** `Masked` (default), `Removed`, `Tags` or `None`. */
  profanityFilterMode: z.enum(['None', 'Masked', 'Removed', 'Tags']).default('Masked'),
  /** Speakers to separate when a request asks for diarization. */
  maxSpeakers: z.number().int().min(2).max(36).default(2),
});

export type AzureTranscriberSettings = z.output<typeof azureTranscriberSettingsSchema>;

export interface AzureTranscriberOptions {
  /** Provider id; defaults to `azure`. */
  id?: string | undefined;
  apiKey?: string | Secret | undefined;
  region?: string | undefined;
  baseURL?: string | undefined;
  apiVersion?: string | undefined;
  locales?: string[] | undefined;
  profanityFilterMode?: AzureTranscriberSettings['profanityFilterMode'] | undefined;
  maxSpeakers?: number | undefined;
  fetch?: ProviderRuntime['fetch'];
  credentialStore?: ProviderRuntime['credentialStore'];
  env?: ProviderRuntime['env'];
}
