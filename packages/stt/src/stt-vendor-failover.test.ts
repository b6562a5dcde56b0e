import { createPatchbay, type LiveTranscriptionEvent, type UsageRecord } from '@patchbay/core';
import { assemblyaiTranscriberFactory } from '@patchbay/stt/assemblyai';
import { deepgramTranscriberFactory } from '@patchbay/stt/deepgram';
import { createFakeClock } from '@patchbay/testing';
import { type AssemblyAISimulator, createAssemblyAISimulator } from '@patchbay/testing/simulators/assemblyai';
import { createDeepgramSimulator, type DeepgramSimulator, silentWav } from '@patchbay/testing/simulators/deepgram';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// Every half second of 8 kHz 16-bit audio holds its word's number in every sample; both simulators recognise the
// word from those bytes, so the same audio gives the same words whichever vendor hears it.
const bytesPerWord = 8000;
function wordAudio(index: number): Uint8Array {
  const audio = new Uint8Array(bytesPerWord);
  for (let offset = 0; offset < bytesPerWord; offset += 2) {
    audio[offset] = index & 0xff;
    audio[offset + 1] = index >> 8;
  }
  return audio;
}
const recognise = (window: Uint8Array) => `w${(window[0] ?? 0) | ((window[1] ?? 0) << 8)}`;

let deepgram: DeepgramSimulator;
let assemblyai: AssemblyAISimulator;
beforeAll(async () => {
  [deepgram, assemblyai] = await Promise.all([
    createDeepgramSimulator({ secondsPerWord: 0.5, wordsPerFinal: 4, recognise }).start(),
    createAssemblyAISimulator({ secondsPerWord: 0.5, wordsPerTurn: 4, recognise }).start(),
  ]);
});
afterAll(async () => {
  await Promise.all([deepgram.close(), assemblyai.close()]);
});
beforeEach(() => {
  deepgram.reset();
  assemblyai.reset();
});

function patchbay(route: string[], usage: UsageRecord[]) {
  return createPatchbay({
    config: {
      providers: {
        deepgram: { kind: 'stt', vendor: 'deepgram', settings: { apiKey: 'test-key', baseURL: deepgram.url } },
        assemblyai: {
          kind: 'stt',
          vendor: 'assemblyai',
          settings: { apiKey: 'test-key', baseURL: assemblyai.url, streamingURL: assemblyai.streamingURL },
        },
      },
      routes: { stt: { providers: route, retry: { maxRetries: 0 } } },
    },
    factories: [deepgramTranscriberFactory, assemblyaiTranscriberFactory],
    env: false,
    usageSinks: [(record) => usage.push(record)],
  });
}

async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 10_000; turn++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('condition never held');
}

describe('failover between Deepgram and AssemblyAI', () => {
  it('moves a live session from Deepgram to AssemblyAI mid-utterance: every final exactly once, on one timeline', async () => {
    const usage: UsageRecord[] = [];
    const pb = patchbay(['deepgram', 'assemblyai'], usage);
    // Deepgram: interims for w0-w2, the final "w0 w1 w2 w3", interims for w4, w5, then a reset while w6 is heard.
    deepgram.injectLive({ type: 'cut', afterResults: 6 });
    const session = await pb.stt.transcribeLive({ encoding: 'pcm_s16le', sampleRate: 8000 });
    const events: LiveTranscriptionEvent[] = [];
    const read = (async () => {
      for await (const event of session.events) events.push(event);
    })();
    for (let index = 0; index < 6; index++) {
      const seen = events.length;
      session.send(wordAudio(index));
      await until(() => events.length > seen);
    }
    session.send(wordAudio(6));
    await until(() => events.some((event) => event.type === 'failover'));
    expect(session.provider).toBe('assemblyai');
    for (let index = 7; index < 16; index++) session.send(wordAudio(index));
    await session.finish();
    await read;

    const finals = events.flatMap((event) => (event.type === 'transcript' && event.isFinal ? [event] : []));
    expect(finals.map((event) => [event.text, event.start])).toEqual([
      ['w0 w1 w2 w3', 0],
      ['w4 w5 w6 w7', 2],
      ['w8 w9 w10 w11', 4],
      ['w12 w13 w14 w15', 6],
    ]);
    expect(events.find((event) => event.type === 'failover')).toEqual({
      type: 'failover',
      from: 'deepgram',
      to: 'assemblyai',
      errorCode: 'stream_cut',
      at: 2,
      secondsReplayed: 1.5,
      secondsLost: 0,
    });
    expect(assemblyai.streamingSessions[0]?.bytesReceived).toBe(12 * bytesPerWord);
    expect(usage.map((record) => [record.provider, record.outcome, record.quantity, record.replayed])).toEqual([
      ['deepgram', 'stream_cut', 3.5, undefined],
      ['assemblyai', 'success', 6, 1.5],
    ]);
    pb.close();
  });

  it('fails a live session over at connect from AssemblyAI refusing with 429 to Deepgram', async () => {
    const usage: UsageRecord[] = [];
    const pb = patchbay(['assemblyai', 'deepgram'], usage);
    assemblyai.injectStreaming({ type: 'status', status: 429, retryAfterSeconds: 30 });
    const session = await pb.stt.transcribeLive({ encoding: 'mulaw', sampleRate: 8000 });
    expect(session.provider).toBe('deepgram');
    session.close();
    expect(usage[0]).toMatchObject({ provider: 'assemblyai', outcome: 'error', errorCode: 'rate_limited' });
    pb.close();
  });

  it.each([
    { from: 'deepgram', to: 'assemblyai' },
    { from: 'assemblyai', to: 'deepgram' },
  ])('fails recorded transcription over from a 503ing $from to $to', async ({ from, to }) => {
    const usage: UsageRecord[] = [];
    const pb = patchbay([from, to], usage);
    if (from === 'deepgram') deepgram.inject({ type: 'status', status: 503 }, { path: '/v1/listen' });
    else assemblyai.inject({ type: 'status', status: 503 }, { path: '/v2/upload' });
    const result = await pb.stt.transcribe({ audio: silentWav(2), mimeType: 'audio/wav' });
    expect(result).toMatchObject({ provider: to, vendor: to, durationSeconds: 2 });
    expect(usage.map((record) => [record.provider, record.outcome, record.quantity])).toEqual([
      [from, 'error', 0],
      [to, 'success', 2],
    ]);
    pb.close();
  });

  it("waits out AssemblyAI's Retry-After on a refused upgrade when it is the only member (fake clock)", async () => {
    const clock = createFakeClock({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const pb = createPatchbay({
        config: {
          providers: {
            assemblyai: {
              kind: 'stt',
              vendor: 'assemblyai',
              settings: { apiKey: 'test-key', baseURL: assemblyai.url, streamingURL: assemblyai.streamingURL },
            },
          },
          routes: { stt: { providers: ['assemblyai'], retry: { maxRetries: 1, initialDelayMs: 1, jitter: false } } },
        },
        factories: [assemblyaiTranscriberFactory],
        env: false,
      });
      assemblyai.injectStreaming({ type: 'status', status: 429, retryAfterSeconds: 2 });
      let opened = false;
      const pending = pb.stt.transcribeLive({ encoding: 'pcm_s16le', sampleRate: 8000 }).then((session) => {
        opened = true;
        return session;
      });
      await expect.poll(() => clock.pendingTimers() > 0).toBe(true);
      await clock.advance(1999);
      expect(opened).toBe(false);
      expect(assemblyai.streamingSessions).toHaveLength(0);
      await clock.advance(1);
      await expect.poll(() => opened).toBe(true);
      (await pending).close();
      pb.close();
    } finally {
      clock.uninstall();
    }
  });
});
