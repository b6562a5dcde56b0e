import { randomUUID } from 'node:crypto';
import { type SimulatorExchange, type SimulatorRoute, sendChunks, sendJson } from '../framework/index.js';
import {
  contentTypeOf,
  type SyntheticAudioFormat,
  speechDurationSeconds,
  syntheticAudioChunks,
} from '../shared/synthetic-audio.js';
import { deepgramKeyOf } from './deepgram-listen-routes.js';

export interface DeepgramSpeakOptions {
  /** API keys accepted (`Authorization: Token <key>` or `Bearer <token>`); default `['test-key']`. */
  apiKeys?: readonly string[] | undefined;
  /** Seconds of audio per character of text (default 0.06). */
  secondsPerCharacter?: number | undefined;
  /** Size of each audio chunk written (default 4096 bytes). */
  chunkBytes?: number | undefined;
  /** Pause between audio chunks (default none). */
  chunkIntervalMs?: number | undefined;
}

/** Aura voices the simulator knows (model ids name the voice). */
export const deepgramAuraVoices = [
  { name: 'thalia', canonical_name: 'aura-2-thalia-en', language: 'en-US', gender: 'feminine' },
  { name: 'andromeda', canonical_name: 'aura-2-andromeda-en', language: 'en-US', gender: 'feminine' },
  { name: 'apollo', canonical_name: 'aura-2-apollo-en', language: 'en-US', gender: 'masculine' },
  { name: 'asteria', canonical_name: 'aura-asteria-en', language: 'en-US', gender: 'feminine' },
  { name: 'celeste', canonical_name: 'aura-2-celeste-es', language: 'es-CO', gender: 'feminine' },
] as const;

/** Sample rates per encoding, from Deepgram's audio format combinations table. */
const rates: Record<string, { rates: number[]; fallback: number }> = {
  linear16: { rates: [8000, 16000, 24000, 32000, 48000], fallback: 24000 },
  mulaw: { rates: [8000, 16000], fallback: 8000 },
  alaw: { rates: [8000, 16000], fallback: 8000 },
  mp3: { rates: [22050], fallback: 22050 },
  opus: { rates: [48000], fallback: 48000 },
  flac: { rates: [8000, 16000, 22050, 32000, 48000], fallback: 48000 },
  aac: { rates: [22050], fallback: 22050 },
};

function errorBody(code: string, message: string) {
  return { err_code: code, err_msg: message, request_id: randomUUID() };
}

async function speak(exchange: SimulatorExchange, options: DeepgramSpeakOptions): Promise<void> {
  const { request, response } = exchange;
  const key = deepgramKeyOf(request.headers.authorization);
  if (!key || !(options.apiKeys ?? ['test-key']).includes(key)) {
    sendJson(response, 401, errorBody('INVALID_AUTH', 'Invalid credentials.'), { 'dg-error': 'Invalid credentials.' });
    return;
  }
  const query = request.query;
  const model = query.get('model') ?? 'aura-asteria-en';
  if (!deepgramAuraVoices.some((voice) => voice.canonical_name === model)) {
    sendJson(
      response,
      400,
      errorBody('INVALID_QUERY_PARAMETER', `No such model/version/voice combination found: ${model}`),
    );
    return;
  }
  const encoding = query.get('encoding') ?? 'linear16';
  const spec = rates[encoding];
  if (!spec) {
    sendJson(response, 400, errorBody('UNSUPPORTED_AUDIO_FORMAT', `Unsupported encoding: ${encoding}`));
    return;
  }
  const sampleRate = query.has('sample_rate') ? Number(query.get('sample_rate')) : spec.fallback;
  if (!spec.rates.includes(sampleRate)) {
    sendJson(
      response,
      400,
      errorBody('UNSUPPORTED_AUDIO_FORMAT', `Sample rate ${sampleRate} is not supported for encoding ${encoding}`),
    );
    return;
  }
  // REST default: linear16, mulaw and alaw come in a WAV container unless `container=none`.
  const raw = encoding === 'linear16' || encoding === 'mulaw' || encoding === 'alaw';
  const container = query.get('container') ?? (raw ? 'wav' : encoding === 'opus' ? 'ogg' : 'none');
  if (container === 'wav' && encoding !== 'linear16') {
    sendJson(response, 400, errorBody('UNSUPPORTED_AUDIO_FORMAT', 'The simulator writes WAV for linear16 only'));
    return;
  }
  const body = (request.json ?? {}) as { text?: unknown };
  if (typeof body.text !== 'string' || body.text.length === 0) {
    sendJson(response, 400, errorBody('INVALID_JSON', 'Request body must contain a non-empty "text" field.'));
    return;
  }
  if (body.text.length > 2000) {
    sendJson(response, 413, errorBody('PAYLOAD_TOO_LARGE', 'Text is longer than 2000 characters.'));
    return;
  }
  const speed = query.has('speed') ? Number(query.get('speed')) : 1;
  const encodingOf: Record<string, SyntheticAudioFormat['encoding']> = {
    linear16: container === 'wav' ? 'wav' : 'pcm_s16le',
    mulaw: 'mulaw',
    alaw: 'alaw',
    mp3: 'mp3',
    opus: 'opus',
    flac: 'flac',
    aac: 'aac',
  };
  const format: SyntheticAudioFormat = {
    encoding: encodingOf[encoding] as SyntheticAudioFormat['encoding'],
    sampleRate,
    bitrateKbps: query.has('bit_rate') ? Number(query.get('bit_rate')) / 1000 : encoding === 'mp3' ? 48 : undefined,
  };
  const duration = speechDurationSeconds(body.text, options.secondsPerCharacter) / (speed || 1);
  await sendChunks(
    exchange,
    contentTypeOf(format.encoding),
    syntheticAudioChunks(format, duration, options.chunkBytes ?? 4096),
    {
      intervalMs: options.chunkIntervalMs,
      headers: {
        'dg-request-id': randomUUID(),
        'dg-model-name': model,
        'dg-model-uuid': randomUUID(),
        'dg-char-count': String(body.text.length),
      },
    },
  );
}

/**
 * Deepgram Aura text to speech: `POST /v1/speak?model=&encoding=&sample_rate=&container=`
 * with `{"text": ...}`, answering chunked audio; and `GET /v1/models`, whose
 * `tts` list is the voice catalogue.
 */
export function deepgramSpeakRoutes(options: DeepgramSpeakOptions = {}): SimulatorRoute[] {
  return [
    { method: 'POST', path: '/v1/speak', handler: (exchange) => speak(exchange, options) },
    {
      method: 'GET',
      path: '/v1/models',
      handler: ({ request, response }) => {
        const key = deepgramKeyOf(request.headers.authorization);
        if (!key || !(options.apiKeys ?? ['test-key']).includes(key)) {
          sendJson(response, 401, errorBody('INVALID_AUTH', 'Invalid credentials.'));
          return;
        }
        sendJson(response, 200, {
          stt: [
            {
              name: 'nova-3',
              canonical_name: 'nova-3',
              architecture: 'base',
              languages: ['en'],
              version: '2025-04-17.21547',
              uuid: '00000000-0000-4000-8000-000000000003',
              batch: true,
              streaming: true,
              formatted_output: true,
            },
          ],
          tts: deepgramAuraVoices.map((voice, index) => ({
            name: voice.name,
            canonical_name: voice.canonical_name,
            architecture: voice.canonical_name.startsWith('aura-2') ? 'aura-2' : 'aura',
            languages: [voice.language],
            version: '2025-04-07.0',
            uuid: `00000000-0000-4000-9000-00000000000${index}`,
            metadata: {
              accent: 'American',
              age: 'Adult',
              color: '#C58DFF',
              image: `https://static.example/${voice.name}.png`,
              sample: `https://static.example/${voice.name}.wav`,
              tags: [voice.gender],
              use_cases: ['IVR'],
            },
          })),
        });
      },
    },
  ];
}
