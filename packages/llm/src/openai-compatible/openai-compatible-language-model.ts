import type { CredentialStore, LanguageModel, Secret } from '@patchbay/core';
import { defineProviderFactory, type ProviderFactory, type ProviderRuntime } from '@patchbay/core/adapter';
import { ChatCompletionsLanguageModel, type ChatModelInit } from '../shared/chat-completions-language-model.js';
import {
  applyPresetQuirks,
  type OpenAICompatiblePresetInfo,
  type OpenAICompatiblePresetName,
  openaiCompatiblePresets,
} from './openai-compatible-presets.js';
import {
  type OpenAICompatibleLanguageModelSettings,
  openaiCompatibleCredentials,
  openaiCompatibleSettingsSchema,
  presetCredentials,
} from './openai-compatible-settings.js';

export interface OpenAICompatibleLanguageModelOptions {
  /** Provider id within a configuration (default: the preset's name, else `openai-compatible`). */
  id?: string | undefined;
  /**
   * A known vendor: `groq`, `mistral`, `together`, `deepseek`, `openrouter`, `fireworks`, `ollama`.
   * Fills in base URL, key variable and default model, and drops parameters the vendor cannot take
   * (with a warning). Fixed for the life of the provider.
   */
  preset?: OpenAICompatiblePresetName | undefined;
  /** Required without a preset; overrides the preset's. */
  baseURL?: string | undefined;
  apiKey?: string | Secret | undefined;
  /** Required without a preset; overrides the preset's default. */
  model?: string | undefined;
  headers?: Record<string, string> | undefined;
  fetch?: typeof globalThis.fetch | undefined;
  credentialStore?: CredentialStore | undefined;
  env?: Readonly<Record<string, string | undefined>> | false | undefined;
}

export type OpenAICompatibleLanguageModel = LanguageModel &
  ChatCompletionsLanguageModel<OpenAICompatibleLanguageModelSettings>;

/** The preset the settings name when the provider is created (an unknown name is left to the schema to refuse). */
function presetOf(settings: unknown): OpenAICompatiblePresetName | undefined {
  const preset = (settings as { preset?: unknown } | undefined)?.preset;
  return typeof preset === 'string' && Object.hasOwn(openaiCompatiblePresets, preset)
    ? (preset as OpenAICompatiblePresetName)
    : undefined;
}

function build(id: string, settings: unknown, runtime: ProviderRuntime): OpenAICompatibleLanguageModel {
  const preset = presetOf(settings);
  return new ChatCompletionsLanguageModel({
    id,
    vendor: 'openai-compatible',
    schema: openaiCompatibleSettingsSchema(preset) as ChatModelInit<OpenAICompatibleLanguageModelSettings>['schema'],
    settings,
    credentials: (preset
      ? presetCredentials(preset)
      : openaiCompatibleCredentials) as ChatModelInit<OpenAICompatibleLanguageModelSettings>['credentials'],
    runtime,
    // Compatible servers mostly know `max_tokens` only, and some never send the usage chunk.
    dialect: { maxTokensField: 'max_tokens', providerOptionsKey: 'openai-compatible' },
    requireUsageChunk: false,
    capabilities: { streaming: true, tools: true, images: true, jsonOutput: true },
    ...(preset ? { adjustParams: (params, warnings) => applyPresetQuirks(preset, params, warnings) } : {}),
  });
}

/**
 * A language model behind any OpenAI-compatible Chat Completions endpoint,
 * through the `openai` SDK (retries off): a preset vendor, or any server by `baseURL`.
 */
export function createOpenAICompatibleLanguageModel(
  options: OpenAICompatibleLanguageModelOptions,
): OpenAICompatibleLanguageModel {
  const { id = options.preset ?? 'openai-compatible', fetch, credentialStore, env, ...settings } = options;
  return build(id, settings, { fetch, credentialStore, env });
}

/**
 * Builds OpenAI-compatible language models from configuration
 * (`{ kind: 'llm', vendor: 'openai-compatible', settings: { preset: 'groq' } }`).
 * `presets` lists what each preset fills in, for setup screens.
 */
export const openaiCompatibleLanguageModelFactory: ProviderFactory<OpenAICompatibleLanguageModel> & {
  readonly presets: Readonly<Record<OpenAICompatiblePresetName, OpenAICompatiblePresetInfo>>;
} = Object.freeze({
  ...defineProviderFactory({
    kind: 'llm',
    vendor: 'openai-compatible',
    label: 'OpenAI-compatible endpoint (language models)',
    docsUrl: 'https://platform.openai.com/docs/api-reference/chat',
    create: ({ id, settings, runtime }) => build(id, settings, runtime),
  }),
  presets: openaiCompatiblePresets,
});
