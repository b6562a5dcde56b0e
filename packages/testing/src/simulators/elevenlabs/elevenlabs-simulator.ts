import { VendorSimulator } from '../framework/index.js';
import { elevenlabsAccountRoutes } from './elevenlabs-account-routes.js';
import {
  createElevenLabsState,
  type ElevenLabsSimulatorOptions,
  type ElevenLabsSimulatorState,
  elevenLabsErrorBody,
} from './elevenlabs-simulator-state.js';
import { elevenlabsSpeechToTextRoutes } from './elevenlabs-speech-to-text-routes.js';
import { elevenlabsTextToSpeechRoutes } from './elevenlabs-text-to-speech-routes.js';

/** The ElevenLabs simulator with its account state (characters billed, quota) exposed to tests. */
export class ElevenLabsSimulator extends VendorSimulator {
  readonly state: ElevenLabsSimulatorState;

  constructor(options: ElevenLabsSimulatorOptions = {}) {
    const state = createElevenLabsState(options);
    super({
      name: 'elevenlabs',
      routes: [
        ...elevenlabsTextToSpeechRoutes(state),
        ...elevenlabsAccountRoutes(state),
        ...elevenlabsSpeechToTextRoutes({ ...options, validKeys: state.validKeys }),
      ],
      errorBody: (status, message) => elevenLabsErrorBody(status, message),
    });
    this.state = state;
  }
}

/**
 * ElevenLabs on 127.0.0.1: text to speech (full and streaming, every
 * `output_format`), voices, user and subscription, speech to text. Keys are
 * checked (`xi-api-key`, valid: `['test-key']`), characters are billed against
 * a quota. Point the SDK's `baseUrl` at `simulator.url`.
 */
export function createElevenLabsSimulator(options: ElevenLabsSimulatorOptions = {}): ElevenLabsSimulator {
  return new ElevenLabsSimulator(options);
}
