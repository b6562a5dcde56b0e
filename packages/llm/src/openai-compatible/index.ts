export {
  createOpenAICompatibleLanguageModel,
  type OpenAICompatibleLanguageModel,
  type OpenAICompatibleLanguageModelOptions,
  openaiCompatibleLanguageModelFactory,
} from './openai-compatible-language-model.js';
export type { OpenAICompatibleLanguageModelSettings } from './openai-compatible-settings.js';
