import type { SimulatorRoute } from '../framework/index.js';

/** ElevenLabs speech-to-text endpoints. Filled in by the STT work. */
export function elevenlabsSpeechToTextRoutes(): SimulatorRoute[] {
  return [];
}
