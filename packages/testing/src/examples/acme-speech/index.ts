export { acmeSpeechError } from './acme-speech-error.js';
export { acmeSpeechFactory } from './acme-speech-factory.js';
export {
  type AcmeSpeechSettings,
  type AcmeSpeechSettingsInput,
  acmeSpeechSettingsSchema,
} from './acme-speech-settings.js';
export { acmeSimulatorKeys, createAcmeSpeechSimulator } from './acme-speech-simulator.js';
export { type AcmeSpeechOptions, AcmeSpeechSynthesizer } from './acme-speech-synthesizer.js';
