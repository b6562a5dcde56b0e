export { openaiCredentials } from '@patchbay/core/vendors/openai';

import { secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';

/** Settings of the OpenAI adapter (validated at construction and on every `updateConfig`). */
export const openaiLanguageModelSettingsSchema = z.object({
  /** Falls back to the tenant's stored key, then `OPENAI_API_KEY`. */
  apiKey: secretInput.optional(),
  /** Defaults to `https://api.openai.com/v1`. */
  baseURL: z.url().optional(),
  organization: z.string().min(1).optional(),
  project: z.string().min(1).optional(),
  /** Model used when a request names none, e.g. `gpt-4o-mini`. */
  model: z.string().min(1),
  /** Extra headers on every request (proxies, gateways). */
  headers: z.record(z.string(), z.string()).optional(),
});

export type OpenAILanguageModelSettings = z.output<typeof openaiLanguageModelSettingsSchema>;
