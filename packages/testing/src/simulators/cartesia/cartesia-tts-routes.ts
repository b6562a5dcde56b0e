import { randomUUID } from 'node:crypto';
import type { RecordedRequest, SimulatorExchange, SimulatorRoute } from '../framework/index.js';
import { sendChunks, sendJson } from '../framework/index.js';
import {
  contentTypeOf,
  type SyntheticAudioFormat,
  speechDurationSeconds,
  syntheticAudioChunks,
} from '../shared/synthetic-audio.js';

export interface CartesiaSimulatorOptions {
  /** API keys accepted (`X-API-Key`, `Authorization: Bearer`, or `?api_key=` on the websocket); default `['test-key']`. */
  apiKeys?: readonly string[] | undefined;
  /** Seconds of audio per character (default 0.06). */
  secondsPerCharacter?: number | undefined;
  /** Bytes per audio chunk (default 4096). */
  chunkBytes?: number | undefined;
}

/** Models the simulator knows. */
export const cartesiaModels = ['sonic-2', 'sonic-3', 'sonic-turbo', 'sonic'] as const;

/** Voices the simulator knows. */
export const cartesiaVoices = [
  { id: 'a0e99841-438c-4a64-b679-ae501e7d6091', name: 'Barbershop Man', language: 'en', gender: 'masculine' },
  { id: '694f9389-aac1-45b6-b726-9d9369183238', name: 'Sarah', language: 'en', gender: 'feminine' },
  { id: 'f785af04-229c-4a7c-b71b-f3194c7f08bb', name: 'Amélie', language: 'fr', gender: 'feminine' },
] as const;

const titles: Record<number, string> = {
  400: 'Invalid request',
  401: 'Unauthorized',
  402: 'Payment required',
  403: 'Forbidden',
  404: 'Not found',
  429: 'Too many concurrent requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/** Cartesia's structured error object (`Cartesia-Version: 2026-03-01` and later; older ones are parsed the same). */
export function cartesiaErrorBody(status: number, message: string, errorCode?: string | null) {
  return {
    error_code: errorCode !== undefined ? errorCode : status === 429 ? 'concurrency_limited' : null,
    title: titles[status] ?? 'Error',
    message,
    request_id: randomUUID(),
  };
}

/** The key a request carries, the ways Cartesia accepts one. */
export function cartesiaKeyOf(headers: RecordedRequest['headers'], query?: URLSearchParams): string | undefined {
  const header = headers['x-api-key'];
  if (typeof header === 'string') return header;
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) return authorization.slice(7);
  return query?.get('api_key') ?? undefined;
}

const encodingOf: Record<string, SyntheticAudioFormat['encoding']> = {
  pcm_s16le: 'pcm_s16le',
  pcm_mulaw: 'mulaw',
  pcm_alaw: 'alaw',
};
const sampleRates = [8000, 16000, 22050, 24000, 44100, 48000];

/** Validates a generation request (REST or websocket); an error body with its status, or the format to produce. */
export function cartesiaGeneration(
  body: unknown,
): { error: { status: number; body: unknown } } | { format: SyntheticAudioFormat; transcript: string } {
  const request = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const fail = (status: number, message: string, code?: string) => ({
    error: { status, body: cartesiaErrorBody(status, message, code ?? null) },
  });
  if (!cartesiaModels.includes(request.model_id as (typeof cartesiaModels)[number])) {
    return fail(400, 'The model is not valid, make sure it is a valid model ID.', 'model_not_found');
  }
  const voice = request.voice as { mode?: unknown; id?: unknown } | undefined;
  if (voice?.mode !== 'id' || !cartesiaVoices.some((known) => known.id === voice.id)) {
    return fail(404, 'Voice not found.', 'voice_not_found');
  }
  if (typeof request.transcript !== 'string') return fail(400, 'transcript is required');
  const output = (request.output_format ?? {}) as Record<string, unknown>;
  const sampleRate = Number(output.sample_rate);
  if (!sampleRates.includes(sampleRate)) return fail(400, `sample_rate ${String(output.sample_rate)} is not supported`);
  let encoding: SyntheticAudioFormat['encoding'] | undefined;
  if (output.container === 'mp3') encoding = 'mp3';
  else if (output.container === 'wav' && output.encoding === 'pcm_s16le') encoding = 'wav';
  else if (output.container === 'raw') encoding = encodingOf[String(output.encoding)];
  if (!encoding) return fail(400, 'output_format is not supported');
  if ((encoding === 'mulaw' || encoding === 'alaw') && sampleRate !== 8000) {
    return fail(400, 'pcm_mulaw and pcm_alaw are produced at 8000 Hz');
  }
  const bitrate = typeof output.bit_rate === 'number' ? output.bit_rate / 1000 : 128;
  return { format: { encoding, sampleRate, bitrateKbps: bitrate }, transcript: request.transcript };
}

async function bytes(exchange: SimulatorExchange, options: CartesiaSimulatorOptions): Promise<void> {
  const { request, response } = exchange;
  const key = cartesiaKeyOf(request.headers);
  if (!key || !(options.apiKeys ?? ['test-key']).includes(key)) {
    sendJson(response, 401, cartesiaErrorBody(401, 'Invalid API key', 'invalid_api_key'));
    return;
  }
  if (typeof request.headers['cartesia-version'] !== 'string') {
    sendJson(response, 400, cartesiaErrorBody(400, 'Cartesia-Version header is required'));
    return;
  }
  const generation = cartesiaGeneration(request.json);
  if ('error' in generation) {
    sendJson(response, generation.error.status, generation.error.body);
    return;
  }
  if (generation.transcript.trim() === '') {
    sendJson(response, 400, cartesiaErrorBody(400, 'transcript must not be empty'));
    return;
  }
  const duration = speechDurationSeconds(generation.transcript, options.secondsPerCharacter);
  const contentType =
    generation.format.encoding === 'mp3' || generation.format.encoding === 'wav'
      ? contentTypeOf(generation.format.encoding)
      : 'application/octet-stream';
  await sendChunks(
    exchange,
    contentType,
    syntheticAudioChunks(generation.format, duration, options.chunkBytes ?? 4096),
    {
      headers: { 'x-request-id': randomUUID() },
    },
  );
}

/** `POST /tts/bytes` (chunked audio) and `GET /voices` (paginated `{ data, has_more }`). */
export function cartesiaTtsRoutes(options: CartesiaSimulatorOptions = {}): SimulatorRoute[] {
  return [
    { method: 'POST', path: '/tts/bytes', handler: (exchange) => bytes(exchange, options) },
    {
      method: 'GET',
      path: '/voices',
      handler: ({ request, response }) => {
        const key = cartesiaKeyOf(request.headers);
        if (!key || !(options.apiKeys ?? ['test-key']).includes(key)) {
          sendJson(response, 401, cartesiaErrorBody(401, 'Invalid API key', 'invalid_api_key'));
          return;
        }
        const limit = Number(request.query.get('limit') ?? cartesiaVoices.length);
        sendJson(response, 200, {
          data: cartesiaVoices.slice(0, limit).map((voice) => ({
            ...voice,
            description: `${voice.name} (simulated)`,
            is_owner: false,
            is_public: true,
            created_at: '2024-06-01T00:00:00Z',
          })),
          has_more: limit < cartesiaVoices.length,
          next_page: null,
        });
      },
    },
  ];
}
