export {
  AnthropicLanguageModel,
  type AnthropicLanguageModelOptions,
  anthropicLanguageModelFactory,
  createAnthropicLanguageModel,
} from './anthropic-language-model.js';
export { type AnthropicLanguageModelSettings, anthropicLanguageModelSettingsSchema } from './anthropic-settings.js';
