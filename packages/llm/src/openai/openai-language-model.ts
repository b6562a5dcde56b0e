import type { CredentialStore, LanguageModel, Secret } from '@patchbay/core';
import { defineProviderFactory, type ProviderFactory } from '@patchbay/core/adapter';
import { ChatCompletionsLanguageModel, type ChatModelInit } from '../shared/chat-completions-language-model.js';
import {
  type OpenAILanguageModelSettings,
  openaiCredentials,
  openaiLanguageModelSettingsSchema,
} from './openai-settings.js';

export interface OpenAILanguageModelOptions {
  /** Provider id within a configuration (default `openai`). */
  id?: string | undefined;
  apiKey?: string | Secret | undefined;
  baseURL?: string | undefined;
  organization?: string | undefined;
  project?: string | undefined;
  model: string;
  headers?: Record<string, string> | undefined;
  fetch?: typeof globalThis.fetch | undefined;
  credentialStore?: CredentialStore | undefined;
  env?: Readonly<Record<string, string | undefined>> | false | undefined;
}

export type OpenAILanguageModel = LanguageModel & ChatCompletionsLanguageModel<OpenAILanguageModelSettings>;

const capabilities = { streaming: true, tools: true, images: true, jsonOutput: true };

function build(id: string, settings: unknown, runtime: ChatCompletionsRuntime): OpenAILanguageModel {
  return new ChatCompletionsLanguageModel({
    id,
    vendor: 'openai',
    schema: openaiLanguageModelSettingsSchema,
    settings,
    // The shared class reads the key as optional (compatible servers may need none).
    credentials: openaiCredentials as ChatModelInit<OpenAILanguageModelSettings>['credentials'],
    runtime,
    dialect: { maxTokensField: 'max_completion_tokens', providerOptionsKey: 'openai' },
    requireUsageChunk: true,
    capabilities,
  });
}

type ChatCompletionsRuntime = ChatModelInit<OpenAILanguageModelSettings>['runtime'];

/**
 * An OpenAI language model (Chat Completions, through the `openai` SDK with its
 * retries off: routing owns retries). Constructing never throws for a missing
 * key: credentials resolve per call (settings, tenant store, `OPENAI_API_KEY`).
 */
export function createOpenAILanguageModel(options: OpenAILanguageModelOptions): OpenAILanguageModel {
  const { id = 'openai', fetch, credentialStore, env, ...settings } = options;
  return build(id, settings, { fetch, credentialStore, env });
}

/** Builds OpenAI language models from configuration (`{ kind: 'llm', vendor: 'openai' }`). */
export const openaiLanguageModelFactory: ProviderFactory<OpenAILanguageModel> = defineProviderFactory({
  kind: 'llm',
  vendor: 'openai',
  label: 'OpenAI (language models)',
  docsUrl: 'https://platform.openai.com/docs/api-reference/chat',
  create: ({ id, settings, runtime }) => build(id, settings, runtime),
});
