export type { DeepgramSpeechSynthesizerSettings } from './deepgram-settings.js';
export {
  createDeepgramSpeechSynthesizer,
  type DeepgramSpeechSynthesizer,
  type DeepgramSpeechSynthesizerOptions,
  deepgramSpeechSynthesizerFactory,
} from './deepgram-speech-synthesizer.js';
