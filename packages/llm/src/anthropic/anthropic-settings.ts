import { defineCredentials, secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';

/** Settings of the Anthropic adapter. */
export const anthropicLanguageModelSettingsSchema = z.object({
  /** Falls back to the tenant's stored key, then `ANTHROPIC_API_KEY`. */
  apiKey: secretInput.optional(),
  /** Defaults to `https://api.anthropic.com`. */
  baseURL: z.url().optional(),
  /** Model used when a request names none, e.g. `claude-sonnet-5-5`. */
  model: z.string().min(1),
  /** The Messages API requires `max_tokens`; used when a request sets no `maxOutputTokens`. */
  maxOutputTokens: z.number().int().positive().default(4096),
  headers: z.record(z.string(), z.string()).optional(),
});

export type AnthropicLanguageModelSettings = z.output<typeof anthropicLanguageModelSettingsSchema>;

export const anthropicCredentials = defineCredentials({
  fields: { apiKey: z.string().min(1) },
  env: { apiKey: ['ANTHROPIC_API_KEY'] },
  secret: ['apiKey'],
});
