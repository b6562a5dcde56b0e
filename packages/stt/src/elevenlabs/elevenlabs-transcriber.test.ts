import { createElevenLabsTranscriber } from '@patchbay/stt/elevenlabs';
import { silentWav } from '@patchbay/testing/simulators/deepgram';
import { createElevenLabsSimulator, type ElevenLabsSimulator } from '@patchbay/testing/simulators/elevenlabs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  chunked,
  expectHangResetAndMalformedMapped,
  failure,
  formOf,
  itMapsHttpStatuses,
} from '../shared/transcriber-test-helpers.js';
import { elevenlabsTranscriptionError } from './elevenlabs-error.js';

let simulator: ElevenLabsSimulator;

beforeAll(async () => {
  simulator = await createElevenLabsSimulator().start();
});
afterAll(async () => {
  await simulator.close();
});
beforeEach(() => simulator.reset());

function transcriber(overrides: Record<string, unknown> = {}) {
  return createElevenLabsTranscriber({ apiKey: 'test-key', baseURL: simulator.url, env: false, ...overrides });
}

describe('ElevenLabs transcription', () => {
  it('transcribes bytes with words, speakers, duration and language', async () => {
    const result = await transcriber().transcribe({
      audio: silentWav(2),
      mimeType: 'audio/wav',
      diarize: true,
      language: 'en-GB',
      keywords: ['Patchbay'],
    });
    expect(result).toMatchObject({
      text: 'hello from the patchbay simulator',
      durationSeconds: 2,
      language: 'en',
      provider: 'elevenlabs',
      vendor: 'elevenlabs',
      model: 'scribe_v1',
      warnings: [],
    });
    expect(result.words.map((word) => word.word)).toEqual(['hello', 'from', 'the', 'patchbay', 'simulator']);
    expect(result.words[0]).toMatchObject({ start: 0, end: 0.4, speaker: 0 });
    expect(result.words[4]).toMatchObject({ speaker: 1 });
    expect(result.words[0]?.confidence).toBeCloseTo(Math.exp(-0.02));
    const form = await formOf(simulator, '/v1/speech-to-text');
    expect(form.get('model_id')).toBe('scribe_v1');
    expect(form.get('diarize')).toBe('true');
    expect(form.get('language_code')).toBe('en');
    expect((form.get('file') as File).name).toBe('audio.wav');
    expect(simulator.requestsTo('/v1/speech-to-text')[0]?.headers['xi-api-key']).toBe('test-key');
  });

  it('transcribes a byte stream and a cloud storage URL', async () => {
    const streamed = await transcriber().transcribe({ audio: chunked(silentWav(3), 5000), mimeType: 'audio/wav' });
    expect(streamed.durationSeconds).toBe(3);
    const fromUrl = await transcriber().transcribe({ audio: { url: 'https://storage.example/call.wav' } });
    expect(fromUrl.durationSeconds).toBe(5);
    const form = await formOf(simulator, '/v1/speech-to-text', 1);
    expect(form.get('cloud_storage_url')).toBe('https://storage.example/call.wav');
    expect(form.get('file')).toBeNull();
  });

  it('warns that punctuation cannot be turned off and declares no live support', async () => {
    const provider = transcriber();
    const result = await provider.transcribe({ audio: silentWav(1), mimeType: 'audio/wav', punctuate: false });
    expect(result.warnings).toEqual([expect.objectContaining({ type: 'unsupported-setting', setting: 'punctuate' })]);
    expect(provider.capabilities).toMatchObject({ live: false, urlInput: true, diarization: true });
    expect('transcribeLive' in provider).toBe(false);
  });

  itMapsHttpStatuses({ simulator: () => simulator, transcriber, path: '/v1/speech-to-text', vendor: 'elevenlabs' });

  it('maps 429 with Retry-After, and quota_exceeded bodies', async () => {
    simulator.inject({ type: 'status', status: 429, retryAfterSeconds: 1 });
    expect(await failure(transcriber().transcribe({ audio: silentWav(1), mimeType: 'audio/wav' }))).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 1000,
      vendorCode: 'too_many_concurrent_requests',
    });
    // ElevenLabs answers an exhausted quota with 401 and detail.status quota_exceeded.
    const quota = elevenlabsTranscriptionError(
      { statusCode: 401, body: { detail: { status: 'quota_exceeded', message: 'quota exceeded' } } },
      { provider: 'elevenlabs' },
    );
    expect(quota).toMatchObject({ code: 'quota_exceeded', status: 401, retryable: false });
  });

  it('maps unsupported audio and validation errors to invalid_request', async () => {
    const error = await failure(
      transcriber().transcribe({ audio: new TextEncoder().encode('hello'), mimeType: 'text/plain' }),
    );
    expect(error).toMatchObject({ code: 'invalid_request', status: 400, vendorCode: 'invalid_content' });
    const validation = await failure(
      transcriber().transcribe({
        audio: silentWav(1),
        mimeType: 'audio/wav',
        providerOptions: { elevenlabs: { modelId: '' } },
      }),
    );
    expect(validation).toMatchObject({ code: 'invalid_request', status: 422, vendorCode: 'validation_error' });
  });

  it('maps a wrong key to auth without leaking it', async () => {
    const error = await failure(
      transcriber({ apiKey: 'xi-wrong-secret-0123' }).transcribe({ audio: silentWav(1), mimeType: 'audio/wav' }),
    );
    expect(error).toMatchObject({ code: 'auth', vendorCode: 'invalid_api_key' });
    expect(JSON.stringify(error)).not.toContain('xi-wrong-secret-0123');
  });

  it('maps hang + abort, reset and malformed bodies', async () => {
    await expectHangResetAndMalformedMapped(simulator, transcriber);
  });

  it('reads ELEVENLABS_API_KEY, reports not_configured without it, and test() reads the account', async () => {
    const missing = createElevenLabsTranscriber({ baseURL: simulator.url, env: {} });
    expect((await failure(missing.transcribe({ audio: silentWav(1) }))).code).toBe('not_configured');
    const fromEnv = createElevenLabsTranscriber({ baseURL: simulator.url, env: { ELEVENLABS_API_KEY: 'test-key' } });
    await expect(fromEnv.test()).resolves.toMatchObject({ status: 'connected' });
    await expect(transcriber({ apiKey: 'nope' }).test()).resolves.toMatchObject({ status: 'error', code: 'auth' });
    expect(transcriber().getConfig().apiKey).toBe('[redacted]');
  });
});
