export type { ChatCompletionsLanguageModel } from './openai-chat-language-model.js';
export {
  createOpenAILanguageModel,
  type OpenAILanguageModel,
  type OpenAILanguageModelOptions,
  openaiLanguageModelFactory,
} from './openai-language-model.js';
export { type OpenAILanguageModelSettings, openaiLanguageModelSettingsSchema } from './openai-settings.js';
