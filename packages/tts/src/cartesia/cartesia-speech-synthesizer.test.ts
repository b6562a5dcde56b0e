import { defineSpeechSynthesizerConformance, runConformance } from '@patchbay/testing';
import { failureOf as failure } from '@patchbay/testing/conformance';
import { type CartesiaSimulator, createCartesiaSimulator } from '@patchbay/testing/simulators/cartesia';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineSpeechAdapterFaultCases, drain } from '../shared/speech-adapter-test-cases.js';
import {
  type CartesiaSpeechSynthesizerOptions,
  cartesiaSpeechSynthesizerFactory,
  createCartesiaSpeechSynthesizer,
} from './index.js';

const apiKey = 'test-key';
let simulator: CartesiaSimulator;

beforeAll(async () => {
  simulator = await createCartesiaSimulator().start();
});
afterAll(() => simulator.close());
beforeEach(() => simulator.reset());

const create = (options: CartesiaSpeechSynthesizerOptions = {}) =>
  createCartesiaSpeechSynthesizer({ id: 'speech', baseURL: simulator.url, env: {}, ...options });
const text = 'Your appointment is confirmed.';

describe('Cartesia speech synthesizer', () => {
  it('synthesizes MP3 by default through /tts/bytes with the vendor request shape', async () => {
    const result = await create({ apiKey }).synthesize({ text, language: 'en-GB' });
    const [request] = simulator.requestsTo('/tts/bytes');
    expect(request?.headers['x-api-key']).toBe(apiKey);
    expect(request?.headers['cartesia-version']).toBe('2025-04-16');
    expect(request?.json).toEqual({
      model_id: 'sonic-2',
      voice: { mode: 'id', id: 'a0e99841-438c-4a64-b679-ae501e7d6091' },
      language: 'en',
      transcript: text,
      output_format: { container: 'mp3', sample_rate: 44100, bit_rate: 128000 },
    });
    expect(result.audio[0]).toBe(0xff);
    expect(result).toMatchObject({
      format: { encoding: 'mp3', sampleRate: 44100 },
      characters: text.length,
      vendor: 'cartesia',
      model: 'sonic-2',
    });
  });

  it('produces raw μ-law at 8 kHz for telephony', async () => {
    const result = await create({ apiKey }).synthesize({ text, format: { encoding: 'mulaw', sampleRate: 8000 } });
    expect((simulator.requests[0]?.json as { output_format?: unknown } | undefined)?.output_format).toEqual({
      container: 'raw',
      encoding: 'pcm_mulaw',
      sample_rate: 8000,
    });
    expect(result.audio.length).toBe(Math.round(text.length * 0.06 * 8000));
    expect(result.durationSeconds).toBeCloseTo(text.length * 0.06, 2);
  });

  it('streams raw formats over the websocket, key in headers, never in the URL', async () => {
    const result = await create({ apiKey }).stream({
      text: text.repeat(4),
      format: { encoding: 'pcm_s16le', sampleRate: 16000 },
    });
    const { chunks, bytes } = await drain(result.stream);
    expect(chunks).toBeGreaterThan(1);
    expect(bytes).toBe(Math.round(text.length * 4 * 0.06 * 16000) * 2);
    const [session] = simulator.websocket.sessions;
    expect(session?.headers['x-api-key']).toBe(apiKey);
    expect(session?.query.has('api_key')).toBe(false);
    expect(session?.messages).toEqual([
      expect.objectContaining({
        transcript: text.repeat(4),
        continue: false,
        output_format: { container: 'raw', encoding: 'pcm_s16le', sample_rate: 16000 },
      }),
    ]);
    expect(simulator.requestsTo('/tts/bytes')).toHaveLength(0);
  });

  it('streams WAV and MP3 through /tts/bytes, since the websocket produces raw audio only', async () => {
    const result = await create({ apiKey }).stream({ text, format: { encoding: 'wav', sampleRate: 24000 } });
    await drain(result.stream);
    expect(simulator.requestsTo('/tts/bytes')).toHaveLength(1);
    expect(simulator.websocket.sessions).toHaveLength(0);
  });

  it('maps a websocket error event (429 concurrency_limited) to rate_limited', async () => {
    simulator.inject({ type: 'status', status: 429 }, { path: '/tts/websocket' });
    const error = await failure(create({ apiKey }).stream({ text, format: { encoding: 'pcm_s16le' } }));
    expect(error).toMatchObject({ code: 'rate_limited', vendorCode: 'concurrency_limited', provider: 'speech' });
  });

  it('reports a refused websocket handshake with its real cause (the key), asked of the REST API', async () => {
    const error = await failure(
      create({ apiKey: 'wrong-key-123' }).stream({ text, format: { encoding: 'pcm_s16le' } }),
    );
    expect(error).toMatchObject({ code: 'auth', status: 401 });
    expect(JSON.stringify(error)).not.toContain('wrong-key-123');
  });

  it('ends a websocket stream with stream_cut when the connection drops mid-way', async () => {
    simulator.inject({ type: 'stream-cut', afterChunks: 2 }, { path: '/tts/websocket' });
    const result = await create({ apiKey }).stream({
      text: text.repeat(6),
      format: { encoding: 'pcm_s16le', sampleRate: 24000 },
    });
    const error = await failure(drain(result.stream));
    expect(error.code).toBe('stream_cut');
  });

  it('ends a websocket stream with stream_cut when Cartesia reports an error after audio went out', async () => {
    simulator.injectWebSocket({ type: 'error-after', afterChunks: 2, status: 500 });
    const result = await create({ apiKey }).stream({
      text: text.repeat(6),
      format: { encoding: 'pcm_s16le', sampleRate: 24000 },
    });
    let chunks = 0;
    const error = await failure(
      (async () => {
        for await (const _chunk of result.stream) chunks++;
      })(),
    );
    expect(chunks).toBe(2);
    expect(error).toMatchObject({ code: 'stream_cut', status: 500, provider: 'speech', retryable: true });
  });

  it('maps an unreadable websocket message before any audio to connection', async () => {
    simulator.inject({ type: 'malformed' }, { path: '/tts/websocket' });
    const error = await failure(create({ apiKey }).stream({ text, format: { encoding: 'pcm_s16le' } }));
    expect(error.code).toBe('connection');
  });

  it('maps an unknown model (400 model_not_found) and an unknown voice (404) to invalid_request', async () => {
    await expect(create({ apiKey }).synthesize({ text, model: 'sonic-x' })).rejects.toMatchObject({
      code: 'invalid_request',
      status: 400,
      vendorCode: 'model_not_found',
    });
    await expect(create({ apiKey }).synthesize({ text, voice: 'no-such-voice' })).rejects.toMatchObject({
      code: 'invalid_request',
      status: 404,
      vendorCode: 'voice_not_found',
    });
  });

  it('maps 402 to quota_exceeded and a plain-text error of older API versions by its status', async () => {
    simulator.inject({ type: 'status', status: 402 }, { path: '/tts/bytes' });
    await expect(create({ apiKey }).synthesize({ text })).rejects.toMatchObject({ code: 'quota_exceeded' });
  });

  it('sends speed to sonic-3 models and warns for others', async () => {
    const provider = create({ apiKey });
    const fast = await provider.synthesize({ text, model: 'sonic-3', speed: 1.2 });
    expect(fast.warnings).toEqual([]);
    expect((simulator.requests[0]?.json as Record<string, unknown> | undefined)?.generation_config).toEqual({
      speed: 1.2,
    });
    const older = await provider.synthesize({ text, speed: 1.2 });
    expect(older.warnings).toEqual([expect.objectContaining({ setting: 'speed' })]);
  });

  it('lists voices', async () => {
    const voices = await create({ apiKey }).listVoices();
    expect(voices).toContainEqual({
      id: '694f9389-aac1-45b6-b726-9d9369183238',
      name: 'Sarah',
      language: 'en',
      gender: 'feminine',
    });
  });

  it('is built by its factory from configuration with CARTESIA_API_KEY', async () => {
    const provider = cartesiaSpeechSynthesizerFactory.create({
      id: 'voice',
      settings: { baseURL: simulator.url },
      runtime: { env: { CARTESIA_API_KEY: apiKey } },
    });
    expect(await provider.synthesize({ text })).toMatchObject({ provider: 'voice', vendor: 'cartesia' });
  });

  describe('faults (REST)', () => {
    defineSpeechAdapterFaultCases({
      simulator: () => simulator,
      create: (options) => create({ ...options, streamTransport: 'bytes' }),
      validApiKey: apiKey,
      speechPath: '/tts/bytes',
      unsupportedFormat: { encoding: 'mulaw', sampleRate: 16000 },
    });
  });

  describe('conformance (stream() over the websocket)', () => {
    runConformance(
      defineSpeechSynthesizerConformance({
        simulator: () => simulator,
        create: (settings) => createCartesiaSpeechSynthesizer({ ...settings, format: { encoding: 'pcm_s16le' } }),
        validApiKey: apiKey,
        invalidApiKey: 'cartesia-invalid',
        apiKeyEnv: 'CARTESIA_API_KEY',
        faultPath: '/tts/bytes',
        streamFaultPath: '/tts/websocket',
      }),
      { it },
    );
  });
});
