import { createPatchbay, type UsageRecord } from '@patchbay/core';
import { azureTranscriberFactory } from '@patchbay/stt/azure';
import { deepgramTranscriberFactory } from '@patchbay/stt/deepgram';
import { googleTranscriberFactory } from '@patchbay/stt/google';
import { type AzureSpeechSimulator, createAzureSpeechSimulator } from '@patchbay/testing/simulators/azure-speech';
import { createDeepgramSimulator, type DeepgramSimulator, silentWav } from '@patchbay/testing/simulators/deepgram';
import { createGoogleCloudSimulator, type GoogleCloudSimulator } from '@patchbay/testing/simulators/google-cloud';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

let deepgram: DeepgramSimulator;
let azure: AzureSpeechSimulator;
let google: GoogleCloudSimulator;

beforeAll(async () => {
  [deepgram, azure, google] = await Promise.all([
    createDeepgramSimulator().start(),
    createAzureSpeechSimulator().start(),
    createGoogleCloudSimulator().start(),
  ]);
});
afterAll(async () => {
  await Promise.all([deepgram.close(), azure.close(), google.close()]);
});
beforeEach(() => {
  for (const simulator of [deepgram, azure, google]) simulator.reset();
});

function patchbay(route: string[], usage: UsageRecord[]) {
  return createPatchbay({
    config: {
      providers: {
        deepgram: { kind: 'stt', vendor: 'deepgram', settings: { apiKey: 'test-key', baseURL: deepgram.url } },
        azure: { kind: 'stt', vendor: 'azure', settings: { apiKey: 'test-key', baseURL: azure.url } },
        google: { kind: 'stt', vendor: 'google', settings: { apiKey: 'test-key', baseURL: google.url } },
      },
      routes: { stt: { providers: route, retry: { maxRetries: 0 } } },
      pricing: [{ provider: 'azure', unit: 'audio_seconds', price: 0.36, per: 3600 }],
    },
    factories: [deepgramTranscriberFactory, azureTranscriberFactory, googleTranscriberFactory],
    env: false,
    usageSinks: [(record) => usage.push(record)],
  });
}

describe('new transcription vendors through the router', () => {
  it('fails over from a 503ing Deepgram to Azure and meters audio seconds with their cost', async () => {
    const usage: UsageRecord[] = [];
    const pb = patchbay(['deepgram', 'azure'], usage);
    deepgram.inject({ type: 'status', status: 503 }, { path: '/v1/listen' });
    const result = await pb.stt.transcribe({ audio: silentWav(2), mimeType: 'audio/wav' }, { tenant: 'acme' });
    expect(result).toMatchObject({ provider: 'azure', vendor: 'azure', durationSeconds: 2 });
    expect(usage.map((record) => [record.provider, record.outcome, record.unit, record.quantity])).toEqual([
      ['deepgram', 'error', 'audio_seconds', 0],
      ['azure', 'success', 'audio_seconds', 2],
    ]);
    expect(usage[1]).toMatchObject({ tenant: 'acme', kind: 'stt' });
    expect(usage[1]?.cost).toBeCloseTo((2 * 0.36) / 3600, 10);
    await pb.close();
  });

  it('fails over from Azure (rate limited) to Google', async () => {
    const usage: UsageRecord[] = [];
    const pb = patchbay(['azure', 'google'], usage);
    azure.inject({ type: 'status', status: 429 }, { path: '/speechtotext/transcriptions:transcribe' });
    const result = await pb.stt.transcribe({ audio: silentWav(1), mimeType: 'audio/wav', language: 'en-US' });
    expect(result).toMatchObject({ provider: 'google', durationSeconds: 1 });
    expect(usage.find((record) => record.provider === 'azure')).toMatchObject({
      outcome: 'error',
      errorCode: 'rate_limited',
    });
    await pb.close();
  });

  it('keeps live sessions away from the new vendors, which declare no live transcription', async () => {
    const usage: UsageRecord[] = [];
    const pb = patchbay(['azure', 'google', 'deepgram'], usage);
    const session = await pb.stt.transcribeLive({ encoding: 'pcm_s16le', sampleRate: 16000 });
    expect(session.provider).toBe('deepgram');
    await session.close();
    expect(azure.requests).toHaveLength(0);
    expect(google.requests).toHaveLength(0);
    await pb.close();
  });
});
