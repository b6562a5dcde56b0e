export {
  createOpenAILanguageModel,
  type OpenAILanguageModel,
  type OpenAILanguageModelOptions,
  openaiLanguageModelFactory,
} from './openai-language-model.js';
export type { OpenAILanguageModelSettings } from './openai-settings.js';
