export { elevenLabsError } from './elevenlabs-error.js';
export {
  defaultElevenLabsModel,
  defaultElevenLabsVoice,
  type ElevenLabsSpeechSynthesizerSettings,
  type ElevenLabsSpeechSynthesizerSettingsInput,
  elevenLabsFormats,
  elevenLabsOutputFormat,
  elevenlabsSpeechSynthesizerSettingsSchema,
} from './elevenlabs-settings.js';
export {
  createElevenLabsSpeechSynthesizer,
  ElevenLabsSpeechSynthesizer,
  type ElevenLabsSpeechSynthesizerOptions,
  elevenLabsSpeechCapabilities,
  elevenlabsSpeechSynthesizerFactory,
} from './elevenlabs-speech-synthesizer.js';
