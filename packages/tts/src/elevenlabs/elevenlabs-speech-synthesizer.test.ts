import { createElevenLabsSimulator, type ElevenLabsSimulator } from '@patchbay/testing/simulators/elevenlabs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineSpeechAdapterSuites } from '../shared/speech-adapter-test-cases.js';
import {
  createElevenLabsSpeechSynthesizer,
  type ElevenLabsSpeechSynthesizerOptions,
  elevenlabsSpeechSynthesizerFactory,
} from './index.js';

const apiKey = 'el-valid-key-7f3a';
let simulator: ElevenLabsSimulator;

beforeAll(async () => {
  simulator = await createElevenLabsSimulator({ validKeys: [apiKey, 'el-rotated-key-91b2'] }).start();
});
afterAll(() => simulator.close());
beforeEach(() => {
  simulator.reset();
  simulator.state.characterCount = 0;
  simulator.state.characterLimit = 1_000_000;
});

const create = (options: ElevenLabsSpeechSynthesizerOptions = {}) =>
  createElevenLabsSpeechSynthesizer({ id: 'speech', baseURL: simulator.url, env: {}, ...options });
const text = 'Your appointment is confirmed.';

describe('ElevenLabs speech synthesizer', () => {
  it('synthesizes MP3 by default through the SDK, with the vendor request shape', async () => {
    const result = await create({ apiKey }).synthesize({ text, speed: 1.1, language: 'en-GB' });
    expect(result.warnings).toEqual([expect.objectContaining({ type: 'unsupported-setting', setting: 'language' })]);
    const [request] = simulator.requestsTo(/^\/v1\/text-to-speech\//);
    expect(request?.path).toBe('/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb');
    expect(request?.query.get('output_format')).toBe('mp3_44100_128');
    expect(request?.headers['xi-api-key']).toBe(apiKey);
    expect(request?.json).toMatchObject({
      text,
      model_id: 'eleven_multilingual_v2',
      voice_settings: { speed: 1.1 },
    });
    // The default model takes no language_code: none is sent (not even null), as the warning says.
    expect(request?.json).not.toHaveProperty('language_code');
    expect(result.warnings[0]?.message).toBe(
      'eleven_multilingual_v2 detects the language from the text; language_code was not sent',
    );
    expect([...result.audio.subarray(0, 2)]).toEqual([0xff, 0xfb]);
    expect(result).toMatchObject({
      format: { encoding: 'mp3', sampleRate: 44100, channels: 1 },
      characters: text.length,
      provider: 'speech',
      vendor: 'elevenlabs',
      model: 'eleven_multilingual_v2',
      voice: 'JBFqnCBsd6RMkjVDRZzb',
      durationSeconds: undefined,
    });
    expect(simulator.state.characterCount).toBe(text.length);
  });

  it('produces 16 kHz PCM whose length matches its duration', async () => {
    const result = await create({ apiKey }).synthesize({ text, format: { encoding: 'pcm_s16le', sampleRate: 16000 } });
    expect(simulator.requests[0]?.query.get('output_format')).toBe('pcm_16000');
    const expectedSeconds = text.length * 0.06;
    expect(result.audio.length).toBe(Math.round(expectedSeconds * 16000) * 2);
    expect(result.durationSeconds).toBeCloseTo(expectedSeconds, 2);
  });

  it('stream() with the default model sends no language_code either, with the same warning', async () => {
    const result = await create({ apiKey }).stream({ text, language: 'de-DE' });
    for await (const _chunk of result.stream);
    const [request] = simulator.requestsTo(/\/stream$/);
    expect(request?.json).toMatchObject({ model_id: 'eleven_multilingual_v2' });
    expect(request?.json).not.toHaveProperty('language_code');
    expect(result.warnings).toEqual([expect.objectContaining({ type: 'unsupported-setting', setting: 'language' })]);
  });

  it('sends the language as ISO 639-1 to models that take one', async () => {
    const result = await create({ apiKey, model: 'eleven_flash_v2_5' }).synthesize({ text, language: 'pt-BR' });
    expect(simulator.requests[0]?.json).toMatchObject({ model_id: 'eleven_flash_v2_5', language_code: 'pt' });
    expect(result.warnings).toEqual([]);
  });

  it('produces 8 kHz μ-law for telephony and a RIFF WAV on request', async () => {
    const provider = create({ apiKey });
    const mulaw = await provider.synthesize({ text, format: { encoding: 'mulaw', sampleRate: 8000 } });
    expect(simulator.requests[0]?.query.get('output_format')).toBe('ulaw_8000');
    expect(mulaw.audio.length).toBe(Math.round(text.length * 0.06 * 8000));
    const wav = await provider.synthesize({ text, format: { encoding: 'wav', sampleRate: 22050 } });
    expect(simulator.requests[1]?.query.get('output_format')).toBe('wav_22050');
    expect(new TextDecoder().decode(wav.audio.subarray(0, 4))).toBe('RIFF');
    expect(wav.durationSeconds).toBeCloseTo(text.length * 0.06, 2);
  });

  it('streams from the /stream endpoint, handing chunks over as they arrive', async () => {
    simulator.state.chunkBytes = 1024;
    simulator.state.chunkIntervalMs = 15;
    try {
      const started = performance.now();
      const result = await create({ apiKey }).stream({
        text: text.repeat(2),
        voice: '21m00Tcm4TlvDq8ikWAM',
        format: { encoding: 'pcm_s16le', sampleRate: 8000 },
      });
      const resolvedAfter = performance.now() - started;
      const arrivals: number[] = [];
      let bytes = 0;
      for await (const chunk of result.stream) {
        arrivals.push(performance.now() - started);
        bytes += chunk.length;
      }
      expect(simulator.requests[0]?.path).toBe('/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/stream');
      expect(bytes).toBe(Math.round(text.length * 2 * 0.06 * 8000) * 2);
      expect(arrivals.length).toBeGreaterThan(5);
      // The call resolved with the first chunk, long before the last one was even sent.
      const last = arrivals.at(-1) as number;
      expect(last - resolvedAfter).toBeGreaterThan(15 * (arrivals.length - 2) * 0.8);
      expect(result).toMatchObject({
        characters: text.length * 2,
        voice: '21m00Tcm4TlvDq8ikWAM',
        vendor: 'elevenlabs',
      });
    } finally {
      simulator.state.chunkBytes = 4096;
      simulator.state.chunkIntervalMs = 0;
    }
  });

  it('lists the account voices', async () => {
    const voices = await create({ apiKey }).listVoices();
    expect(voices).toContainEqual({
      id: 'JBFqnCBsd6RMkjVDRZzb',
      name: 'George',
      language: 'en',
      gender: 'male',
      previewUrl: 'https://storage.example/voices/george.mp3',
    });
    expect(simulator.requests[0]?.path).toBe('/v1/voices');
  });

  it('maps an exhausted character quota (401 quota_exceeded) to quota_exceeded, not auth', async () => {
    simulator.state.characterLimit = 10;
    const error = await create({ apiKey })
      .synthesize({ text })
      .catch((caught: unknown) => caught as { code: string; vendorCode: string; retryable: boolean });
    expect(error).toMatchObject({ code: 'quota_exceeded', vendorCode: 'quota_exceeded', retryable: false });
  });

  it('maps an unknown voice to invalid_request', async () => {
    const error = await create({ apiKey })
      .synthesize({ text, voice: 'no-such-voice' })
      .catch((caught: unknown) => caught as { code: string; vendorCode: string });
    expect(error).toMatchObject({ code: 'invalid_request', vendorCode: 'voice_not_found' });
  });

  it('reports the quota in test()', async () => {
    const health = await create({ apiKey }).test();
    expect(health.details).toMatchObject({ characterCount: 0, characterLimit: 1_000_000, tier: 'creator' });
  });

  it('applies a rotated key to the next call while a call in flight keeps its own', async () => {
    const provider = create({ apiKey });
    simulator.inject({ type: 'delay', ms: 100 }, { path: /text-to-speech/ });
    const inFlight = provider.synthesize({ text });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await provider.updateConfig({ apiKey: 'el-rotated-key-91b2' });
    await provider.synthesize({ text });
    await inFlight;
    const keys = simulator.requestsTo(/text-to-speech/).map((request) => request.headers['xi-api-key']);
    expect(keys).toEqual([apiKey, 'el-rotated-key-91b2']);
    await expect(provider.updateConfig({ optimizeStreamingLatency: 9 })).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('optimizeStreamingLatency'),
    });
  });

  it('is built by its factory from configuration', async () => {
    const provider = elevenlabsSpeechSynthesizerFactory.create({
      id: 'voice',
      settings: { baseURL: simulator.url, voice: 'EXAVITQu4vr4xnSDxMaL' },
      runtime: { env: { ELEVENLABS_API_KEY: apiKey } },
    });
    const result = await provider.synthesize({ text });
    expect(result).toMatchObject({ provider: 'voice', voice: 'EXAVITQu4vr4xnSDxMaL' });
    expect(provider.capabilities.formats).toContainEqual({ encoding: 'mulaw', sampleRates: [8000] });
  });

  defineSpeechAdapterSuites({
    simulator: () => simulator,
    create,
    validApiKey: apiKey,
    speechPath: /^\/v1\/text-to-speech\//,
    unsupportedFormat: { encoding: 'pcm_s16le', sampleRate: 11025 },
    conformance: {
      create: (settings) => createElevenLabsSpeechSynthesizer(settings),
      invalidApiKey: 'el-invalid-key',
      rotatedApiKey: 'el-rotated-key-91b2',
    },
  });
});
