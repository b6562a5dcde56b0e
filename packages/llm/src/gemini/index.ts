export {
  createGeminiLanguageModel,
  GeminiLanguageModel,
  type GeminiLanguageModelOptions,
  geminiLanguageModelFactory,
} from './gemini-language-model.js';
export { type GeminiSettings, geminiSettingsSchema } from './gemini-settings.js';
