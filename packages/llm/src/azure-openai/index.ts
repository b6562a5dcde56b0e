export {
  type AzureOpenAILanguageModel,
  type AzureOpenAILanguageModelOptions,
  azureOpenaiLanguageModelFactory,
  createAzureOpenAILanguageModel,
} from './azure-openai-language-model.js';
export type { AzureOpenAILanguageModelSettings } from './azure-openai-settings.js';
