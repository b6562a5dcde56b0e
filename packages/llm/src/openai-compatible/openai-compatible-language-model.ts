import type { CredentialStore, LanguageModel, Secret } from '@patchbay/core';
import { defineProviderFactory, type ProviderFactory, type ProviderRuntime } from '@patchbay/core/adapter';
import { ChatCompletionsLanguageModel, type ChatModelInit } from '../shared/chat-completions-language-model.js';
import {
  type OpenAICompatibleLanguageModelSettings,
  openaiCompatibleCredentials,
  openaiCompatibleLanguageModelSettingsSchema,
} from './openai-compatible-settings.js';

export interface OpenAICompatibleLanguageModelOptions {
  /** Provider id within a configuration (default `openai-compatible`). */
  id?: string | undefined;
  baseURL: string;
  apiKey?: string | Secret | undefined;
  model: string;
  headers?: Record<string, string> | undefined;
  fetch?: typeof globalThis.fetch | undefined;
  credentialStore?: CredentialStore | undefined;
  env?: Readonly<Record<string, string | undefined>> | false | undefined;
}

export type OpenAICompatibleLanguageModel = LanguageModel &
  ChatCompletionsLanguageModel<OpenAICompatibleLanguageModelSettings>;

function build(id: string, settings: unknown, runtime: ProviderRuntime): OpenAICompatibleLanguageModel {
  return new ChatCompletionsLanguageModel({
    id,
    vendor: 'openai-compatible',
    schema: openaiCompatibleLanguageModelSettingsSchema,
    settings,
    credentials: openaiCompatibleCredentials as ChatModelInit<OpenAICompatibleLanguageModelSettings>['credentials'],
    runtime,
    // Compatible servers mostly know `max_tokens` only, and some never send the usage chunk.
    dialect: { maxTokensField: 'max_tokens', providerOptionsKey: 'openai-compatible' },
    requireUsageChunk: false,
    capabilities: { streaming: true, tools: true, images: true, jsonOutput: true },
  });
}

/**
 * A language model behind any OpenAI-compatible Chat Completions endpoint,
 * through the `openai` SDK (retries off). `baseURL` is required; the key is optional.
 */
export function createOpenAICompatibleLanguageModel(
  options: OpenAICompatibleLanguageModelOptions,
): OpenAICompatibleLanguageModel {
  const { id = 'openai-compatible', fetch, credentialStore, env, ...settings } = options;
  return build(id, settings, { fetch, credentialStore, env });
}

/** Builds OpenAI-compatible language models from configuration (`vendor: 'openai-compatible'`). */
export const openaiCompatibleLanguageModelFactory: ProviderFactory<OpenAICompatibleLanguageModel> =
  defineProviderFactory({
    kind: 'llm',
    vendor: 'openai-compatible',
    label: 'OpenAI-compatible endpoint (language models)',
    create: ({ id, settings, runtime }) => build(id, settings, runtime),
  });
