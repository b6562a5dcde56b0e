/**
 * @patchbay/stt — one transcription interface for Deepgram, OpenAI,
 * ElevenLabs and AssemblyAI. Adapters live on subpaths (`@patchbay/stt/deepgram`,
 * `/openai`, `/elevenlabs`, `/assemblyai`); this entry holds the shared types and
 * helpers and never loads a vendor SDK.
 */
export type {
  AudioEncoding,
  AudioSource,
  LiveFailoverOptions,
  LiveTranscriptionEvent,
  LiveTranscriptionFailover,
  LiveTranscriptionRequest,
  LiveTranscriptionSession,
  Transcriber,
  TranscriberCapabilities,
  TranscriptionRequest,
  TranscriptionResult,
  TranscriptionWord,
} from '@patchbay/core';
/** Core's one byte-stream reader, re-exported for transcriber authors. */
export { collectBytes } from '@patchbay/core/adapter';
export {
  isStreamAudio,
  isUrlAudio,
  rawBytesPerSecond,
  toByteStream,
  wavDurationSeconds,
} from './shared/audio-input.js';
export {
  type OpenLiveContext,
  type TranscribeContext,
  TranscriberAdapter,
} from './shared/transcriber-adapter.js';
export type { VendorCall, VendorErrorContext } from './shared/vendor-call.js';
