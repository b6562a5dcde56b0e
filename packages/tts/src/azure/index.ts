export type { AzureSpeechSynthesizerSettings } from './azure-settings.js';
export {
  type AzureSpeechSynthesizer,
  type AzureSpeechSynthesizerOptions,
  azureSpeechSynthesizerFactory,
  createAzureSpeechSynthesizer,
} from './azure-speech-synthesizer.js';
