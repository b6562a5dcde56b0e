import { defineCredentials, secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';

/** Settings of an OpenAI-compatible endpoint (vLLM, Ollama, Groq, LM Studio, gateways). */
export const openaiCompatibleLanguageModelSettingsSchema = z.object({
  /** The server's Chat Completions root, e.g. `http://localhost:11434/v1`. Required. */
  baseURL: z.url(),
  /** Optional: many local servers need none. Falls back to `OPENAI_COMPATIBLE_API_KEY`. */
  apiKey: secretInput.optional(),
  model: z.string().min(1),
  headers: z.record(z.string(), z.string()).optional(),
});

export type OpenAICompatibleLanguageModelSettings = z.output<typeof openaiCompatibleLanguageModelSettingsSchema>;

export const openaiCompatibleCredentials = defineCredentials({
  fields: { apiKey: z.string().min(1).optional() },
  env: { apiKey: ['OPENAI_COMPATIBLE_API_KEY'] },
  secret: ['apiKey'],
});
