import { randomUUID } from 'node:crypto';
import { type SimulatorRoute, sendChunks, sendJson } from '../framework/index.js';
import {
  contentTypeOf,
  type SyntheticAudioFormat,
  speechDurationSeconds,
  syntheticAudioChunks,
} from '../shared/synthetic-audio.js';

export interface OpenAISpeechRouteOptions {
  /** Seconds of audio per character of input (default 0.06). */
  secondsPerCharacter?: number | undefined;
  /** Size of each audio chunk written (default 4096 bytes). */
  chunkBytes?: number | undefined;
  /** Pause between audio chunks (default none). */
  chunkIntervalMs?: number | undefined;
}

const voices = new Set([
  'alloy',
  'ash',
  'ballad',
  'coral',
  'echo',
  'fable',
  'nova',
  'onyx',
  'sage',
  'shimmer',
  'verse',
  'marin',
  'cedar',
]);
const models = new Set(['tts-1', 'tts-1-hd', 'gpt-4o-mini-tts', 'gpt-4o-mini-tts-2025-12-15']);

/** What each `response_format` produces: OpenAI speaks at 24 kHz (Opus at 48 kHz). */
const formats: Record<string, SyntheticAudioFormat> = {
  mp3: { encoding: 'mp3', sampleRate: 24000, bitrateKbps: 64 },
  opus: { encoding: 'opus', sampleRate: 48000, bitrateKbps: 32 },
  aac: { encoding: 'aac', sampleRate: 24000, bitrateKbps: 64 },
  flac: { encoding: 'flac', sampleRate: 24000, bitrateKbps: 256 },
  wav: { encoding: 'wav', sampleRate: 24000 },
  pcm: { encoding: 'pcm_s16le', sampleRate: 24000 },
};

function invalid(message: string, param: string) {
  return { error: { message, type: 'invalid_request_error', param, code: null } };
}

/**
 * `POST /v1/audio/speech`: chunked audio in the requested `response_format`.
 * Authentication is the enclosing simulator's (the OpenAI simulator checks
 * `Authorization: Bearer` before any route runs).
 */
export function openaiSpeechRoutes(options: OpenAISpeechRouteOptions = {}): SimulatorRoute[] {
  return [
    {
      method: 'POST',
      path: '/v1/audio/speech',
      handler: async (exchange) => {
        const { request, response } = exchange;
        const body = (request.json ?? {}) as {
          model?: unknown;
          input?: unknown;
          voice?: unknown;
          response_format?: unknown;
          speed?: unknown;
        };
        if (typeof body.input !== 'string' || body.input.length === 0) {
          sendJson(response, 400, invalid("Missing required parameter: 'input'.", 'input'));
          return;
        }
        if (body.input.length > 4096) {
          sendJson(response, 400, invalid('Input is too long: at most 4096 characters.', 'input'));
          return;
        }
        if (typeof body.model !== 'string' || !models.has(body.model)) {
          sendJson(response, 400, invalid(`Invalid model: ${String(body.model)}`, 'model'));
          return;
        }
        const voice = typeof body.voice === 'object' && body.voice !== null ? 'custom' : body.voice;
        if (typeof voice !== 'string' || (voice !== 'custom' && !voices.has(voice))) {
          sendJson(response, 400, invalid(`Invalid voice: ${String(body.voice)}`, 'voice'));
          return;
        }
        const formatName = typeof body.response_format === 'string' ? body.response_format : 'mp3';
        const format = formats[formatName];
        if (!format) {
          sendJson(response, 400, invalid(`Invalid response_format: ${formatName}`, 'response_format'));
          return;
        }
        if (body.speed !== undefined && (typeof body.speed !== 'number' || body.speed < 0.25 || body.speed > 4)) {
          sendJson(response, 400, invalid('speed must be between 0.25 and 4.0', 'speed'));
          return;
        }
        const duration = speechDurationSeconds(body.input, options.secondsPerCharacter) / ((body.speed as number) ?? 1);
        await sendChunks(
          exchange,
          formatName === 'opus' ? 'audio/opus' : contentTypeOf(format.encoding),
          syntheticAudioChunks(format, duration, options.chunkBytes ?? 4096),
          {
            intervalMs: options.chunkIntervalMs,
            headers: { 'x-request-id': `req_${randomUUID().replaceAll('-', '')}`, 'openai-processing-ms': '12' },
          },
        );
      },
    },
  ];
}
