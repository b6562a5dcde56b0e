export {
  type BedrockLanguageModel,
  type BedrockLanguageModelOptions,
  bedrockLanguageModelFactory,
  createBedrockLanguageModel,
} from './bedrock-language-model.js';
export type { BedrockLanguageModelSettings } from './bedrock-settings.js';
