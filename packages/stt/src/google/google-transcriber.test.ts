import { inspect } from 'node:util';
import { createGoogleTranscriber, googleTranscriberFactory } from '@patchbay/stt/google';
import { defineTranscriberConformance, runConformance } from '@patchbay/testing';
import { silentWav } from '@patchbay/testing/simulators/deepgram';
import {
  createGoogleCloudSimulator,
  createTestServiceAccount,
  type GoogleCloudSimulator,
} from '@patchbay/testing/simulators/google-cloud';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  chunked,
  expectHangResetAndMalformedMapped,
  failure,
  itMapsHttpStatuses,
} from '../shared/transcriber-test-helpers.js';

const path = '/v1/speech:recognize';
const account = createTestServiceAccount();
let simulator: GoogleCloudSimulator;

beforeAll(async () => {
  simulator = await createGoogleCloudSimulator({ serviceAccounts: [account] }).start();
});
afterAll(() => simulator.close());
beforeEach(() => simulator.reset());

function transcriber(overrides: Record<string, unknown> = {}) {
  return createGoogleTranscriber({
    apiKey: 'test-key',
    baseURL: simulator.url,
    tokenURL: simulator.tokenURL,
    env: false,
    ...overrides,
  });
}

describe('Google Cloud speech recognition', () => {
  it('sends the audio inline with the config, and reads words, duration and language', async () => {
    const result = await transcriber().transcribe({
      audio: silentWav(2),
      mimeType: 'audio/wav',
      language: 'en-GB',
      keywords: ['Patchbay'],
    });
    expect(result).toMatchObject({
      text: 'hello from the patchbay simulator',
      durationSeconds: 2,
      language: 'en-gb',
      confidence: 0.92,
      provider: 'google',
      vendor: 'google',
      model: 'default',
      warnings: [],
    });
    expect(result.words[1]).toMatchObject({ word: 'from', start: 0.4, end: 0.8 });
    const [request] = simulator.requestsTo(path);
    expect(request?.headers['x-goog-api-key']).toBe('test-key');
    const body = request?.json as { config: unknown; audio: { content: string } };
    expect(body.config).toEqual({
      encoding: 'LINEAR16',
      languageCode: 'en-GB',
      model: 'default',
      enableWordTimeOffsets: true,
      enableAutomaticPunctuation: true,
      speechContexts: [{ phrases: ['Patchbay'] }],
    });
    expect(Buffer.from(body.audio.content, 'base64').length).toBe(silentWav(2).length);
  });

  it('declares raw μ-law telephony audio with its rate, and measures its duration from the bytes', async () => {
    const mulaw = new Uint8Array(8000 * 3).fill(0xff);
    const result = await transcriber().transcribe({ audio: chunked(mulaw, 1000), mimeType: 'audio/basic' });
    expect((simulator.requests[0]?.json as { config?: unknown } | undefined)?.config).toMatchObject({
      encoding: 'MULAW',
      sampleRateHertz: 8000,
    });
    expect(result.durationSeconds).toBe(3);
  });

  it('passes gs:// URIs through and refuses other URLs before any request', async () => {
    const result = await transcriber().transcribe({ audio: { url: 'gs://bucket/call.wav' }, language: 'en-US' });
    expect((simulator.requests[0]?.json as { audio?: unknown } | undefined)?.audio).toEqual({
      uri: 'gs://bucket/call.wav',
    });
    expect(result.durationSeconds).toBe(2);
    const error = await failure(transcriber().transcribe({ audio: { url: 'https://example.com/a.wav' } }));
    expect(error).toMatchObject({ code: 'invalid_request', details: { field: 'audio' } });
    expect(simulator.requests).toHaveLength(1);
  });

  it('signs in with a service account (token exchanged once, shared by calls)', async () => {
    const provider = transcriber({ apiKey: undefined, serviceAccount: account.json });
    await provider.transcribe({ audio: silentWav(1), mimeType: 'audio/wav' });
    await provider.transcribe({ audio: silentWav(1), mimeType: 'audio/wav' });
    expect(simulator.auth.issued).toBe(1);
    expect(simulator.requestsTo(path)[1]?.headers.authorization).toMatch(/^Bearer ya29\./);
    const views = [inspect(provider, { depth: 8 }), JSON.stringify(provider.getConfig())];
    for (const view of views) expect(view).not.toContain(account.privateKey.split('\n')[1]);
  });

  it('maps a rejected API key (400 API_KEY_INVALID) to auth and too-long sync audio to invalid_request', async () => {
    const rejected = await failure(
      transcriber({ apiKey: 'wrong-123' }).transcribe({ audio: silentWav(1), mimeType: 'audio/wav' }),
    );
    expect(rejected).toMatchObject({ code: 'auth', status: 400, vendorCode: 'API_KEY_INVALID' });
    const long = await failure(transcriber().transcribe({ audio: silentWav(61), mimeType: 'audio/wav' }));
    expect(long).toMatchObject({ code: 'invalid_request', status: 400, vendorCode: 'INVALID_ARGUMENT' });
    expect(long.message).toContain('Sync input too long');
  });

  it('maps 429 RESOURCE_EXHAUSTED to rate_limited with Retry-After', async () => {
    simulator.inject({ type: 'status', status: 429, retryAfterSeconds: 2 }, { path });
    const error = await failure(transcriber().transcribe({ audio: silentWav(1), mimeType: 'audio/wav' }));
    expect(error).toMatchObject({ code: 'rate_limited', vendorCode: 'RESOURCE_EXHAUSTED', retryAfterMs: 2000 });
  });

  it('maps a hang, a reset and a malformed body', async () => {
    await expectHangResetAndMalformedMapped(simulator, () => transcriber());
  });

  itMapsHttpStatuses({ simulator: () => simulator, transcriber: () => transcriber(), path, vendor: 'google' });

  it('is built by its factory with GOOGLE_API_KEY', async () => {
    const provider = googleTranscriberFactory.create({
      id: 'stt',
      settings: { baseURL: simulator.url },
      runtime: { env: { GOOGLE_API_KEY: 'test-key' } },
    });
    expect(await provider.transcribe({ audio: silentWav(1), mimeType: 'audio/wav' })).toMatchObject({
      provider: 'stt',
    });
    expect((await provider.test()).status).toBe('connected');
  });

  describe('conformance', () => {
    runConformance(
      defineTranscriberConformance({
        simulator: () => simulator,
        create: ({ id, apiKey, baseURL, env }) => createGoogleTranscriber({ id, apiKey, baseURL, env }),
        validApiKey: 'test-key',
        apiKeyEnv: 'GOOGLE_API_KEY',
        faultPath: path,
      }),
      { it },
    );
  });
});
