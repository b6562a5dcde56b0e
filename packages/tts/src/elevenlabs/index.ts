export { elevenLabsError } from './elevenlabs-error.js';
export {
  defaultElevenLabsModel,
  defaultElevenLabsVoice,
  type ElevenLabsSettings,
  type ElevenLabsSettingsInput,
  elevenLabsFormats,
  elevenLabsOutputFormat,
  elevenLabsSettingsSchema,
} from './elevenlabs-settings.js';
export {
  createElevenLabsSpeechSynthesizer,
  ElevenLabsSpeechSynthesizer,
  type ElevenLabsSpeechSynthesizerOptions,
  elevenLabsSpeechCapabilities,
  elevenLabsSpeechSynthesizerFactory,
} from './elevenlabs-speech-synthesizer.js';
