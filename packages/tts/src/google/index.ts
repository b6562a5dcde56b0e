export type { GoogleSpeechSynthesizerSettings } from './google-settings.js';
export {
  createGoogleSpeechSynthesizer,
  type GoogleSpeechSynthesizer,
  type GoogleSpeechSynthesizerOptions,
  googleSpeechSynthesizerFactory,
} from './google-speech-synthesizer.js';
