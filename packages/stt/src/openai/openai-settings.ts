export { openaiCredentials } from '@patchbay/core/vendors/openai';

import type { Secret } from '@patchbay/core';
import { type ProviderRuntime, secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';

export const openaiTranscriberSettingsSchema = z.object({
  /** An OpenAI API key; else the tenant store, else `OPENAI_API_KEY`. */
  apiKey: secretInput.optional(),
  /** API base URL including `/v1`, e.g. a proxy, Azure-compatible gateway or the simulator. */
  baseURL: z.url().optional(),
  organization: z.string().min(1).optional(),
  project: z.string().min(1).optional(),
  /** `whisper-1` (word timestamps and duration) or `gpt-4o-transcribe` / `gpt-4o-mini-transcribe` (text only). */
  model: z.string().min(1).default('whisper-1'),
});

export type OpenAITranscriberSettings = z.output<typeof openaiTranscriberSettingsSchema>;

export interface OpenAITranscriberOptions {
  /** Provider id; defaults to `openai`. */
  id?: string | undefined;
  apiKey?: string | Secret | undefined;
  baseURL?: string | undefined;
  organization?: string | undefined;
  project?: string | undefined;
  model?: string | undefined;
  fetch?: ProviderRuntime['fetch'];
  credentialStore?: ProviderRuntime['credentialStore'];
  env?: ProviderRuntime['env'];
}
