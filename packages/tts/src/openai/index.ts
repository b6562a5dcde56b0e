export { openAISpeechError } from './openai-error.js';
export {
  type OpenAISpeechSynthesizerSettings,
  type OpenAISpeechSynthesizerSettingsInput,
  openAIFormats,
  openaiSpeechSynthesizerSettingsSchema,
} from './openai-settings.js';
export {
  createOpenAISpeechSynthesizer,
  OpenAISpeechSynthesizer,
  type OpenAISpeechSynthesizerOptions,
  openAISpeechCapabilities,
  openaiSpeechSynthesizerFactory,
} from './openai-speech-synthesizer.js';
