// A caller that ends a speech stream with `return()` before its first `next()` (a barge-in before the first read)
// still closes the vendor side: an async generator that has not started does not run its `finally` on `return()`,
// so the adapters and the route release what the generator would have.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createPatchbay, type Patchbay, type UsageRecord } from '@patchbay/core';
import {
  createDeepgramSpeakSocketSimulator,
  type DeepgramSpeakSocketSimulator,
} from '@patchbay/testing/simulators/deepgram';
import {
  createElevenLabsStreamInputSimulator,
  type ElevenLabsStreamInputSimulator,
} from '@patchbay/testing/simulators/elevenlabs';
import { createOpenAISimulator, type LanguageModelSimulator } from '@patchbay/testing/simulators/openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDeepgramSpeechSynthesizer, deepgramSpeechSynthesizerFactory } from './deepgram/index.js';
import { createElevenLabsSpeechSynthesizer, elevenlabsSpeechSynthesizerFactory } from './elevenlabs/index.js';
import { createOpenAISpeechSynthesizer, openaiSpeechSynthesizerFactory } from './openai/index.js';
import { speakLanguageModelStream } from './voice-turn/speak-language-model-stream.js';

const apiKey = 'sk-valid-tts-key-5c1d';
let openai: LanguageModelSimulator;
let elevenlabs: ElevenLabsStreamInputSimulator;
let deepgram: DeepgramSpeakSocketSimulator;

beforeAll(async () => {
  [openai, elevenlabs, deepgram] = await Promise.all([
    // Paced and long: a response is still being written when the caller lets it go.
    createOpenAISimulator({ apiKeys: [apiKey], audio: { chunkIntervalMs: 5 } }).start(),
    createElevenLabsStreamInputSimulator().start(),
    createDeepgramSpeakSocketSimulator().start(),
  ]);
});
afterAll(async () => {
  await Promise.all([openai.close(), elevenlabs.close(), deepgram.close()]);
});
beforeEach(() => {
  openai.reset();
  elevenlabs.reset();
  deepgram.reset();
});

/** The simulator's HTTP responses as they end: `finished` is false for one the client went away from. */
function watchResponses(server: Server) {
  const responses: Array<{ closed: boolean; finished: boolean }> = [];
  const listener = (_request: IncomingMessage, response: ServerResponse) => {
    const entry = { closed: false, finished: false };
    responses.push(entry);
    response.once('close', () => {
      entry.closed = true;
      entry.finished = response.writableFinished;
    });
  };
  server.on('request', listener);
  return { responses, stop: () => server.off('request', listener) };
}

let watched: ReturnType<typeof watchResponses> | undefined;
afterEach(() => {
  watched?.stop();
  watched = undefined;
});

/** Lets the event loop turn until `done()` holds (a bounded number of turns, no clock). */
async function until(done: () => boolean): Promise<void> {
  for (let index = 0; index < 5000 && !done(); index++) await new Promise((resolve) => setImmediate(resolve));
}

/** A text source that never ends (the vendor keeps its session open), recording whether it was closed. */
function endlessText() {
  const state = { returned: false };
  const text: AsyncIterable<string> = {
    [Symbol.asyncIterator]: () => ({
      next: async () => ({ done: false, value: 'Another sentence here. ' }),
      return: async () => {
        state.returned = true;
        return { done: true, value: undefined };
      },
    }),
  };
  return { text, state };
}

async function* deltas(chunks: readonly string[]): AsyncGenerator<string> {
  for (const chunk of chunks) yield chunk;
}

// About 240 seconds of 24 kHz PCM: far more than the connection buffers while nobody reads.
const longText = 'This sentence is long enough to take a while to say out loud. '.repeat(64);
const pcm = { encoding: 'pcm_s16le', sampleRate: 24000 } as const;
const mulaw = { encoding: 'mulaw', sampleRate: 8000 } as const;

const openaiSpeech = () =>
  createOpenAISpeechSynthesizer({ id: 'speech', apiKey, baseURL: `${openai.url}/v1`, env: {} });

describe('return() before the first read releases the vendor side', () => {
  it('OpenAI stream(): the HTTP response is cancelled', async () => {
    watched = watchResponses(openai.server);
    const result = await openaiSpeech().stream({ text: longText, format: pcm });
    expect(watched.responses).toHaveLength(1);
    await expect(result.stream[Symbol.asyncIterator]().return?.()).resolves.toMatchObject({ done: true });
    await until(() => watched?.responses.every((response) => response.closed) ?? false);
    expect(watched.responses).toEqual([{ closed: true, finished: false }]);
    // The stream is over: a later read is done, and reads nothing.
    await expect(result.stream[Symbol.asyncIterator]().next()).resolves.toMatchObject({ done: true });
  });

  it('OpenAI streamText() (one request per sentence): the current and the next request are cancelled', async () => {
    watched = watchResponses(openai.server);
    const result = await openaiSpeech().streamText(deltas([longText, longText]), { format: pcm });
    await result.stream[Symbol.asyncIterator]().return?.();
    await until(
      () => (watched?.responses.length ?? 0) > 0 && watched?.responses.every((response) => response.closed) === true,
    );
    expect(watched.responses.length).toBeGreaterThan(0);
    for (const response of watched.responses) expect(response).toEqual({ closed: true, finished: false });
  });

  it('ElevenLabs streamText(): the websocket is closed and the text no longer read', async () => {
    const { text, state } = endlessText();
    const synthesizer = createElevenLabsSpeechSynthesizer({
      id: 'eleven',
      apiKey: 'test-key',
      streamingURL: elevenlabs.url,
      env: {},
    });
    const result = await synthesizer.streamText(text, { format: mulaw });
    expect(elevenlabs.openConnections).toBe(1);
    await result.stream[Symbol.asyncIterator]().return?.();
    await until(() => elevenlabs.openConnections === 0);
    expect(elevenlabs.openConnections).toBe(0);
    expect(state.returned).toBe(true);
  });

  it('Deepgram streamText(): the websocket is closed and the text no longer read', async () => {
    const { text, state } = endlessText();
    const synthesizer = createDeepgramSpeechSynthesizer({
      id: 'aura',
      apiKey: 'test-key',
      streamingURL: deepgram.url,
      env: {},
    });
    const result = await synthesizer.streamText(text, { format: mulaw });
    expect(deepgram.openConnections).toBe(1);
    await result.stream[Symbol.asyncIterator]().return?.();
    await until(() => deepgram.openConnections === 0);
    expect(deepgram.openConnections).toBe(0);
    expect(state.returned).toBe(true);
  });

  it('a voice turn whose audio is ended before it is read is interrupted, closing the speech socket', async () => {
    const llm = {
      stream: async (_request: unknown, options: { signal?: AbortSignal | undefined } = {}) => ({
        provider: 'thinking-llm',
        vendor: 'test',
        model: 'm',
        warnings: [],
        // One sentence, then it keeps thinking until it is stopped.
        stream: (async function* () {
          yield { type: 'text-delta' as const, delta: 'Your order shipped yesterday. ' };
          await new Promise((_resolve, reject) => {
            options.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true });
          });
        })(),
      }),
    };
    const tts = createDeepgramSpeechSynthesizer({
      id: 'aura',
      apiKey: 'test-key',
      streamingURL: deepgram.url,
      env: {},
    });
    const turn = await speakLanguageModelStream({
      llm,
      tts,
      request: { messages: [{ role: 'user', content: 'Where is my order?' }] },
      speech: { format: mulaw },
    });
    expect(deepgram.openConnections).toBe(1);
    await turn.audio[Symbol.asyncIterator]().return?.();
    await until(() => deepgram.openConnections === 0);
    expect(deepgram.openConnections).toBe(0);
    expect((await turn.finished).outcome).toBe('interrupted');
  });
});

describe('return() before the first read of a routed speech stream', () => {
  function patchbay(records: UsageRecord[]) {
    return createPatchbay({
      config: {
        providers: {
          speech: { kind: 'tts', vendor: 'openai', settings: { baseURL: `${openai.url}/v1`, apiKey } },
          eleven: {
            kind: 'tts',
            vendor: 'elevenlabs',
            settings: { streamingURL: elevenlabs.url, apiKey: 'test-key' },
          },
        },
        routes: {
          speech: { providers: ['speech'], retry: { maxRetries: 0 } },
          eleven: { providers: ['eleven'], retry: { maxRetries: 0 } },
        },
      },
      factories: [openaiSpeechSynthesizerFactory, elevenlabsSpeechSynthesizerFactory, deepgramSpeechSynthesizerFactory],
      env: {},
      usageSinks: [(record) => records.push(record)],
    });
  }
  const route = (records: UsageRecord[], name: string) => patchbay(records).route(name) as Patchbay['tts'];

  it('stream(): cancels the member’s HTTP response and meters the call as aborted', async () => {
    const records: UsageRecord[] = [];
    watched = watchResponses(openai.server);
    const result = await route(records, 'speech').stream({ text: longText, format: pcm });
    await result.stream[Symbol.asyncIterator]().return?.();
    await until(() => records.length > 0 && watched?.responses.every((response) => response.closed) === true);
    expect(watched.responses).toEqual([{ closed: true, finished: false }]);
    expect(records).toMatchObject([{ provider: 'speech', outcome: 'aborted' }]);
  });

  it('streamText(): closes the member’s websocket and the caller’s text, and meters the call as aborted', async () => {
    const records: UsageRecord[] = [];
    const { text, state } = endlessText();
    const result = await route(records, 'eleven').streamText?.(text, { format: mulaw });
    expect(elevenlabs.openConnections).toBe(1);
    await result?.stream[Symbol.asyncIterator]().return?.();
    await until(() => records.length > 0 && elevenlabs.openConnections === 0);
    expect(elevenlabs.openConnections).toBe(0);
    expect(state.returned).toBe(true);
    expect(records).toMatchObject([{ provider: 'eleven', outcome: 'aborted' }]);
  });
});
