import { defineCredentials, secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';
import { type OpenAICompatiblePresetName, openaiCompatiblePresets, presetNames } from './openai-compatible-presets.js';

/**
 * The preset field of one instance: a preset is chosen when the provider is
 * created (it decides which environment variable holds the key), so a later
 * `updateConfig` may not switch it.
 */
function presetField(initial: OpenAICompatiblePresetName | undefined) {
  if (initial)
    return z.literal(initial, { message: `the preset is "${initial}" for the life of this provider` }).optional();
  return z.enum(presetNames as [OpenAICompatiblePresetName, ...OpenAICompatiblePresetName[]]).optional();
}

/**
 * Settings of an OpenAI-compatible endpoint: a preset (Groq, Mistral, Together,
 * DeepSeek, OpenRouter, Fireworks, Ollama) or any server by `baseURL` (vLLM, LM Studio, gateways).
 */
export function openaiCompatibleSettingsSchema(initial: OpenAICompatiblePresetName | undefined) {
  return z
    .object({
      /** A known vendor: fills in its base URL, key variable, default model and quirks. */
      preset: presetField(initial),
      /** The server's Chat Completions root, e.g. `http://localhost:11434/v1`. Required without a preset. */
      baseURL: z.url().optional(),
      /** Falls back to the tenant's store, then the preset's variable (`GROQ_API_KEY`…) or `OPENAI_COMPATIBLE_API_KEY`. */
      apiKey: secretInput.optional(),
      /** Required without a preset; a preset has a default. */
      model: z.string().min(1).optional(),
      headers: z.record(z.string(), z.string()).optional(),
    })
    .superRefine((settings, context) => {
      if (initial === undefined && settings.preset === undefined) {
        if (!settings.baseURL)
          context.addIssue({ code: 'custom', path: ['baseURL'], message: 'required without a preset' });
        if (!settings.model)
          context.addIssue({ code: 'custom', path: ['model'], message: 'required without a preset' });
      }
      if (initial === undefined && settings.preset !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['preset'],
          message: 'a preset is chosen when the provider is created',
        });
      }
    })
    .transform((settings) => {
      const preset = settings.preset ? openaiCompatiblePresets[settings.preset] : undefined;
      return {
        ...settings,
        baseURL: settings.baseURL ?? (preset?.baseURL as string),
        model: settings.model ?? (preset?.defaultModel as string),
      };
    });
}

/** The schema of an instance created without a preset (the documented default). */
export const openaiCompatibleLanguageModelSettingsSchema = openaiCompatibleSettingsSchema(undefined);

export type OpenAICompatibleLanguageModelSettings = z.output<typeof openaiCompatibleLanguageModelSettingsSchema>;

export const openaiCompatibleCredentials = defineCredentials({
  fields: { apiKey: z.string().min(1).optional() },
  env: { apiKey: ['OPENAI_COMPATIBLE_API_KEY'] },
  secret: ['apiKey'],
});

/** A preset's credentials: its own variable only (a Groq provider never reads MISTRAL_API_KEY). */
export function presetCredentials(preset: OpenAICompatiblePresetName) {
  const info = openaiCompatiblePresets[preset];
  return info.apiKeyRequired
    ? defineCredentials({
        fields: { apiKey: z.string().min(1) },
        env: { apiKey: [info.apiKeyEnv] },
        secret: ['apiKey'],
      })
    : defineCredentials({
        fields: { apiKey: z.string().min(1).optional() },
        env: { apiKey: [info.apiKeyEnv] },
        secret: ['apiKey'],
      });
}
