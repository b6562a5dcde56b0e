export {
  type AnthropicLanguageModel,
  type AnthropicLanguageModelOptions,
  anthropicLanguageModelFactory,
  createAnthropicLanguageModel,
} from './anthropic-language-model.js';
export type { AnthropicLanguageModelSettings } from './anthropic-settings.js';
