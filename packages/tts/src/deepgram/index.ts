export { deepgramSpeechError } from './deepgram-error.js';
export {
  type DeepgramSpeechSettings,
  type DeepgramSpeechSettingsInput,
  deepgramFormats,
  deepgramMediaParameters,
  deepgramSpeechSettingsSchema,
} from './deepgram-settings.js';
export {
  createDeepgramSpeechSynthesizer,
  DeepgramSpeechSynthesizer,
  type DeepgramSpeechSynthesizerOptions,
  deepgramSpeechCapabilities,
  deepgramSpeechSynthesizerFactory,
} from './deepgram-speech-synthesizer.js';
