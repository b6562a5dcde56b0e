import { createPatchbay, type LiveTranscriptionEvent, type UsageRecord } from '@patchbay/core';
import { deepgramTranscriberFactory } from '@patchbay/stt/deepgram';
import { elevenlabsTranscriberFactory } from '@patchbay/stt/elevenlabs';
import { openaiTranscriberFactory } from '@patchbay/stt/openai';
import { createDeepgramSimulator, type DeepgramSimulator, silentWav } from '@patchbay/testing/simulators/deepgram';
import { createElevenLabsSimulator, type ElevenLabsSimulator } from '@patchbay/testing/simulators/elevenlabs';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

let deepgram: DeepgramSimulator;
let openai: ReturnType<typeof createOpenAISimulator>;
let elevenlabs: ElevenLabsSimulator;

beforeAll(async () => {
  [deepgram, openai, elevenlabs] = await Promise.all([
    createDeepgramSimulator().start(),
    createOpenAISimulator().start(),
    createElevenLabsSimulator().start(),
  ]);
});
afterAll(async () => {
  await Promise.all([deepgram.close(), openai.close(), elevenlabs.close()]);
});
beforeEach(() => {
  deepgram.reset();
  openai.reset();
  elevenlabs.reset();
});

function patchbay(route: string[], usage: UsageRecord[]) {
  return createPatchbay({
    config: {
      providers: {
        deepgram: { kind: 'stt', vendor: 'deepgram', settings: { apiKey: 'test-key', baseURL: deepgram.url } },
        openai: { kind: 'stt', vendor: 'openai', settings: { apiKey: 'test-key', baseURL: `${openai.url}/v1` } },
        elevenlabs: { kind: 'stt', vendor: 'elevenlabs', settings: { apiKey: 'test-key', baseURL: elevenlabs.url } },
      },
      routes: { stt: { providers: route, retry: { maxRetries: 1, initialDelayMs: 1, jitter: false } } },
    },
    factories: [deepgramTranscriberFactory, openaiTranscriberFactory, elevenlabsTranscriberFactory],
    env: false,
    usageSinks: [(record) => usage.push(record)],
  });
}

describe('STT routing', () => {
  it('fails over from a 503ing Deepgram to OpenAI and meters audio seconds', async () => {
    const usage: UsageRecord[] = [];
    const pb = patchbay(['deepgram', 'openai'], usage);
    deepgram.inject({ type: 'status', status: 503 }, { times: 1, path: '/v1/listen' });
    const result = await pb.stt.transcribe({ audio: silentWav(2), mimeType: 'audio/wav' }, { tenant: 'acme' });
    expect(result).toMatchObject({ provider: 'openai', vendor: 'openai', durationSeconds: 2 });
    // The failover rule: with a healthy fallback, the 503ing member is not retried first.
    expect(deepgram.requestsTo('/v1/listen')).toHaveLength(1);
    const served = usage.filter((record) => record.outcome === 'success');
    expect(served).toEqual([
      expect.objectContaining({ provider: 'openai', unit: 'audio_seconds', quantity: 2, tenant: 'acme', kind: 'stt' }),
    ]);
    expect(usage.filter((record) => record.provider === 'deepgram')).toEqual([
      expect.objectContaining({ outcome: 'error', errorCode: 'unavailable', quantity: 0 }),
    ]);
    pb.close();
  });

  it('sends URL audio only to members that can fetch URLs', async () => {
    const usage: UsageRecord[] = [];
    const pb = patchbay(['openai', 'elevenlabs'], usage);
    const result = await pb.stt.transcribe({ audio: { url: 'https://storage.example/a.wav' } });
    expect(result.provider).toBe('elevenlabs');
    expect(openai.requestsTo('/v1/audio/transcriptions')).toHaveLength(0);
    pb.close();
  });

  it('refuses URL audio no member can fetch with invalid_request naming audio, before any request', async () => {
    const usage: UsageRecord[] = [];
    const pb = patchbay(['openai'], usage);
    await expect(pb.stt.transcribe({ audio: { url: 'https://storage.example/a.wav' } })).rejects.toMatchObject({
      code: 'invalid_request',
      retryable: false,
      details: { field: 'audio' },
    });
    expect(openai.requestsTo('/v1/audio/transcriptions')).toHaveLength(0);
    expect(usage).toEqual([]);
    pb.close();
  });

  it('makes a single attempt with a byte stream, which cannot be replayed', async () => {
    const usage: UsageRecord[] = [];
    const pb = patchbay(['deepgram', 'openai'], usage);
    deepgram.inject({ type: 'status', status: 503 }, { path: '/v1/listen' });
    async function* audio() {
      yield silentWav(1);
    }
    await expect(pb.stt.transcribe({ audio: audio(), mimeType: 'audio/wav' })).rejects.toMatchObject({
      code: 'unavailable',
    });
    expect(deepgram.requestsTo('/v1/listen')).toHaveLength(1);
    expect(openai.requestsTo('/v1/audio/transcriptions')).toHaveLength(0);
    pb.close();
  });

  it('routes live sessions past members without live support and meters the session once', async () => {
    const usage: UsageRecord[] = [];
    const pb = patchbay(['openai', 'elevenlabs', 'deepgram'], usage);
    expect(pb.stt.capabilities.live).toBe(true);
    const session = await pb.stt.transcribeLive({ encoding: 'pcm_s16le', sampleRate: 16_000 }, { tenant: 'acme' });
    expect(session.provider).toBe('deepgram');
    const events: LiveTranscriptionEvent[] = [];
    const iterated = (async () => {
      for await (const event of session.events) events.push(event);
    })();
    for (let second = 0; second < 3; second++) session.send(new Uint8Array(32_000));
    await session.finish();
    await iterated;
    expect(
      events.filter((event) => event.type === 'transcript' && event.isFinal).map((event) => event.type),
    ).toHaveLength(2);
    expect(session.audioSeconds).toBe(3);
    expect(usage).toEqual([
      expect.objectContaining({
        provider: 'deepgram',
        unit: 'audio_seconds',
        quantity: 3,
        outcome: 'success',
        tenant: 'acme',
      }),
    ]);
    expect(openai.requests).toHaveLength(0);
    expect(elevenlabs.requests).toHaveLength(0);
    pb.close();
  });

  it('fails a live route over while the session opens, and meters a cut session as stream_cut', async () => {
    const usage: UsageRecord[] = [];
    const pb = createPatchbay({
      config: {
        providers: {
          'deepgram-a': { kind: 'stt', vendor: 'deepgram', settings: { apiKey: 'test-key', baseURL: deepgram.url } },
          'deepgram-b': { kind: 'stt', vendor: 'deepgram', settings: { apiKey: 'test-key', baseURL: deepgram.url } },
        },
        routes: { stt: { providers: ['deepgram-a', 'deepgram-b'], retry: { maxRetries: 0 } } },
      },
      factories: [deepgramTranscriberFactory],
      env: false,
      usageSinks: [(record) => usage.push(record)],
    });
    deepgram.injectLive({ type: 'status', status: 503 });
    deepgram.injectLive({ type: 'cut', afterResults: 1 });
    // Mid-session failover off: the cut ends the session (stt-live-failover.test.ts covers it on).
    const session = await pb.stt.transcribeLive({
      encoding: 'pcm_s16le',
      sampleRate: 16_000,
      failover: { enabled: false },
    });
    expect(session.provider).toBe('deepgram-b');
    const iterated = (async () => {
      for await (const _event of session.events) {
        // drain
      }
    })();
    session.send(new Uint8Array(64_000));
    await expect(iterated).rejects.toMatchObject({ code: 'stream_cut' });
    expect(usage.map((record) => [record.provider, record.outcome])).toEqual([
      ['deepgram-a', 'error'],
      ['deepgram-b', 'stream_cut'],
    ]);
    pb.close();
  });
});
