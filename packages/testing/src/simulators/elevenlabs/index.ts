export type { SpeechSocketFault, SpeechSocketSession } from '../shared/speech-socket-simulator.js';
export {
  contentTypeOf,
  encodeAlaw,
  encodeMulaw,
  type SyntheticAudioFormat,
  type SyntheticEncoding,
  speechDurationSeconds,
  syntheticAudioChunks,
  syntheticAudioLength,
  wavHeader,
} from '../shared/synthetic-audio.js';
export { elevenlabsAccountRoutes } from './elevenlabs-account-routes.js';
export { createElevenLabsSimulator, ElevenLabsSimulator } from './elevenlabs-simulator.js';
export {
  checkElevenLabsKey,
  createElevenLabsState,
  defaultElevenLabsVoices,
  type ElevenLabsSimulatorOptions,
  type ElevenLabsSimulatorState,
  elevenLabsErrorBody,
  type SimulatedElevenLabsVoice,
} from './elevenlabs-simulator-state.js';
export { elevenlabsSpeechToTextRoutes } from './elevenlabs-speech-to-text-routes.js';
export * from './elevenlabs-stream-input-socket.js';
export { elevenlabsTextToSpeechRoutes, parseElevenLabsOutputFormat } from './elevenlabs-text-to-speech-routes.js';
