/**
 * @patchbay/tts — one speech-synthesis interface for ElevenLabs, OpenAI and
 * Deepgram Aura. Adapters live in subpaths (`@patchbay/tts/elevenlabs`,
 * `/openai`, `/deepgram`); nothing here loads a vendor SDK.
 */
export type {
  AudioEncoding,
  AudioFormat,
  SpeechRequest,
  SpeechResult,
  SpeechStreamResult,
  SpeechSynthesizer,
  SpeechSynthesizerCapabilities,
  SpeechTextStreamOptions,
  SpeechTextStreamResult,
  Voice,
} from '@patchbay/core';
export {
  audioDurationSeconds,
  audioFormatSchema,
  describeFormat,
  formatCapabilities,
  resolveFormat,
  type VendorFormatTable,
  wavDataOffset,
} from './audio-format.js';
export { type AudioBodyContext, collectAudio, openAudioStream, type VendorAudioResponse } from './audio-stream.js';
export {
  type AudioCall,
  type SpeechErrorContext,
  type SpeechSettingsBase,
  SpeechSynthesizerAdapter,
  type TextStreamCall,
  type VendorCallContext,
} from './shared/speech-synthesizer-adapter.js';
export {
  chunkTextStream,
  defaultTextChunking,
  TextChunker,
  type TextChunkingOptions,
} from './text-chunker.js';
export {
  type SpeakLanguageModelStreamOptions,
  speakLanguageModelStream,
  type TextStreamingSynthesizer,
  type VoiceTurn,
  type VoiceTurnOutcome,
} from './voice-turn/speak-language-model-stream.js';
