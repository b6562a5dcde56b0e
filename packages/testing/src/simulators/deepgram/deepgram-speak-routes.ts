import type { SimulatorRoute } from '../framework/index.js';

/** Deepgram Aura text-to-speech endpoints (/v1/speak). Filled in by the TTS work. */
export function deepgramSpeakRoutes(): SimulatorRoute[] {
  return [];
}
