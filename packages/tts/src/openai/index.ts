export { openAISpeechError } from './openai-error.js';
export {
  type OpenAISpeechSettings,
  type OpenAISpeechSettingsInput,
  openAIFormats,
  openAISpeechSettingsSchema,
} from './openai-settings.js';
export {
  createOpenAISpeechSynthesizer,
  OpenAISpeechSynthesizer,
  type OpenAISpeechSynthesizerOptions,
  openAISpeechCapabilities,
  openAISpeechSynthesizerFactory,
} from './openai-speech-synthesizer.js';
