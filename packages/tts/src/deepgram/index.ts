export { deepgramSpeechError } from './deepgram-error.js';
export {
  type DeepgramSpeechSynthesizerSettings,
  type DeepgramSpeechSynthesizerSettingsInput,
  deepgramFormats,
  deepgramMediaParameters,
  deepgramSpeechSynthesizerSettingsSchema,
} from './deepgram-settings.js';
export {
  createDeepgramSpeechSynthesizer,
  DeepgramSpeechSynthesizer,
  type DeepgramSpeechSynthesizerOptions,
  deepgramSpeechCapabilities,
  deepgramSpeechSynthesizerFactory,
} from './deepgram-speech-synthesizer.js';
