import { createPatchbay, type UsageRecord } from '@patchbay/core';
import { type AzureSpeechSimulator, createAzureSpeechSimulator } from '@patchbay/testing/simulators/azure-speech';
import { type CartesiaSimulator, createCartesiaSimulator } from '@patchbay/testing/simulators/cartesia';
import { createElevenLabsSimulator, type ElevenLabsSimulator } from '@patchbay/testing/simulators/elevenlabs';
import { createGoogleCloudSimulator, type GoogleCloudSimulator } from '@patchbay/testing/simulators/google-cloud';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { azureSpeechSynthesizerFactory } from '../azure/index.js';
import { elevenlabsSpeechSynthesizerFactory } from '../elevenlabs/index.js';
import { googleSpeechSynthesizerFactory } from '../google/index.js';
import { cartesiaSpeechSynthesizerFactory } from './index.js';

// The new speech vendors behind the router, next to an old one: failover and metering.
let elevenlabs: ElevenLabsSimulator;
let cartesia: CartesiaSimulator;
let azure: AzureSpeechSimulator;
let google: GoogleCloudSimulator;

beforeAll(async () => {
  [elevenlabs, cartesia, azure, google] = await Promise.all([
    createElevenLabsSimulator().start(),
    createCartesiaSimulator().start(),
    createAzureSpeechSimulator().start(),
    createGoogleCloudSimulator().start(),
  ]);
});
afterAll(async () => {
  await Promise.all([elevenlabs.close(), cartesia.close(), azure.close(), google.close()]);
});
beforeEach(() => {
  for (const simulator of [elevenlabs, cartesia, azure, google]) simulator.reset();
});

const text = 'Press one to confirm your appointment.';

function patchbay(route: string[], records: UsageRecord[]) {
  return createPatchbay({
    config: {
      providers: {
        eleven: { kind: 'tts', vendor: 'elevenlabs', settings: { baseURL: elevenlabs.url, apiKey: 'test-key' } },
        sonic: { kind: 'tts', vendor: 'cartesia', settings: { baseURL: cartesia.url, apiKey: 'test-key' } },
        azure: { kind: 'tts', vendor: 'azure', settings: { baseURL: azure.url, apiKey: 'test-key' } },
        google: { kind: 'tts', vendor: 'google', settings: { baseURL: google.url, apiKey: 'test-key' } },
      },
      routes: { tts: { providers: route, retry: { maxRetries: 0 } } },
      pricing: [
        { provider: 'sonic', unit: 'characters', price: 0.04, per: 1000 },
        { provider: 'azure', unit: 'characters', price: 15, per: 1_000_000 },
      ],
    },
    factories: [
      elevenlabsSpeechSynthesizerFactory,
      cartesiaSpeechSynthesizerFactory,
      azureSpeechSynthesizerFactory,
      googleSpeechSynthesizerFactory,
    ],
    env: {},
    usageSinks: [(record) => records.push(record)],
  });
}

describe('new speech vendors through the router', () => {
  it('fails over from ElevenLabs answering 503 to Cartesia for 8 kHz μ-law, metering characters', async () => {
    const records: UsageRecord[] = [];
    const pb = patchbay(['eleven', 'sonic'], records);
    elevenlabs.inject({ type: 'status', status: 503 }, { path: /text-to-speech/ });
    const result = await pb.tts.synthesize({ text, format: { encoding: 'mulaw', sampleRate: 8000 } });
    expect(result).toMatchObject({ provider: 'sonic', vendor: 'cartesia', characters: text.length });
    expect(result.audio.length).toBe(Math.round(text.length * 0.06 * 8000));
    expect(records.map((record) => [record.provider, record.outcome, record.unit, record.quantity])).toEqual([
      ['eleven', 'error', 'characters', 0],
      ['sonic', 'success', 'characters', text.length],
      ['sonic', 'success', 'audio_seconds', result.durationSeconds],
    ]);
    expect(records[1]?.cost).toBeCloseTo((text.length * 0.04) / 1000, 10);
    await pb.close();
  });

  it('fails a websocket stream over from Cartesia (rejected key) to ElevenLabs before its first chunk', async () => {
    const records: UsageRecord[] = [];
    const pb = createPatchbay({
      config: {
        providers: {
          sonic: { kind: 'tts', vendor: 'cartesia', settings: { baseURL: cartesia.url, apiKey: 'revoked' } },
          eleven: { kind: 'tts', vendor: 'elevenlabs', settings: { baseURL: elevenlabs.url, apiKey: 'test-key' } },
        },
        routes: { tts: { providers: ['sonic', 'eleven'], retry: { maxRetries: 0 } } },
      },
      factories: [cartesiaSpeechSynthesizerFactory, elevenlabsSpeechSynthesizerFactory],
      env: {},
      usageSinks: [(record) => records.push(record)],
    });
    const result = await pb.tts.stream({ text, format: { encoding: 'pcm_s16le', sampleRate: 16000 } });
    let bytes = 0;
    for await (const chunk of result.stream) bytes += chunk.length;
    expect(result.provider).toBe('eleven');
    expect(bytes).toBe(Math.round(text.length * 0.06 * 16000) * 2);
    expect(records.find((record) => record.provider === 'sonic')).toMatchObject({
      outcome: 'error',
      errorCode: 'auth',
    });
    await pb.close();
  });

  it('fails over from Azure (429) to Google and back to nothing else: usage names each attempt', async () => {
    const records: UsageRecord[] = [];
    const pb = patchbay(['azure', 'google'], records);
    azure.inject({ type: 'status', status: 429, retryAfterSeconds: 1 }, { path: '/cognitiveservices/v1' });
    const result = await pb.tts.synthesize({ text, format: { encoding: 'mulaw', sampleRate: 8000 } });
    expect(result).toMatchObject({ provider: 'google', vendor: 'google' });
    expect(result.audio.length).toBe(Math.round(text.length * 0.06 * 8000));
    expect(
      records.filter((record) => record.unit === 'characters').map((record) => [record.provider, record.outcome]),
    ).toEqual([
      ['azure', 'error'],
      ['google', 'success'],
    ]);
    await pb.close();
  });

  it('routes a stream past Google, which does not stream, to the next member', async () => {
    const records: UsageRecord[] = [];
    const pb = patchbay(['google', 'azure'], records);
    const result = await pb.tts.stream({ text });
    for await (const _chunk of result.stream);
    expect(result.provider).toBe('azure');
    expect(google.requests).toHaveLength(0);
    await pb.close();
  });
});
