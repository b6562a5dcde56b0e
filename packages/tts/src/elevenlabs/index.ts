export type { ElevenLabsSpeechSynthesizerSettings } from './elevenlabs-settings.js';
export {
  createElevenLabsSpeechSynthesizer,
  type ElevenLabsSpeechSynthesizer,
  type ElevenLabsSpeechSynthesizerOptions,
  elevenlabsSpeechSynthesizerFactory,
} from './elevenlabs-speech-synthesizer.js';
