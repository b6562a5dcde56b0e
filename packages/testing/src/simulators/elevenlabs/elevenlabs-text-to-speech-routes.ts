import { randomUUID } from 'node:crypto';
import { type SimulatorExchange, type SimulatorRoute, sendChunks, sendJson } from '../framework/index.js';
import {
  contentTypeOf,
  type SyntheticAudioFormat,
  speechDurationSeconds,
  syntheticAudioChunks,
} from '../shared/synthetic-audio.js';
import {
  checkElevenLabsKey,
  type ElevenLabsSimulatorState,
  elevenLabsErrorBody,
} from './elevenlabs-simulator-state.js';

/** Parses an ElevenLabs `output_format` id (`mp3_44100_128`, `pcm_16000`, `ulaw_8000`, `opus_48000_64`…). */
export function parseElevenLabsOutputFormat(id: string): SyntheticAudioFormat | undefined {
  const match = /^(mp3|pcm|wav|ulaw|alaw|opus)_(\d+)(?:_(\d+))?$/.exec(id);
  if (!match) return undefined;
  const [, codec, rate, bitrate] = match;
  const sampleRate = Number(rate);
  const encoding = ({ mp3: 'mp3', pcm: 'pcm_s16le', wav: 'wav', ulaw: 'mulaw', alaw: 'alaw', opus: 'opus' } as const)[
    codec as 'mp3'
  ];
  const rates: Record<string, number[]> = {
    mp3: [22050, 24000, 44100],
    pcm_s16le: [8000, 16000, 22050, 24000, 32000, 44100, 48000],
    wav: [8000, 16000, 22050, 24000, 32000, 44100, 48000],
    mulaw: [8000],
    alaw: [8000],
    opus: [48000],
  };
  if (!rates[encoding]?.includes(sampleRate)) return undefined;
  if ((encoding === 'mp3' || encoding === 'opus') && !bitrate) return undefined;
  return { encoding, sampleRate, bitrateKbps: bitrate ? Number(bitrate) : undefined };
}

async function textToSpeech(exchange: SimulatorExchange, state: ElevenLabsSimulatorState): Promise<void> {
  if (!checkElevenLabsKey(exchange, state)) return;
  const { request, response, params } = exchange;
  const outputFormat = request.query.get('output_format') ?? 'mp3_44100_128';
  const format = parseElevenLabsOutputFormat(outputFormat);
  if (!format) {
    sendJson(
      response,
      400,
      elevenLabsErrorBody(400, `Invalid output format: ${outputFormat}`, 'invalid_output_format'),
    );
    return;
  }
  const body = (request.json ?? {}) as { text?: unknown };
  if (typeof body.text !== 'string' || body.text.length === 0) {
    sendJson(response, 422, { detail: [{ loc: ['body', 'text'], msg: 'Field required', type: 'missing' }] });
    return;
  }
  const voiceId = params.voiceId as string;
  if (!state.voices.some((voice) => voice.voice_id === voiceId)) {
    sendJson(
      response,
      404,
      elevenLabsErrorBody(404, `A voice with the voice_id ${voiceId} was not found.`, 'voice_not_found'),
    );
    return;
  }
  const text = body.text;
  const remaining = state.characterLimit - state.characterCount;
  if (text.length > remaining) {
    sendJson(
      response,
      401,
      elevenLabsErrorBody(
        401,
        `This request exceeds your quota of ${state.characterLimit}. You have ${remaining} credits remaining, while ${text.length} credits are required for this request.`,
        'quota_exceeded',
      ),
    );
    return;
  }
  state.characterCount += text.length;
  const duration = speechDurationSeconds(text, state.secondsPerCharacter);
  await sendChunks(exchange, contentTypeOf(format.encoding), syntheticAudioChunks(format, duration, state.chunkBytes), {
    intervalMs: state.chunkIntervalMs,
    headers: {
      'request-id': randomUUID(),
      'history-item-id': randomUUID().replaceAll('-', '').slice(0, 20),
      'x-character-count': String(text.length),
      'character-cost': String(text.length),
    },
  });
}

/** `POST /v1/text-to-speech/{voice_id}` and its `/stream` twin: chunked audio in the requested `output_format`. */
export function elevenlabsTextToSpeechRoutes(state: ElevenLabsSimulatorState): SimulatorRoute[] {
  return [
    { method: 'POST', path: '/v1/text-to-speech/:voiceId', handler: (exchange) => textToSpeech(exchange, state) },
    {
      method: 'POST',
      path: '/v1/text-to-speech/:voiceId/stream',
      handler: (exchange) => textToSpeech(exchange, state),
    },
  ];
}
