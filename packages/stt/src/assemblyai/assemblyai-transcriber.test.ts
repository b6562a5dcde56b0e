import { getEventListeners } from 'node:events';
import type { LiveTranscriptionEvent, LiveTranscriptionRequest } from '@patchbay/core';
import { createAssemblyAITranscriber } from '@patchbay/stt/assemblyai';
import { createFakeClock } from '@patchbay/testing';
import { type AssemblyAISimulator, createAssemblyAISimulator } from '@patchbay/testing/simulators/assemblyai';
import { silentWav } from '@patchbay/testing/simulators/deepgram';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chunked, failure } from '../shared/transcriber-test-helpers.js';
import { AssemblyAIHttpFailure, assemblyaiCloseCode, assemblyaiError } from './assemblyai-error.js';

let simulator: AssemblyAISimulator;

beforeAll(async () => {
  simulator = await createAssemblyAISimulator({ transcript: 'hello from the patchbay simulator' }).start();
});
afterAll(async () => {
  await simulator.close();
});
beforeEach(() => simulator.reset());

function transcriber(overrides: Record<string, unknown> = {}) {
  return createAssemblyAITranscriber({
    apiKey: 'test-key',
    baseURL: simulator.url,
    streamingURL: simulator.streamingURL,
    env: false,
    ...overrides,
  });
}

async function collect(events: AsyncIterable<LiveTranscriptionEvent>): Promise<LiveTranscriptionEvent[]> {
  const seen: LiveTranscriptionEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

describe('AssemblyAI recorded transcription', () => {
  it('uploads bytes, creates a transcript and reads words (ms → s), duration and speakers', async () => {
    const result = await transcriber().transcribe({
      audio: silentWav(2),
      mimeType: 'audio/wav',
      language: 'en-US',
      diarize: true,
      punctuate: true,
      keywords: ['Patchbay'],
    });
    expect(result).toMatchObject({
      text: 'hello from the patchbay simulator',
      durationSeconds: 2,
      provider: 'assemblyai',
      vendor: 'assemblyai',
      model: 'universal',
      confidence: 0.98,
      warnings: [],
    });
    expect(result.words[0]).toMatchObject({ word: 'hello', start: 0, end: 0.4, speaker: 0 });
    const [upload] = simulator.requestsTo('/v2/upload');
    expect(upload?.headers.authorization).toBe('test-key');
    expect(upload?.body.length).toBe(silentWav(2).length);
    const [created] = simulator.requestsTo('/v2/transcript');
    expect(created?.json).toMatchObject({
      audio_url: expect.stringContaining('/uploads/'),
      speech_model: 'universal',
      language_code: 'en',
      speaker_labels: true,
      punctuate: true,
      keyterms_prompt: ['Patchbay'],
    });
  });

  it('streams an AsyncIterable upload and hands a URL to AssemblyAI without uploading', async () => {
    const audio = silentWav(3);
    const streamed = await transcriber().transcribe({ audio: chunked(audio, 4096), mimeType: 'audio/wav' });
    expect(streamed.durationSeconds).toBe(3);
    expect(simulator.requestsTo('/v2/upload')[0]?.body.equals(Buffer.from(audio))).toBe(true);
    simulator.reset();
    const fromURL = await transcriber().transcribe({ audio: { url: 'https://storage.example/a.wav' } });
    expect(fromURL.text).toBe('hello from the patchbay simulator');
    expect(simulator.requestsTo('/v2/upload')).toHaveLength(0);
    expect(simulator.requestsTo('/v2/transcript')[0]?.json).toMatchObject({
      audio_url: 'https://storage.example/a.wav',
    });
  });

  it('polls every pollIntervalMs on the injected clock until the transcript is completed', async () => {
    const polling = await createAssemblyAISimulator({ processingPolls: 2 }).start();
    const clock = createFakeClock({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const pending = createAssemblyAITranscriber({
        apiKey: 'test-key',
        baseURL: polling.url,
        env: false,
        pollIntervalMs: 500,
      }).transcribe({ audio: { url: 'https://storage.example/a.wav' } });
      const polls = () => polling.requests.filter((request) => request.path.startsWith('/v2/transcript/')).length;
      await expect.poll(polls).toBe(1);
      await clock.advance(499);
      expect(polls()).toBe(1);
      await clock.advance(1);
      await expect.poll(polls).toBe(2);
      await clock.advance(500);
      const result = await pending;
      expect(result.text).toBe('hello from the patchbay simulator');
      expect(polls()).toBe(3);
    } finally {
      clock.uninstall();
      await polling.close();
    }
  });

  it('maps a failed transcript by its error text', async () => {
    simulator.failTranscript('Download error, unable to access file at https://storage.example/a.wav');
    expect(await failure(transcriber().transcribe({ audio: { url: 'https://storage.example/a.wav' } }))).toMatchObject({
      code: 'invalid_request',
      retryable: false,
    });
    simulator.failTranscript('Internal server error, please try again');
    expect(await failure(transcriber().transcribe({ audio: { url: 'https://storage.example/a.wav' } }))).toMatchObject({
      code: 'unavailable',
      retryable: true,
    });
  });

  it.each([
    [401, { error: 'Authentication error, API token missing/invalid' }, 'auth'],
    [400, { error: 'Your current account balance is negative. Please top up to continue.' }, 'quota_exceeded'],
    [400, { error: 'Invalid language_code' }, 'invalid_request'],
    [404, { error: 'Transcript not found' }, 'invalid_request'],
    [413, { error: 'Payload too large' }, 'invalid_request'],
    [429, { error: 'Too many requests' }, 'rate_limited'],
    [500, { error: 'Internal server error' }, 'unavailable'],
    [503, { error: 'Service unavailable' }, 'unavailable'],
  ] as const)('maps HTTP %i %j to %s', (status, body, code) => {
    const error = assemblyaiError(new AssemblyAIHttpFailure(status, new Headers({ 'retry-after': '2' }), body), {
      provider: 'assemblyai',
    });
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
  });

  it('answers 429 from the simulator as rate_limited with Retry-After, and a wrong key as auth', async () => {
    simulator.inject({ type: 'status', status: 429, retryAfterSeconds: 2 }, { path: '/v2/upload' });
    expect(await failure(transcriber().transcribe({ audio: silentWav(1) }))).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 2000,
    });
    const error = await failure(transcriber({ apiKey: 'wrong-key' }).transcribe({ audio: silentWav(1) }));
    expect(error).toMatchObject({ code: 'auth', status: 401 });
    expect(error.message).not.toContain('wrong-key');
  });

  it('keeps the key of its settings snapshot for every request of a call; a rotated key applies to the next call', async () => {
    const provider = transcriber();
    simulator.inject({ type: 'delay', ms: 100 }, { path: '/v2/upload' });
    const inFlight = provider.transcribe({ audio: silentWav(1) });
    await expect.poll(() => simulator.requestsTo('/v2/upload').length).toBe(1);
    await provider.updateConfig({ apiKey: 'rotated-key' });
    await inFlight;
    const keys = simulator.requests.map((request) => request.headers.authorization);
    expect(new Set(keys)).toEqual(new Set(['test-key']));
    await failure(provider.transcribe({ audio: silentWav(1) }));
    expect(simulator.requests.at(-1)?.headers.authorization).toBe('rotated-key');
  });

  it('test() lists one transcript: connected with a valid key, auth with a wrong one', async () => {
    expect(await transcriber().test()).toMatchObject({ status: 'connected', healthy: true });
    expect(simulator.requestsTo('/v2/transcript')[0]?.query.get('limit')).toBe('1');
    expect(await transcriber({ apiKey: 'wrong-key' }).test()).toMatchObject({ healthy: false });
  });
});

const live: LiveTranscriptionRequest = { encoding: 'pcm_s16le', sampleRate: 8000 };
/** Half a second of 8 kHz 16-bit PCM: one simulated word. */
const word = new Uint8Array(8000);

describe('AssemblyAI Universal Streaming', () => {
  it('turns Turn messages into interim and final transcripts on the session timeline, and finishes with Terminate', async () => {
    const session = await transcriber().transcribeLive(live);
    expect(session).toMatchObject({
      provider: 'assemblyai',
      vendor: 'assemblyai',
      model: 'universal-streaming-english',
    });
    const events = collect(session.events);
    for (let index = 0; index < 7; index++) session.send(word);
    await session.finish();
    const seen = await events;
    const finals = seen.filter((event) => event.type === 'transcript' && event.isFinal);
    // The unformatted end of a turn is interim; the formatted one is the final, once per turn.
    expect(finals).toEqual([
      expect.objectContaining({ text: 'hello from the patchbay simulator', start: 0, duration: 2.5 }),
      expect.objectContaining({ text: 'hello from', start: 2.5, duration: 1 }),
    ]);
    expect(seen).toContainEqual({ type: 'speech-started', timestamp: 2.5 });
    expect(seen).toContainEqual({ type: 'utterance-end', lastWordEnd: 3.5 });
    expect(session.audioSeconds).toBe(3.5);
    const [record] = simulator.streamingSessions;
    expect(record?.headers.authorization).toBe('test-key');
    expect(Object.fromEntries(record?.query ?? [])).toMatchObject({
      sample_rate: '8000',
      encoding: 'pcm_s16le',
      speech_model: 'universal-streaming-english',
      format_turns: 'true',
    });
    expect(record).toMatchObject({ bytesReceived: 7 * 8000, terminateReceived: true });
  });

  it('authenticates with a temporary token when asked, keeping the key out of the URL', async () => {
    const session = await transcriber({ temporaryToken: true }).transcribeLive({ ...live, encoding: 'mulaw' });
    session.send(new Uint8Array(4000));
    await session.finish();
    const [record] = simulator.streamingSessions;
    expect(record?.query.get('token')).toMatch(/^tmp-/);
    expect(record?.query.get('encoding')).toBe('pcm_mulaw');
    expect(record?.headers.authorization).toBeUndefined();
    expect(simulator.requestsTo('/v3/token')).toHaveLength(1);
  });

  it('maps a refused upgrade by status, with its Retry-After', async () => {
    simulator.injectStreaming({ type: 'status', status: 429, retryAfterSeconds: 2 });
    expect(await failure(transcriber().transcribeLive(live))).toMatchObject({
      code: 'rate_limited',
      status: 429,
      retryAfterMs: 2000,
    });
    const refused = await failure(transcriber({ apiKey: 'wrong-key' }).transcribeLive(live));
    expect(refused).toMatchObject({ code: 'auth', status: 401 });
    expect(refused.message).not.toContain('wrong-key');
    simulator.injectStreaming({ type: 'status', status: 503 });
    expect((await failure(transcriber().transcribeLive(live))).code).toBe('unavailable');
  });

  it.each([
    [{ type: 'cut', afterTurns: 2 } as const, 'stream_cut'],
    [{ type: 'close', afterTurns: 2 } as const, 'stream_cut'],
    [
      {
        type: 'close',
        afterTurns: 2,
        code: 1008,
        reason: 'Unauthorized Connection: Too many concurrent sessions',
      } as const,
      'rate_limited',
    ],
    [
      { type: 'close', afterTurns: 2, code: 3007, reason: 'Audio Transmission Rate Exceeded' } as const,
      'invalid_request',
    ],
  ])('ends the events with the mapped error when the session breaks: %j → %s', async (fault, code) => {
    simulator.injectStreaming(fault);
    const session = await transcriber().transcribeLive(live);
    const events = collect(session.events);
    for (let index = 0; index < 4; index++) session.send(word);
    expect((await failure(events)).code).toBe(code);
    expect((await failure(session.finish())).code).toBe(code);
  });

  it.each([
    [1008, 'Unauthorized Connection: Missing Authorization header', 'auth'],
    [1008, 'Unauthorized Connection: Too many concurrent sessions', 'rate_limited'],
    [1008, 'Unauthorized Connection: insufficient account balance', 'quota_exceeded'],
    [3005, 'Session Cancelled: An error occurred', 'stream_cut'],
    [3006, 'Invalid Message Type: foo', 'invalid_request'],
    [3007, 'Input duration violation: 20 ms', 'invalid_request'],
    [3008, 'Session Expired: Maximum session duration exceeded', 'stream_cut'],
    [3009, 'Unauthorized Connection: Too many concurrent sessions', 'rate_limited'],
    [1011, '', 'stream_cut'],
  ] as const)('maps close code %i (%s) to %s', (closeCode, reason, code) => {
    expect(assemblyaiCloseCode(closeCode, reason)).toBe(code);
  });

  it('refuses encodings Universal Streaming does not take, naming the field', async () => {
    expect(await failure(transcriber().transcribeLive({ ...live, encoding: 'opus' }))).toMatchObject({
      code: 'invalid_request',
      details: { field: 'encoding' },
    });
  });

  it('aborts an upgrade that never answers, and leaves no socket or listener behind', async () => {
    simulator.injectStreaming({ type: 'hang' });
    const controller = new AbortController();
    const pending = transcriber().transcribeLive(live, { signal: controller.signal });
    await expect.poll(() => simulator.streaming.pendingUpgrades).toBe(1);
    controller.abort();
    expect((await failure(pending)).code).toBe('aborted');
    await expect.poll(() => simulator.streaming.pendingUpgrades).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
