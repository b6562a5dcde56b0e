import { createPatchbay, type UsageRecord } from '@patchbay/core';
import {
  createDeepgramSpeakSocketSimulator,
  type DeepgramSpeakSocketSimulator,
} from '@patchbay/testing/simulators/deepgram';
import {
  createElevenLabsStreamInputSimulator,
  type ElevenLabsStreamInputSimulator,
} from '@patchbay/testing/simulators/elevenlabs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectAudio } from './audio-stream.js';
import { deepgramSpeechSynthesizerFactory } from './deepgram/index.js';
import { elevenlabsSpeechSynthesizerFactory } from './elevenlabs/index.js';

let elevenlabs: ElevenLabsStreamInputSimulator;
let deepgram: DeepgramSpeakSocketSimulator;

beforeAll(async () => {
  [elevenlabs, deepgram] = await Promise.all([
    createElevenLabsStreamInputSimulator().start(),
    createDeepgramSpeakSocketSimulator().start(),
  ]);
});
afterAll(async () => {
  await Promise.all([elevenlabs.close(), deepgram.close()]);
});
beforeEach(() => {
  elevenlabs.reset();
  deepgram.reset();
});

function patchbay(records: UsageRecord[]) {
  return createPatchbay({
    config: {
      providers: {
        aura: { kind: 'tts', vendor: 'deepgram', settings: { streamingURL: deepgram.url, apiKey: 'test-key' } },
        eleven: { kind: 'tts', vendor: 'elevenlabs', settings: { streamingURL: elevenlabs.url, apiKey: 'test-key' } },
      },
      routes: { tts: { providers: ['aura', 'eleven'], retry: { maxRetries: 0 } } },
    },
    factories: [elevenlabsSpeechSynthesizerFactory, deepgramSpeechSynthesizerFactory],
    env: {},
    usageSinks: [(record) => records.push(record)],
  });
}

async function* deltas(chunks: readonly string[]): AsyncGenerator<string> {
  for (const chunk of chunks) yield chunk;
}

const mulaw = { encoding: 'mulaw', sampleRate: 8000 } as const;

describe('streamText through a route, on the websocket simulators', () => {
  it('fails over from Deepgram refusing the connection to ElevenLabs, and meters the characters spoken', async () => {
    const records: UsageRecord[] = [];
    const pb = patchbay(records);
    deepgram.inject({ type: 'status', status: 503 });
    const result = await pb.tts.streamText?.(deltas(['Your order', ' has shipped. ', 'Anything else?']), {
      format: mulaw,
    });
    expect(result?.provider).toBe('eleven');
    await collectAudio(result?.stream ?? []);
    expect(elevenlabs.sessions[0]?.text).toBe('Your order has shipped. Anything else?');
    expect(records.map((record) => [record.provider, record.outcome, record.quantity])).toEqual([
      ['aura', 'error', 0],
      ['eleven', 'success', 38],
    ]);
    pb.close();
  });

  it('a vendor that took text and stalled before any audio is replaced on the attempt timeout, with the text replayed', async () => {
    const records: UsageRecord[] = [];
    const pb = createPatchbay({
      config: {
        providers: {
          aura: { kind: 'tts', vendor: 'deepgram', settings: { streamingURL: deepgram.url, apiKey: 'test-key' } },
          eleven: { kind: 'tts', vendor: 'elevenlabs', settings: { streamingURL: elevenlabs.url, apiKey: 'test-key' } },
        },
        routes: { tts: { providers: ['aura', 'eleven'], retry: { maxRetries: 0 }, attemptTimeoutMs: 200 } },
      },
      factories: [elevenlabsSpeechSynthesizerFactory, deepgramSpeechSynthesizerFactory],
      env: {},
      usageSinks: [(record) => records.push(record)],
    });
    deepgram.inject({ type: 'stall' });
    const result = await pb.tts.streamText?.(deltas(['First sentence. ', 'Second one.']), { format: mulaw });
    expect(result?.provider).toBe('eleven');
    await collectAudio(result?.stream ?? []);
    expect(deepgram.sessions[0]?.text.startsWith('First sentence. ')).toBe(true);
    expect(elevenlabs.sessions[0]?.text).toBe('First sentence. Second one.');
    expect(records.map((record) => [record.provider, record.outcome, record.errorCode])).toEqual([
      ['aura', 'error', 'timeout'],
      ['eleven', 'success', undefined],
    ]);
    pb.close();
  });

  it('a cut after the first audio is a stream_cut with no failover', async () => {
    const records: UsageRecord[] = [];
    const pb = patchbay(records);
    deepgram.inject({ type: 'cut', afterAudioChunks: 1 });
    const result = await pb.tts.streamText?.(deltas(['A sentence long enough for two chunks of audio. ']), {
      format: { encoding: 'pcm_s16le', sampleRate: 16000 },
    });
    await expect(collectAudio(result?.stream ?? [])).rejects.toMatchObject({ code: 'stream_cut' });
    expect(elevenlabs.sessions).toHaveLength(0);
    expect(records.map((record) => [record.provider, record.outcome])).toEqual([['aura', 'stream_cut']]);
    pb.close();
  });
});
