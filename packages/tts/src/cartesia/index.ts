export type { CartesiaSpeechSynthesizerSettings } from './cartesia-settings.js';
export {
  type CartesiaSpeechSynthesizer,
  type CartesiaSpeechSynthesizerOptions,
  cartesiaSpeechSynthesizerFactory,
  createCartesiaSpeechSynthesizer,
} from './cartesia-speech-synthesizer.js';
