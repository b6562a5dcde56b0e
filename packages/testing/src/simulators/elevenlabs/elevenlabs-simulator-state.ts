import type { SimulatorExchange } from '../framework/index.js';
import { sendJson } from '../framework/index.js';
import type { ElevenLabsSpeechToTextOptions } from './elevenlabs-speech-to-text-routes.js';

export interface SimulatedElevenLabsVoice {
  voice_id: string;
  name: string;
  category?: string | undefined;
  labels?: Record<string, string> | undefined;
  preview_url?: string | undefined;
}

/** Text-to-speech options plus the speech-to-text ones (`transcript`, `urlDurationSeconds`). */
export interface ElevenLabsSimulatorOptions extends Omit<ElevenLabsSpeechToTextOptions, 'validKeys'> {
  /** Keys accepted in `xi-api-key`; default `['test-key']`. */
  validKeys?: string[] | undefined;
  voices?: SimulatedElevenLabsVoice[] | undefined;
  /** The account's character quota; a request that would pass it gets 401 `quota_exceeded`, as the vendor does. */
  characterLimit?: number | undefined;
  /** Seconds of audio per character of text (default 0.06). */
  secondsPerCharacter?: number | undefined;
  /** Size of each audio chunk written (default 4096 bytes). */
  chunkBytes?: number | undefined;
  /** Pause between audio chunks (default none). */
  chunkIntervalMs?: number | undefined;
}

/** Mutable account state shared by the simulator's routes. */
export interface ElevenLabsSimulatorState {
  readonly validKeys: readonly string[];
  readonly voices: readonly SimulatedElevenLabsVoice[];
  characterLimit: number;
  /** Characters billed so far (successful requests only). */
  characterCount: number;
  secondsPerCharacter: number;
  chunkBytes: number;
  chunkIntervalMs: number;
}

export const defaultElevenLabsVoices: SimulatedElevenLabsVoice[] = [
  {
    voice_id: 'JBFqnCBsd6RMkjVDRZzb',
    name: 'George',
    category: 'premade',
    labels: { accent: 'british', gender: 'male', age: 'middle_aged', language: 'en' },
    preview_url: 'https://storage.example/voices/george.mp3',
  },
  {
    voice_id: '21m00Tcm4TlvDq8ikWAM',
    name: 'Rachel',
    category: 'premade',
    labels: { accent: 'american', gender: 'female', age: 'young', language: 'en' },
    preview_url: 'https://storage.example/voices/rachel.mp3',
  },
  {
    voice_id: 'EXAVITQu4vr4xnSDxMaL',
    name: 'Sarah',
    category: 'premade',
    labels: { accent: 'american', gender: 'female', age: 'young', language: 'en' },
  },
];

export function createElevenLabsState(options: ElevenLabsSimulatorOptions = {}): ElevenLabsSimulatorState {
  return {
    validKeys: options.validKeys ?? ['test-key'],
    voices: options.voices ?? defaultElevenLabsVoices,
    characterLimit: options.characterLimit ?? 1_000_000,
    characterCount: 0,
    secondsPerCharacter: options.secondsPerCharacter ?? 0.06,
    chunkBytes: options.chunkBytes ?? 4096,
    chunkIntervalMs: options.chunkIntervalMs ?? 0,
  };
}

const reasonByStatus: Record<number, string> = {
  400: 'invalid_request',
  401: 'invalid_api_key',
  402: 'payment_required',
  403: 'missing_permissions',
  404: 'not_found',
  429: 'too_many_concurrent_requests',
  500: 'internal_server_error',
  503: 'service_unavailable',
};

/** ElevenLabs' error body: `{"detail": {"status": "<reason>", "message": "..."}}`. */
export function elevenLabsErrorBody(status: number, message: string, reason?: string): unknown {
  return { detail: { status: reason ?? reasonByStatus[status] ?? 'error', message } };
}

/** Answers 401 `invalid_api_key` unless `xi-api-key` is one of the valid keys; true when the caller may proceed. */
export function checkElevenLabsKey(exchange: SimulatorExchange, state: ElevenLabsSimulatorState): boolean {
  const key = exchange.request.headers['xi-api-key'];
  if (typeof key === 'string' && state.validKeys.includes(key)) return true;
  sendJson(
    exchange.response,
    401,
    elevenLabsErrorBody(
      401,
      key ? 'Invalid API key' : 'Missing xi-api-key header',
      key ? 'invalid_api_key' : 'needs_authorization',
    ),
  );
  return false;
}
