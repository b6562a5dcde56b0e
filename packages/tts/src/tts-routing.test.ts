import { createPatchbay, type PatchbayError, type UsageRecord } from '@patchbay/core';
import { createDeepgramSimulator, type DeepgramSimulator } from '@patchbay/testing/simulators/deepgram';
import { createElevenLabsSimulator, type ElevenLabsSimulator } from '@patchbay/testing/simulators/elevenlabs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deepgramSpeechSynthesizerFactory } from './deepgram/index.js';
import { elevenlabsSpeechSynthesizerFactory } from './elevenlabs/index.js';
import { openaiSpeechSynthesizerFactory } from './openai/index.js';

let elevenlabs: ElevenLabsSimulator;
let deepgram: DeepgramSimulator;

beforeAll(async () => {
  [elevenlabs, deepgram] = await Promise.all([createElevenLabsSimulator().start(), createDeepgramSimulator().start()]);
});
afterAll(async () => {
  await Promise.all([elevenlabs.close(), deepgram.close()]);
});
beforeEach(() => {
  elevenlabs.reset();
  deepgram.reset();
});

const text = 'Press one to confirm your appointment.';

function patchbay(records: UsageRecord[]) {
  return createPatchbay({
    config: {
      providers: {
        eleven: { kind: 'tts', vendor: 'elevenlabs', settings: { baseURL: elevenlabs.url, apiKey: 'test-key' } },
        aura: { kind: 'tts', vendor: 'deepgram', settings: { baseURL: deepgram.url, apiKey: 'test-key' } },
      },
      routes: { tts: { providers: ['eleven', 'aura'], retry: { maxRetries: 0 } } },
      pricing: [{ provider: 'aura', unit: 'characters', price: 0.03, per: 1000 }],
    },
    factories: [elevenlabsSpeechSynthesizerFactory, deepgramSpeechSynthesizerFactory, openaiSpeechSynthesizerFactory],
    env: {},
    usageSinks: [(record) => records.push(record)],
  });
}

describe('speech synthesis through the router', () => {
  it('fails over from ElevenLabs answering 503 to Deepgram, and meters characters', async () => {
    const records: UsageRecord[] = [];
    const pb = patchbay(records);
    elevenlabs.inject({ type: 'status', status: 503 }, { path: /text-to-speech/ });
    const result = await pb.tts.synthesize({ text, format: { encoding: 'mulaw', sampleRate: 8000 } });
    expect(result).toMatchObject({ provider: 'aura', vendor: 'deepgram', characters: text.length });
    expect(result.audio.length).toBe(Math.round(text.length * 0.06 * 8000));
    expect(elevenlabs.requestsTo(/text-to-speech/)).toHaveLength(1);
    expect(deepgram.requestsTo('/v1/speak')).toHaveLength(1);
    expect(records.map((record) => [record.provider, record.outcome, record.unit, record.quantity])).toEqual([
      ['eleven', 'error', 'characters', 0],
      ['aura', 'success', 'characters', text.length],
      ['aura', 'success', 'audio_seconds', result.durationSeconds],
    ]);
    expect(records[1]).toMatchObject({ kind: 'tts', vendor: 'deepgram', model: 'aura-2-thalia-en', route: 'tts' });
    expect(records[1]?.cost).toBeCloseTo((text.length * 0.03) / 1000, 10);
    expect(records[0]?.errorCode).toBe('unavailable');
    pb.close();
  });

  it('fails over a stream before its first chunk and meters it when it ends', async () => {
    const records: UsageRecord[] = [];
    const pb = patchbay(records);
    elevenlabs.inject({ type: 'status', status: 503 }, { path: /text-to-speech/ });
    const result = await pb.tts.stream({ text, format: { encoding: 'pcm_s16le', sampleRate: 16000 } });
    expect(result.provider).toBe('aura');
    let bytes = 0;
    for await (const chunk of result.stream) bytes += chunk.length;
    expect(bytes).toBe(Math.round(text.length * 0.06 * 16000) * 2);
    expect(records.map((record) => [record.provider, record.outcome, record.quantity])).toEqual([
      ['eleven', 'error', 0],
      ['aura', 'success', text.length],
    ]);
    pb.close();
  });

  it('meters audio_seconds for synthesize only when the format makes the duration exact (WAV yes, MP3 no)', async () => {
    const records: UsageRecord[] = [];
    const pb = patchbay(records);
    const wav = await pb.tts.synthesize({ text, format: { encoding: 'wav', sampleRate: 16000 } });
    expect(wav.durationSeconds).toBeCloseTo(text.length * 0.06, 2);
    await pb.tts.synthesize({ text, format: { encoding: 'mp3' } });
    expect(records.map((record) => [record.provider, record.unit, record.quantity])).toEqual([
      ['eleven', 'characters', text.length],
      ['eleven', 'audio_seconds', wav.durationSeconds],
      ['eleven', 'characters', text.length],
    ]);
    pb.close();
  });

  it('serves from the primary when it is healthy, and does not fail over a caller abort', async () => {
    const records: UsageRecord[] = [];
    const pb = patchbay(records);
    expect((await pb.tts.synthesize({ text })).provider).toBe('eleven');
    elevenlabs.inject({ type: 'hang' }, { path: /text-to-speech/ });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const error = (await pb.tts
      .synthesize({ text }, { signal: controller.signal })
      .catch((caught) => caught)) as PatchbayError;
    expect(error.code).toBe('aborted');
    expect(deepgram.requests).toHaveLength(0);
    pb.close();
  });

  it('reports a stream cut after the first chunk as stream_cut, without failing over mid-clip', async () => {
    const records: UsageRecord[] = [];
    const pb = patchbay(records);
    elevenlabs.inject({ type: 'stream-cut', afterChunks: 1 }, { path: /text-to-speech/ });
    const result = await pb.tts.stream({ text: text.repeat(5) });
    const error = (await (async () => {
      for await (const _chunk of result.stream);
    })().catch((caught) => caught)) as PatchbayError;
    expect(error.code).toBe('stream_cut');
    expect(deepgram.requests).toHaveLength(0);
    expect(records.at(-1)).toMatchObject({ provider: 'eleven', outcome: 'stream_cut' });
    pb.close();
  });
});
