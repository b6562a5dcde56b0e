export {
  createGeminiLanguageModel,
  GeminiLanguageModel,
  type GeminiLanguageModelOptions,
  geminiLanguageModelFactory,
} from './gemini-language-model.js';
export { type GeminiLanguageModelSettings, geminiLanguageModelSettingsSchema } from './gemini-settings.js';
