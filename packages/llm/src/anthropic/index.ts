export {
  AnthropicLanguageModel,
  type AnthropicLanguageModelOptions,
  anthropicLanguageModelFactory,
  createAnthropicLanguageModel,
} from './anthropic-language-model.js';
export { type AnthropicSettings, anthropicSettingsSchema } from './anthropic-settings.js';
