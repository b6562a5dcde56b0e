import type { SimulatorRoute } from '../framework/index.js';
import { type OpenAISpeechRouteOptions, openaiSpeechRoutes } from './openai-speech-routes.js';
import { openaiTranscriptionRoutes } from './openai-transcription-routes.js';

/**
 * OpenAI audio endpoints: speech (`openai-speech-routes.ts`, TTS) and
 * transcriptions (`openai-transcription-routes.ts`, STT).
 */
export function openaiAudioRoutes(options: OpenAISpeechRouteOptions = {}): SimulatorRoute[] {
  return [...openaiSpeechRoutes(options), ...openaiTranscriptionRoutes()];
}
