import type { SimulatorRoute } from '../framework/index.js';

/** OpenAI audio endpoints (speech, transcriptions). Filled in by the TTS/STT work. */
export function openaiAudioRoutes(): SimulatorRoute[] {
  return [];
}
