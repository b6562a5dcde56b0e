import type { LiveTranscriptionEvent } from '@patchbay/core';
import { createDeepgramTranscriber } from '@patchbay/stt/deepgram';
import { createDeepgramSimulator, type DeepgramSimulator, silentWav } from '@patchbay/testing/simulators/deepgram';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chunked, failure } from '../shared/transcriber-test-helpers.js';

let simulator: DeepgramSimulator;

beforeAll(async () => {
  simulator = await createDeepgramSimulator({ transcript: 'hello from the patchbay simulator' }).start();
});
afterAll(async () => {
  await simulator.close();
});
beforeEach(() => simulator.reset());

function transcriber(overrides: Record<string, unknown> = {}) {
  return createDeepgramTranscriber({ apiKey: 'test-key', baseURL: simulator.url, env: false, ...overrides });
}

describe('Deepgram recorded transcription', () => {
  it('transcribes bytes with words, duration, punctuation and diarization', async () => {
    const result = await transcriber().transcribe({
      audio: silentWav(2),
      mimeType: 'audio/wav',
      punctuate: true,
      diarize: true,
      keywords: ['Patchbay'],
      language: 'en-US',
    });
    expect(result).toMatchObject({
      text: 'Hello from the patchbay simulator.',
      durationSeconds: 2,
      provider: 'deepgram',
      vendor: 'deepgram',
      model: 'nova-3',
      language: 'en-US',
      warnings: [],
    });
    expect(result.words).toHaveLength(5);
    expect(result.words[0]).toMatchObject({ word: 'Hello', start: 0, end: 0.4, speaker: 0 });
    expect(result.words[4]).toMatchObject({ word: 'simulator.', start: 1.6, end: 2, speaker: 1 });
    const [request] = simulator.requestsTo('/v1/listen');
    expect(request?.headers.authorization).toBe('Token test-key');
    expect(request?.headers['content-type']).toBe('audio/wav');
    expect(request?.query.get('model')).toBe('nova-3');
    expect(request?.query.get('punctuate')).toBe('true');
    expect(request?.query.get('diarize')).toBe('true');
    expect(request?.query.get('keyterm')).toBe('Patchbay');
    expect(request?.query.get('language')).toBe('en-US');
    expect(request?.body.length).toBe(silentWav(2).length);
  });

  it('streams an AsyncIterable body without collecting it first', async () => {
    const audio = silentWav(3);
    const result = await transcriber().transcribe({ audio: chunked(audio, 4096), mimeType: 'audio/wav' });
    expect(result.durationSeconds).toBe(3);
    expect(result.text).toBe('hello from the patchbay simulator');
    const [request] = simulator.requestsTo('/v1/listen');
    expect(request?.body.equals(Buffer.from(audio))).toBe(true);
    expect(request?.headers['transfer-encoding']).toBe('chunked');
  });

  it('hands a URL to Deepgram as JSON and detects the language on auto', async () => {
    const result = await transcriber({ model: 'nova-2' }).transcribe({
      audio: { url: 'https://example.com/call.wav' },
      language: 'auto',
      keywords: ['Patchbay'],
    });
    expect(result.durationSeconds).toBe(5);
    expect(result.language).toBe('en');
    expect(result.model).toBe('nova-2');
    const [request] = simulator.requestsTo('/v1/listen');
    expect(request?.json).toEqual({ url: 'https://example.com/call.wav' });
    expect(request?.query.get('detect_language')).toBe('true');
    expect(request?.query.get('keywords')).toBe('Patchbay');
  });

  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [402, 'quota_exceeded'],
    [500, 'unavailable'],
    [503, 'unavailable'],
  ] as const)('maps HTTP %i to %s', async (status, code) => {
    simulator.inject({ type: 'status', status });
    const error = await failure(transcriber().transcribe({ audio: silentWav(1), mimeType: 'audio/wav' }));
    expect(error).toMatchObject({ name: 'PatchbayError', code, status, provider: 'deepgram', vendor: 'deepgram' });
    expect(error.vendorCode).toBeTruthy();
  });

  it('maps 429 to rate_limited with Retry-After', async () => {
    simulator.inject({ type: 'status', status: 429, retryAfterSeconds: 2 });
    const error = await failure(transcriber().transcribe({ audio: silentWav(1), mimeType: 'audio/wav' }));
    expect(error).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      retryAfterMs: 2000,
      vendorCode: 'TOO_MANY_REQUESTS',
    });
    // The router owns retries: exactly one request reached the vendor.
    expect(simulator.requestsTo('/v1/listen')).toHaveLength(1);
  });

  it('maps unsupported audio to invalid_request', async () => {
    const error = await failure(
      transcriber().transcribe({ audio: new TextEncoder().encode('not audio'), mimeType: 'text/plain' }),
    );
    expect(error).toMatchObject({ code: 'invalid_request', status: 400, retryable: false });
    expect(error.message).toContain('unsupported');
  });

  it('maps a wrong key to auth and never leaks it', async () => {
    const error = await failure(
      transcriber({ apiKey: 'dg-wrong-secret-key' }).transcribe({ audio: silentWav(1), mimeType: 'audio/wav' }),
    );
    expect(error.code).toBe('auth');
    expect(JSON.stringify(error)).not.toContain('dg-wrong-secret-key');
    expect(String(error.stack)).not.toContain('dg-wrong-secret-key');
  });

  it('aborts a hung request with the caller signal', async () => {
    simulator.inject({ type: 'hang' });
    const controller = new AbortController();
    const pending = transcriber().transcribe(
      { audio: silentWav(1), mimeType: 'audio/wav' },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    const error = await failure(pending);
    expect(error).toMatchObject({ code: 'aborted', provider: 'deepgram' });
  });

  it('maps a reset connection to connection and a malformed body to unavailable', async () => {
    simulator.inject({ type: 'reset' });
    expect((await failure(transcriber().transcribe({ audio: silentWav(1), mimeType: 'audio/wav' }))).code).toBe(
      'connection',
    );
    simulator.inject({ type: 'malformed' });
    const malformed = await failure(transcriber().transcribe({ audio: silentWav(1), mimeType: 'audio/wav' }));
    expect(malformed).toMatchObject({ code: 'unavailable', vendorCode: 'malformed_response' });
  });

  it('reports not_configured without a key and reads DEEPGRAM_API_KEY from the environment', async () => {
    const missing = createDeepgramTranscriber({ baseURL: simulator.url, env: {} });
    expect((await failure(missing.transcribe({ audio: silentWav(1) }))).code).toBe('not_configured');
    const fromEnv = createDeepgramTranscriber({ baseURL: simulator.url, env: { DEEPGRAM_API_KEY: 'test-key' } });
    await expect(fromEnv.transcribe({ audio: silentWav(1), mimeType: 'audio/wav' })).resolves.toMatchObject({
      durationSeconds: 1,
    });
  });

  it('applies a rotated key to the next call and redacts it everywhere', async () => {
    const provider = transcriber({ apiKey: 'old-key' });
    expect((await failure(provider.transcribe({ audio: silentWav(1), mimeType: 'audio/wav' }))).code).toBe('auth');
    await provider.updateConfig({ apiKey: 'test-key' });
    await expect(provider.transcribe({ audio: silentWav(1), mimeType: 'audio/wav' })).resolves.toBeDefined();
    expect(provider.getConfig().apiKey).toBe('[redacted]');
    expect(JSON.stringify(provider.getConfig())).not.toContain('test-key');
  });
});

async function collect(events: AsyncIterable<LiveTranscriptionEvent>): Promise<LiveTranscriptionEvent[]> {
  const seen: LiveTranscriptionEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

describe('Deepgram live transcription', () => {
  const request = { encoding: 'pcm_s16le', sampleRate: 8000 } as const;
  /** 0.5 s of 8 kHz 16-bit PCM: one simulated word. */
  const word = new Uint8Array(8000);

  it('streams interim and final results in order and finish() resolves after the last one', async () => {
    const session = await transcriber().transcribeLive(request);
    expect(session).toMatchObject({ provider: 'deepgram', vendor: 'deepgram', model: 'nova-3' });
    const events = collect(session.events);
    for (let index = 0; index < 7; index++) session.send(word);
    await session.finish();
    const seen = await events;
    const transcripts = seen.filter((event) => event.type === 'transcript');
    expect(seen[0]).toEqual({ type: 'speech-started', timestamp: 0 });
    expect(transcripts.map((event) => [event.isFinal, event.text])).toEqual([
      [false, 'hello'],
      [false, 'hello from'],
      [false, 'hello from the'],
      [false, 'hello from the patchbay'],
      [true, 'hello from the patchbay simulator'],
      [false, 'hello'],
      [false, 'hello from'],
      [true, 'hello from'],
    ]);
    expect(seen.filter((event) => event.type === 'utterance-end')).toEqual([
      { type: 'utterance-end', lastWordEnd: 2.5 },
      { type: 'utterance-end', lastWordEnd: 3.5 },
    ]);
    expect(seen.at(-1)).toEqual({ type: 'utterance-end', lastWordEnd: 3.5 });
    expect(session.audioSeconds).toBe(3.5);
    const [record] = simulator.liveSessions;
    expect(record?.query.get('encoding')).toBe('linear16');
    expect(record?.query.get('sample_rate')).toBe('8000');
    expect(record?.query.get('interim_results')).toBe('true');
    expect(record?.headers.authorization).toBe('Token test-key');
    expect(record).toMatchObject({ bytesReceived: 7 * 8000, closeStreamReceived: true });
  });

  it('always sends vad_events=true, even over providerOptions.deepgram; utterance_end_ms=1000 with interim results', async () => {
    const session = await transcriber().transcribeLive({
      ...request,
      providerOptions: { deepgram: { vad_events: 'false' } },
    });
    const events = collect(session.events);
    session.send(word);
    await session.finish();
    expect((await events)[0]).toEqual({ type: 'speech-started', timestamp: 0 });
    const quiet = await transcriber().transcribeLive({ ...request, interimResults: false });
    await quiet.finish();
    const [withInterims, withoutInterims] = simulator.liveSessions;
    expect(withInterims?.query.get('vad_events')).toBe('true');
    expect(withInterims?.query.get('utterance_end_ms')).toBe('1000');
    expect(withoutInterims?.query.get('vad_events')).toBe('true');
    expect(withoutInterims?.query.has('utterance_end_ms')).toBe(false);
  });

  it('never reconnects: a cut connection stays one connection, even if providerOptions.deepgram asks for more', async () => {
    simulator.injectLive({ type: 'cut', afterResults: 1 });
    const session = await transcriber().transcribeLive({
      ...request,
      providerOptions: { deepgram: { reconnectAttempts: 5 } },
    });
    const iterated = collect(session.events);
    session.send(word);
    session.send(word);
    expect((await failure(iterated)).code).toBe('stream_cut');
    // The SDK's first reconnect would come 1–5 s after the close.
    await new Promise((resolve) => setTimeout(resolve, 5500));
    expect(simulator.liveSessions).toHaveLength(1);
  }, 12_000);

  it('maps a refused upgrade to auth and rate_limited', async () => {
    expect((await failure(transcriber({ apiKey: 'bad-key' }).transcribeLive(request))).code).toBe('auth');
    simulator.injectLive({ type: 'status', status: 429, retryAfterSeconds: 1 });
    expect(await failure(transcriber().transcribeLive(request))).toMatchObject({ code: 'rate_limited', status: 429 });
    simulator.injectLive({ type: 'status', status: 503 });
    expect((await failure(transcriber().transcribeLive(request))).code).toBe('unavailable');
  });

  it('turns a cut connection into stream_cut on the events and on finish()', async () => {
    simulator.injectLive({ type: 'cut', afterResults: 2 });
    const session = await transcriber().transcribeLive(request);
    const received: LiveTranscriptionEvent[] = [];
    const iterated = (async () => {
      for await (const event of session.events) received.push(event);
    })();
    for (let index = 0; index < 4; index++) session.send(word);
    const error = await failure(iterated);
    expect(error).toMatchObject({ code: 'stream_cut', retryable: true, provider: 'deepgram' });
    expect(received.filter((event) => event.type === 'transcript')).toHaveLength(2);
    expect((await failure(session.finish())).code).toBe('stream_cut');
    expect(() => session.send(word)).toThrow(/ended unexpectedly/);
  });

  it('closes the session when the caller aborts mid-stream', async () => {
    const controller = new AbortController();
    const session = await transcriber().transcribeLive(request, { signal: controller.signal });
    const iterated = collect(session.events);
    session.send(word);
    controller.abort();
    expect((await failure(iterated)).code).toBe('aborted');
    await expect.poll(() => simulator.liveSessions[0]?.closed).toBe(true);
  });

  it('aborts an upgrade that never answers', async () => {
    simulator.injectLive({ type: 'hang' });
    const controller = new AbortController();
    const pending = transcriber().transcribeLive(request, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await failure(pending)).code).toBe('aborted');
  });

  it('sends containerised audio without an encoding and meters it by the vendor-reported duration', async () => {
    const session = await transcriber().transcribeLive({
      encoding: 'webm',
      sampleRate: 48_000,
      language: 'auto',
      interimResults: false,
    });
    const events = collect(session.events);
    // The simulator assumes 32 kB/s for compressed audio: 64 kB is 2 s.
    session.send(new Uint8Array(64_000));
    await session.finish();
    const transcripts = (await events).filter((event) => event.type === 'transcript');
    expect(transcripts.every((event) => event.type === 'transcript' && event.isFinal)).toBe(true);
    expect(session.audioSeconds).toBe(2);
    const [record] = simulator.liveSessions;
    expect(record?.query.has('encoding')).toBe(false);
    expect(record?.query.has('sample_rate')).toBe(false);
    expect(record?.query.get('language')).toBe('multi');
    expect(record?.query.get('interim_results')).toBe('false');
  });

  it('refuses audio after finish() and encodings Deepgram does not take', async () => {
    const session = await transcriber().transcribeLive(request);
    await session.finish();
    expect(() => session.send(word)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    const error = await failure(transcriber().transcribeLive({ encoding: 'nope' as never, sampleRate: 8000 }));
    expect(error.code).toBe('invalid_request');
  });

  it('close() ends the events at once', async () => {
    const session = await transcriber().transcribeLive(request);
    const iterated = collect(session.events);
    session.send(word);
    session.close();
    await expect(iterated).resolves.toBeInstanceOf(Array);
    await expect(session.finish()).resolves.toBeUndefined();
  });
});
