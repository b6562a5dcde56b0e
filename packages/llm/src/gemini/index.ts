export {
  createGeminiLanguageModel,
  type GeminiLanguageModel,
  type GeminiLanguageModelOptions,
  geminiLanguageModelFactory,
} from './gemini-language-model.js';
export type { GeminiLanguageModelSettings } from './gemini-settings.js';
