import { defineCredentials, secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';

/** Settings of the Gemini adapter (Gemini API, not Vertex AI). */
export const geminiLanguageModelSettingsSchema = z.object({
  /** Falls back to the tenant's stored key, then `GEMINI_API_KEY`, then `GOOGLE_API_KEY`. */
  apiKey: secretInput.optional(),
  /** Defaults to `https://generativelanguage.googleapis.com`. */
  baseURL: z.url().optional(),
  /** API version path segment (default `v1beta`, where the current features live). */
  apiVersion: z.string().min(1).default('v1beta'),
  /** Model used when a request names none, e.g. `gemini-2.5-flash`. */
  model: z.string().min(1),
  headers: z.record(z.string(), z.string()).optional(),
});

export type GeminiLanguageModelSettings = z.output<typeof geminiLanguageModelSettingsSchema>;

export const geminiCredentials = defineCredentials({
  fields: { apiKey: z.string().min(1) },
  env: { apiKey: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] },
  secret: ['apiKey'],
});
