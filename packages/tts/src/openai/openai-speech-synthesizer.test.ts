import type { LanguageModelSimulator } from '@patchbay/testing/simulators/openai';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineSpeechAdapterSuites, drain } from '../shared/speech-adapter-test-cases.js';
import {
  createOpenAISpeechSynthesizer,
  type OpenAISpeechSynthesizerOptions,
  openaiSpeechSynthesizerFactory,
} from './index.js';
import { openAISpeechError } from './openai-error.js';

const apiKey = 'sk-valid-tts-key-5c1d';
let simulator: LanguageModelSimulator;

beforeAll(async () => {
  simulator = await createOpenAISimulator({ apiKeys: [apiKey] }).start();
});
afterAll(() => simulator.close());
beforeEach(() => simulator.reset());

const create = (options: OpenAISpeechSynthesizerOptions = {}) =>
  createOpenAISpeechSynthesizer({ id: 'speech', baseURL: `${simulator.url}/v1`, env: {}, ...options });
const text = 'Your appointment is confirmed.';

describe('OpenAI speech synthesizer', () => {
  it('synthesizes MP3 by default with the vendor request shape', async () => {
    const result = await create({ apiKey, instructions: 'Speak warmly.' }).synthesize({ text, speed: 1.25 });
    const [request] = simulator.requestsTo('/v1/audio/speech');
    expect(request?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(request?.json).toEqual({
      model: 'gpt-4o-mini-tts',
      voice: 'alloy',
      input: text,
      response_format: 'mp3',
      speed: 1.25,
      instructions: 'Speak warmly.',
    });
    expect([...result.audio.subarray(0, 2)]).toEqual([0xff, 0xf3]);
    expect(result).toMatchObject({
      format: { encoding: 'mp3', sampleRate: 24000, channels: 1 },
      characters: text.length,
      provider: 'speech',
      vendor: 'openai',
      model: 'gpt-4o-mini-tts',
      voice: 'alloy',
      warnings: [],
    });
  });

  it('produces 24 kHz PCM whose length matches its duration, and warns that language is not taken', async () => {
    const result = await create({ apiKey }).synthesize({
      text,
      voice: 'coral',
      model: 'tts-1',
      language: 'fr-FR',
      format: { encoding: 'pcm_s16le' },
      providerOptions: { openai: { instructions: 'Whisper.' } },
    });
    expect(simulator.requests[0]?.json).toMatchObject({
      response_format: 'pcm',
      voice: 'coral',
      model: 'tts-1',
      instructions: 'Whisper.',
    });
    expect(result.format).toEqual({ encoding: 'pcm_s16le', sampleRate: 24000, channels: 1 });
    expect(result.audio.length).toBe(Math.round(text.length * 0.06 * 24000) * 2);
    expect(result.durationSeconds).toBeCloseTo(text.length * 0.06, 2);
    expect(result.warnings).toEqual([expect.objectContaining({ type: 'unsupported-setting', setting: 'language' })]);
  });

  it('returns WAV with a RIFF header', async () => {
    const result = await create({ apiKey }).synthesize({ text, format: { encoding: 'wav' } });
    expect(new TextDecoder().decode(result.audio.subarray(0, 4))).toBe('RIFF');
    expect(result.durationSeconds).toBeCloseTo(text.length * 0.06, 2);
  });

  it('streams audio chunks as they arrive', async () => {
    const result = await create({ apiKey }).stream({ text: text.repeat(6), format: { encoding: 'pcm_s16le' } });
    const { chunks, bytes } = await drain(result.stream);
    expect(chunks).toBeGreaterThan(1);
    expect(bytes).toBe(Math.round(text.length * 6 * 0.06 * 24000) * 2);
  });

  it('refuses μ-law and 16 kHz PCM, which OpenAI cannot produce', async () => {
    const provider = create({ apiKey });
    await expect(provider.synthesize({ text, format: { encoding: 'mulaw', sampleRate: 8000 } })).rejects.toMatchObject({
      code: 'invalid_request',
      details: { field: 'format' },
    });
    await expect(
      provider.synthesize({ text, format: { encoding: 'pcm_s16le', sampleRate: 16000 } }),
    ).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('16000') });
    expect(simulator.requests).toHaveLength(0);
    expect(provider.capabilities.listVoices).toBe(false);
  });

  it('maps a rejected voice (400) to invalid_request', async () => {
    const error = await create({ apiKey })
      .synthesize({ text, voice: 'nobody' })
      .catch((caught: unknown) => caught as { code: string; status: number });
    expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
  });

  it('maps 429 insufficient_quota to quota_exceeded, other 429s to rate_limited', async () => {
    const { APIError } = await import('openai');
    const quota = APIError.generate(
      429,
      { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } },
      undefined,
      new Headers(),
    );
    expect(openAISpeechError(quota)).toMatchObject({
      code: 'quota_exceeded',
      retryable: false,
      vendorCode: 'insufficient_quota',
    });
    const limited = APIError.generate(
      429,
      { error: { message: 'Slow down', type: 'requests', code: 'rate_limit_exceeded' } },
      undefined,
      new Headers({ 'retry-after-ms': '1500' }),
    );
    expect(openAISpeechError(limited)).toMatchObject({ code: 'rate_limited', retryAfterMs: 1500 });
  });

  it('is built by its factory from configuration', async () => {
    const provider = openaiSpeechSynthesizerFactory.create({
      id: 'voice',
      settings: { baseURL: `${simulator.url}/v1`, voice: 'nova' },
      runtime: { env: { OPENAI_API_KEY: apiKey } },
    });
    const result = await provider.synthesize({ text });
    expect(result).toMatchObject({ provider: 'voice', voice: 'nova' });
  });

  defineSpeechAdapterSuites({
    simulator: () => simulator,
    create,
    validApiKey: apiKey,
    speechPath: '/v1/audio/speech',
    unsupportedFormat: { encoding: 'mulaw', sampleRate: 8000 },
    conformance: {
      create: (settings) => createOpenAISpeechSynthesizer({ ...settings, baseURL: `${settings.baseURL}/v1` }),
      invalidApiKey: 'sk-invalid',
    },
  });
});
