import { createOpenAITranscriber } from '@patchbay/stt/openai';
import { silentWav } from '@patchbay/testing/simulators/deepgram';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  chunked,
  expectHangResetAndMalformedMapped,
  failure,
  formOf,
  itMapsHttpStatuses,
} from '../shared/transcriber-test-helpers.js';
import { openaiTranscriptionError } from './openai-error.js';

let simulator: ReturnType<typeof createOpenAISimulator>;

beforeAll(async () => {
  simulator = await createOpenAISimulator().start();
});
afterAll(async () => {
  await simulator.close();
});
beforeEach(() => simulator.reset());

function transcriber(overrides: Record<string, unknown> = {}) {
  return createOpenAITranscriber({ apiKey: 'test-key', baseURL: `${simulator.url}/v1`, env: false, ...overrides });
}

describe('OpenAI transcription', () => {
  it('transcribes bytes with whisper-1 verbose_json: words, duration, language', async () => {
    const result = await transcriber().transcribe({
      audio: silentWav(2),
      mimeType: 'audio/wav',
      language: 'en-US',
      keywords: ['Patchbay'],
    });
    expect(result).toMatchObject({
      text: 'hello from the patchbay simulator',
      durationSeconds: 2,
      language: 'en',
      provider: 'openai',
      vendor: 'openai',
      model: 'whisper-1',
      warnings: [],
    });
    expect(result.words).toHaveLength(5);
    expect(result.words[1]).toEqual({ word: 'from', start: 0.4, end: 0.8 });
    const form = await formOf(simulator, '/v1/audio/transcriptions');
    expect(form.get('response_format')).toBe('verbose_json');
    expect(form.getAll('timestamp_granularities[]')).toEqual(['word', 'segment']);
    expect(form.get('language')).toBe('en');
    expect(form.get('prompt')).toBe('Patchbay');
    expect((form.get('file') as File).name).toBe('audio.wav');
    expect(simulator.requestsTo('/v1/audio/transcriptions')[0]?.headers.authorization).toBe('Bearer test-key');
  });

  it('streams an AsyncIterable upload and measures a gpt-4o model duration from the WAV header', async () => {
    const audio = silentWav(3);
    const result = await transcriber({ model: 'gpt-4o-transcribe' }).transcribe({
      audio: chunked(audio, 8192),
      mimeType: 'audio/wav',
    });
    expect(result).toMatchObject({ text: 'hello from the patchbay simulator', durationSeconds: 3, words: [] });
    const form = await formOf(simulator, '/v1/audio/transcriptions');
    expect(form.get('response_format')).toBe('json');
    expect((form.get('file') as File).size).toBe(audio.length);
  });

  it('warns about settings OpenAI cannot honour', async () => {
    const result = await transcriber().transcribe({
      audio: silentWav(1),
      mimeType: 'audio/wav',
      diarize: true,
      punctuate: false,
    });
    expect(result.warnings.map((warning) => warning.setting)).toEqual(['diarize', 'punctuate']);
  });

  it('rejects URL audio (capabilities.urlInput is false) and declares no live support', async () => {
    const provider = transcriber();
    expect(provider.capabilities).toMatchObject({ live: false, urlInput: false });
    expect('transcribeLive' in provider).toBe(false);
    expect((await failure(provider.transcribe({ audio: { url: 'https://example.com/a.wav' } }))).code).toBe(
      'invalid_request',
    );
    expect(simulator.requestsTo('/v1/audio/transcriptions')).toHaveLength(0);
  });

  itMapsHttpStatuses({ simulator: () => simulator, transcriber, path: '/v1/audio/transcriptions', vendor: 'openai' });

  it('maps 429 with Retry-After and insufficient_quota', async () => {
    simulator.inject({ type: 'status', status: 429, retryAfterSeconds: 3 });
    expect(await failure(transcriber().transcribe({ audio: silentWav(1), mimeType: 'audio/wav' }))).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 3000,
    });
    // OpenAI says "out of credit" with 429 + code insufficient_quota: that is quota_exceeded, not a rate limit.
    const quota = openaiTranscriptionError(
      { status: 429, code: 'insufficient_quota', message: 'You exceeded your current quota', headers: new Headers() },
      { provider: 'openai' },
    );
    expect(quota).toMatchObject({
      code: 'quota_exceeded',
      status: 429,
      retryable: false,
      vendorCode: 'insufficient_quota',
    });
  });

  it('maps unsupported audio and incompatible formats to invalid_request', async () => {
    const error = await failure(
      transcriber().transcribe({ audio: new TextEncoder().encode('hello'), mimeType: 'text/plain' }),
    );
    expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(error.message).toContain('Invalid file format');
  });

  it('maps a wrong key to auth without leaking it', async () => {
    const error = await failure(
      transcriber({ apiKey: 'sk-wrong-secret-0123456789' }).transcribe({ audio: silentWav(1), mimeType: 'audio/wav' }),
    );
    expect(error.code).toBe('auth');
    expect(JSON.stringify(error)).not.toContain('sk-wrong-secret-0123456789');
  });

  it('maps hang + abort, reset and malformed bodies', async () => {
    await expectHangResetAndMalformedMapped(simulator, transcriber);
  });

  it('reads OPENAI_API_KEY, reports not_configured without it, and test() lists models', async () => {
    const missing = createOpenAITranscriber({ baseURL: `${simulator.url}/v1`, env: {} });
    expect((await failure(missing.transcribe({ audio: silentWav(1) }))).code).toBe('not_configured');
    const fromEnv = createOpenAITranscriber({ baseURL: `${simulator.url}/v1`, env: { OPENAI_API_KEY: 'test-key' } });
    await expect(fromEnv.test()).resolves.toMatchObject({ status: 'connected' });
    expect(simulator.requestsTo('/v1/models')).toHaveLength(1);
    await expect(transcriber({ apiKey: 'nope' }).test()).resolves.toMatchObject({ status: 'error', code: 'auth' });
    expect(transcriber().getConfig().apiKey).toBe('[redacted]');
  });
});
