import { azureTranscriberFactory, createAzureTranscriber } from '@patchbay/stt/azure';
import { defineTranscriberConformance, runConformance } from '@patchbay/testing';
import { type AzureSpeechSimulator, createAzureSpeechSimulator } from '@patchbay/testing/simulators/azure-speech';
import { silentWav } from '@patchbay/testing/simulators/deepgram';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  chunked,
  expectHangResetAndMalformedMapped,
  failure,
  formOf,
  itMapsHttpStatuses,
} from '../shared/transcriber-test-helpers.js';

const path = '/speechtotext/transcriptions:transcribe';
let simulator: AzureSpeechSimulator;

beforeAll(async () => {
  simulator = await createAzureSpeechSimulator().start();
});
afterAll(() => simulator.close());
beforeEach(() => simulator.reset());

function transcriber(overrides: Record<string, unknown> = {}) {
  return createAzureTranscriber({ apiKey: 'test-key', baseURL: simulator.url, env: false, ...overrides });
}

describe('Azure fast transcription', () => {
  it('uploads audio and the definition, and reads words, duration, language and confidence', async () => {
    const result = await transcriber().transcribe({
      audio: silentWav(2),
      mimeType: 'audio/wav',
      language: 'en-GB',
      diarize: true,
    });
    expect(result).toMatchObject({
      text: 'hello from the patchbay simulator',
      durationSeconds: 2,
      language: 'en-GB',
      confidence: 0.93,
      provider: 'azure',
      vendor: 'azure',
      model: 'fast-transcription',
      warnings: [],
    });
    expect(result.words.map((word) => word.word)).toEqual(['hello', 'from', 'the', 'patchbay', 'simulator']);
    expect(result.words[1]).toMatchObject({ start: 0.4, end: 0.8 });
    const [request] = simulator.requestsTo(path);
    expect(request?.query.get('api-version')).toBe('2024-11-15');
    expect(request?.headers['ocp-apim-subscription-key']).toBe('test-key');
    const form = await formOf(simulator, path);
    expect(JSON.parse(String(form.get('definition')))).toEqual({
      locales: ['en-GB'],
      profanityFilterMode: 'Masked',
      diarization: { enabled: true, maxSpeakers: 2 },
    });
    expect((form.get('audio') as File).name).toBe('audio.wav');
  });

  it('transcribes a byte stream; leaves language identification to Azure without a language; warns for keywords', async () => {
    const result = await transcriber().transcribe({
      audio: chunked(silentWav(3), 4096),
      mimeType: 'audio/wav',
      keywords: ['Patchbay'],
    });
    expect(result.durationSeconds).toBe(3);
    expect(result.warnings).toEqual([expect.objectContaining({ setting: 'keywords' })]);
    expect(JSON.parse(String((await formOf(simulator, path)).get('definition')))).toEqual({
      profanityFilterMode: 'Masked',
    });
  });

  it('refuses URL audio before any request (capabilities.urlInput is false)', async () => {
    const error = await failure(transcriber().transcribe({ audio: { url: 'https://example.com/a.wav' } }));
    expect(error).toMatchObject({ code: 'invalid_request', details: { field: 'audio' } });
    expect(simulator.requests).toHaveLength(0);
  });

  it('needs a region or a baseURL: refused as not_configured before any request', async () => {
    const error = await failure(
      createAzureTranscriber({ apiKey: 'test-key', env: false }).transcribe({
        audio: silentWav(1),
        mimeType: 'audio/wav',
      }),
    );
    expect(error).toMatchObject({ code: 'not_configured', details: { missing: ['region'] } });
  });

  it('maps an invalid audio answer (400 InvalidRequest/InvalidAudioFormat) to invalid_request with the inner code', async () => {
    simulator.inject({ type: 'status', status: 400, message: 'The audio format is not supported' }, { path });
    const error = await failure(transcriber().transcribe({ audio: silentWav(1), mimeType: 'audio/wav' }));
    expect(error).toMatchObject({ code: 'invalid_request', status: 400, vendorCode: 'InvalidRequest' });
    expect(error.message).toContain('The audio format is not supported');
  });

  it('maps an empty file (422 EmptyAudioFile) to invalid_request, and 429 to rate_limited with Retry-After', async () => {
    const empty = await failure(transcriber().transcribe({ audio: new Uint8Array(0), mimeType: 'audio/wav' }));
    expect(empty).toMatchObject({ code: 'invalid_request', status: 422, vendorCode: 'EmptyAudioFile' });
    simulator.inject({ type: 'status', status: 429, retryAfterSeconds: 3 }, { path });
    const limited = await failure(transcriber().transcribe({ audio: silentWav(1), mimeType: 'audio/wav' }));
    expect(limited).toMatchObject({ code: 'rate_limited', retryAfterMs: 3000, retryable: true });
  });

  it('maps a spent free quota (403 "Out of call volume quota") to quota_exceeded', async () => {
    simulator.inject(
      { type: 'status', status: 403, message: 'Out of call volume quota for SpeechServices.' },
      { path },
    );
    const error = await failure(transcriber().transcribe({ audio: silentWav(1), mimeType: 'audio/wav' }));
    expect(error).toMatchObject({ code: 'quota_exceeded', status: 403 });
  });

  it('maps a hang, a reset and a malformed body', async () => {
    await expectHangResetAndMalformedMapped(simulator, () => transcriber());
  });

  itMapsHttpStatuses({ simulator: () => simulator, transcriber: () => transcriber(), path, vendor: 'azure' });

  it('is built by its factory with AZURE_SPEECH_KEY and AZURE_SPEECH_REGION', async () => {
    const requests: string[] = [];
    const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
      requests.push(String(url));
      return globalThis.fetch(
        String(url).replace('https://westeurope.api.cognitive.microsoft.com', simulator.url),
        init,
      );
    }) as typeof globalThis.fetch;
    const provider = azureTranscriberFactory.create({
      id: 'stt',
      settings: {},
      runtime: { fetch, env: { AZURE_SPEECH_KEY: 'test-key', AZURE_SPEECH_REGION: 'westeurope' } },
    });
    await provider.transcribe({ audio: silentWav(1), mimeType: 'audio/wav' });
    expect(requests).toEqual([
      'https://westeurope.api.cognitive.microsoft.com/speechtotext/transcriptions:transcribe?api-version=2024-11-15',
    ]);
    expect((await provider.test()).status).toBe('connected');
  });

  describe('conformance', () => {
    runConformance(
      defineTranscriberConformance({
        simulator: () => simulator,
        create: ({ id, apiKey, baseURL, env }) => createAzureTranscriber({ id, apiKey, baseURL, env }),
        validApiKey: 'test-key',
        invalidApiKey: 'wrong-key',
        apiKeyEnv: 'AZURE_SPEECH_KEY',
        faultPath: path,
      }),
      { it },
    );
  });
});
