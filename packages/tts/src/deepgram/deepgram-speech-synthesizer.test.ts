import { createDeepgramSimulator, type DeepgramSimulator } from '@patchbay/testing/simulators/deepgram';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineSpeechAdapterSuites, drain } from '../shared/speech-adapter-test-cases.js';
import {
  createDeepgramSpeechSynthesizer,
  type DeepgramSpeechSynthesizerOptions,
  deepgramSpeechSynthesizerFactory,
} from './index.js';

// The speak routes accept the simulator's default key.
const apiKey = 'test-key';
let simulator: DeepgramSimulator;

beforeAll(async () => {
  simulator = await createDeepgramSimulator().start();
});
afterAll(() => simulator.close());
beforeEach(() => simulator.reset());

const create = (options: DeepgramSpeechSynthesizerOptions = {}) =>
  createDeepgramSpeechSynthesizer({ id: 'speech', baseURL: simulator.url, env: {}, ...options });
const text = 'Your appointment is confirmed.';

describe('Deepgram Aura speech synthesizer', () => {
  it('synthesizes MP3 by default with the vendor request shape', async () => {
    const result = await create({ apiKey, mp3BitRate: 32000 }).synthesize({ text, speed: 1.2 });
    const [request] = simulator.requestsTo('/v1/speak');
    expect(request?.headers.authorization).toBe(`Token ${apiKey}`);
    expect(Object.fromEntries(request?.query ?? [])).toEqual({
      model: 'aura-2-thalia-en',
      encoding: 'mp3',
      bit_rate: '32000',
      speed: '1.2',
    });
    expect(request?.json).toEqual({ text });
    expect([...result.audio.subarray(0, 2)]).toEqual([0xff, 0xf3]);
    expect(result).toMatchObject({
      format: { encoding: 'mp3', sampleRate: 22050, channels: 1 },
      characters: text.length,
      provider: 'speech',
      vendor: 'deepgram',
      model: 'aura-2-thalia-en',
      voice: 'aura-2-thalia-en',
    });
  });

  it('asks for raw μ-law at 8 kHz (container=none) for telephony', async () => {
    const result = await create({ apiKey }).synthesize({ text, format: { encoding: 'mulaw', sampleRate: 8000 } });
    expect(Object.fromEntries(simulator.requests[0]?.query ?? [])).toMatchObject({
      encoding: 'mulaw',
      container: 'none',
      sample_rate: '8000',
    });
    expect(result.audio.length).toBe(Math.round(text.length * 0.06 * 8000));
    expect(result.durationSeconds).toBeCloseTo(text.length * 0.06, 2);
  });

  it('produces raw 16 kHz PCM and linear16 WAV', async () => {
    const provider = create({ apiKey });
    const pcm = await provider.synthesize({ text, format: { encoding: 'pcm_s16le', sampleRate: 16000 } });
    expect(pcm.audio.length).toBe(Math.round(text.length * 0.06 * 16000) * 2);
    const wav = await provider.synthesize({ text, format: { encoding: 'wav', sampleRate: 24000 } });
    expect(Object.fromEntries(simulator.requests[1]?.query ?? [])).toMatchObject({
      encoding: 'linear16',
      container: 'wav',
      sample_rate: '24000',
    });
    expect(new TextDecoder().decode(wav.audio.subarray(0, 4))).toBe('RIFF');
    expect(wav.durationSeconds).toBeCloseTo(text.length * 0.06, 2);
  });

  it('takes the voice from request.voice, else request.model, and warns that language follows the voice', async () => {
    const provider = create({ apiKey });
    const byVoice = await provider.synthesize({ text, voice: 'aura-2-apollo-en', language: 'en-US' });
    expect(byVoice).toMatchObject({ voice: 'aura-2-apollo-en', model: 'aura-2-apollo-en' });
    expect(byVoice.warnings).toEqual([expect.objectContaining({ setting: 'language' })]);
    const byModel = await provider.synthesize({ text, model: 'aura-asteria-en' });
    expect(byModel.voice).toBe('aura-asteria-en');
    expect(simulator.requests.map((request) => request.query.get('model'))).toEqual([
      'aura-2-apollo-en',
      'aura-asteria-en',
    ]);
  });

  it('streams audio chunks as they arrive', async () => {
    const result = await create({ apiKey }).stream({
      text: text.repeat(6),
      format: { encoding: 'pcm_s16le', sampleRate: 24000 },
    });
    const { chunks, bytes } = await drain(result.stream);
    expect(chunks).toBeGreaterThan(1);
    expect(bytes).toBe(Math.round(text.length * 6 * 0.06 * 24000) * 2);
  });

  it('lists Aura voices from the model catalogue', async () => {
    const voices = await create({ apiKey }).listVoices();
    expect(voices).toContainEqual({
      id: 'aura-2-thalia-en',
      name: 'thalia',
      language: 'en-US',
      gender: 'feminine',
      previewUrl: 'https://static.example/thalia.wav',
    });
    expect(voices.every((voice) => voice.id.startsWith('aura'))).toBe(true);
  });

  it('maps an unknown voice (400) to invalid_request with the vendor code', async () => {
    await expect(create({ apiKey }).synthesize({ text, voice: 'aura-nobody' })).rejects.toMatchObject({
      code: 'invalid_request',
      status: 400,
      vendorCode: 'INVALID_QUERY_PARAMETER',
    });
  });

  it('maps 402 to quota_exceeded', async () => {
    simulator.inject({ type: 'status', status: 402 }, { path: '/v1/speak' });
    await expect(create({ apiKey }).synthesize({ text })).rejects.toMatchObject({
      code: 'quota_exceeded',
      retryable: false,
    });
  });

  it('is built by its factory from configuration', async () => {
    const provider = deepgramSpeechSynthesizerFactory.create({
      id: 'voice',
      settings: { baseURL: simulator.url, voice: 'aura-2-andromeda-en' },
      runtime: { env: { DEEPGRAM_API_KEY: apiKey } },
    });
    expect(await provider.synthesize({ text })).toMatchObject({ provider: 'voice', voice: 'aura-2-andromeda-en' });
  });

  defineSpeechAdapterSuites({
    simulator: () => simulator,
    create,
    validApiKey: apiKey,
    speechPath: '/v1/speak',
    unsupportedFormat: { encoding: 'mulaw', sampleRate: 44100 },
    conformance: {
      create: (settings) => createDeepgramSpeechSynthesizer(settings),
      invalidApiKey: 'dg-invalid',
    },
  });
});
