import { createFakeClock } from '@patchbay/testing';
import {
  createDeepgramSpeakSocketSimulator,
  type DeepgramSpeakSocketSimulator,
} from '@patchbay/testing/simulators/deepgram';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectAudio } from '../audio-stream.js';
import { createDeepgramSpeechSynthesizer } from './index.js';

let socket: DeepgramSpeakSocketSimulator;

beforeAll(async () => {
  socket = await createDeepgramSpeakSocketSimulator().start();
});
afterAll(() => socket.close());
beforeEach(() => socket.reset());

const create = (apiKey = 'test-key') =>
  createDeepgramSpeechSynthesizer({ id: 'aura', apiKey, streamingURL: socket.url, env: {} });
const mulaw = { encoding: 'mulaw', sampleRate: 8000 } as const;

async function* deltas(chunks: readonly string[]): AsyncGenerator<string> {
  for (const chunk of chunks) yield chunk;
}

async function settled(): Promise<void> {
  for (let index = 0; index < 5000 && socket.openConnections > 0; index++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('Deepgram streamText over the websocket speak API', () => {
  it('sends Speak + Flush per piece, closes with Close after the last Flushed, and counts characters', async () => {
    const result = await create().streamText(deltas(['Hello', ' there. How can', ' I help?']), { format: mulaw });
    const audio = await collectAudio(result.stream);
    const text = 'Hello there. How can I help?';
    expect(audio.length).toBe(Math.round(text.length * 0.06 * 8000));
    const [session] = socket.sessions;
    expect(session?.query.get('model')).toBe('aura-2-thalia-en');
    expect(session?.query.get('encoding')).toBe('mulaw');
    expect(session?.query.get('sample_rate')).toBe('8000');
    expect(session?.headers.authorization).toBe('Token test-key');
    expect(session?.messages).toEqual([
      { type: 'Speak', text: 'Hello there. ' },
      { type: 'Flush' },
      { type: 'Speak', text: 'How can I help?' },
      { type: 'Flush' },
      { type: 'Close' },
    ]);
    expect(result).toMatchObject({ provider: 'aura', vendor: 'deepgram', characters: text.length });
    await settled();
    expect(socket.openConnections).toBe(0);
  });

  it('maps a refused upgrade with the vendor table (401 auth, 429 with Retry-After)', async () => {
    await expect(create('wrong-key').streamText(deltas(['Hi.']), { format: mulaw })).rejects.toMatchObject({
      code: 'auth',
      provider: 'aura',
      status: 401,
    });
    socket.inject({ type: 'status', status: 429, retryAfterSeconds: 2 });
    await expect(create().streamText(deltas(['Hi.']), { format: mulaw })).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 2000,
    });
  });

  it('a connection dropped after audio started is a stream_cut', async () => {
    socket.inject({ type: 'cut', afterAudioChunks: 1 });
    const result = await create().streamText(deltas(['A long first sentence to make audio. Then more.']), {
      format: { encoding: 'pcm_s16le', sampleRate: 8000 },
    });
    await expect(collectAudio(result.stream)).rejects.toMatchObject({ code: 'stream_cut', provider: 'aura' });
  });

  it('barge-in: the caller signal closes the socket and stops reading the text, leaving nothing open', async () => {
    const controller = new AbortController();
    let returned = false;
    const endless: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false, value: 'Another sentence here. ' }),
        return: async () => {
          returned = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const result = await create().streamText(endless, { format: mulaw, signal: controller.signal });
    const iterator = result.stream[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();
    await expect(iterator.next()).rejects.toMatchObject({ code: 'aborted' });
    await settled();
    expect(socket.openConnections).toBe(0);
    expect(returned).toBe(true);
  });

  it('an upgrade that never answers is ended by the caller signal, leaving no connection', async () => {
    socket.inject({ type: 'hang' });
    const controller = new AbortController();
    const pending = create().streamText(deltas(['Hi.']), { format: mulaw, signal: controller.signal });
    for (let index = 0; index < 5000 && socket.openConnections === 0; index++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(socket.openConnections).toBe(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted', provider: 'aura' });
    await settled();
    expect(socket.openConnections).toBe(0);
  });

  it('stopping to read closes the socket', async () => {
    const result = await create().streamText(deltas(['One sentence. ', 'Two sentences. ']), { format: mulaw });
    for await (const _chunk of result.stream) break;
    await settled();
    expect(socket.openConnections).toBe(0);
  });

  it('falls back to the REST chunker for formats the socket cannot produce', async () => {
    const synthesizer = createDeepgramSpeechSynthesizer({
      apiKey: 'test-key',
      baseURL: 'http://127.0.0.1:9',
      streamingURL: socket.url,
      env: {},
    });
    await expect(synthesizer.streamText(deltas(['Hi.']), { format: { encoding: 'mp3' } })).rejects.toMatchObject({
      code: 'connection',
    });
    expect(socket.sessions).toHaveLength(0);
  });
});

describe("Deepgram streamText within Aura's flush limit (20 a minute)", () => {
  it('sends pieces past the limit without a flush and flushes them once the window allows, on the fake clock', async () => {
    const clock = createFakeClock();
    try {
      const sentences = Array.from({ length: 23 }, (_, index) => `Sentence number ${index}. `);
      const result = await create().streamText(deltas(sentences), { format: mulaw });
      const collected = collectAudio(result.stream);
      for (let index = 0; index < 5000 && (socket.sessions[0]?.messages.length ?? 0) < 43; index++) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      const before = socket.sessions[0]?.messages ?? [];
      expect(before.filter((message) => message.type === 'Flush')).toHaveLength(20);
      expect(before.filter((message) => message.type === 'Speak')).toHaveLength(23);
      expect(before.at(-1)).toEqual({ type: 'Speak', text: 'Sentence number 22. ' });
      await clock.advance(60_000);
      const audio = await collected;
      expect(audio.length).toBe(Math.round(sentences.join('').length * 0.06 * 8000));
      expect(socket.sessions[0]?.messages.slice(-2)).toEqual([{ type: 'Flush' }, { type: 'Close' }]);
      expect(result.characters).toBe(sentences.join('').length);
      await settled();
      expect(clock.pendingTimers()).toBe(0);
    } finally {
      clock.uninstall();
    }
  });

  it('keeps the text at most three pieces ahead of the audio the reader has taken, also past the limit', async () => {
    const clock = createFakeClock();
    try {
      const sentences = Array.from({ length: 30 }, (_, index) => `Sentence number ${index}. `);
      let read = 0;
      const source: AsyncIterable<string> = {
        async *[Symbol.asyncIterator]() {
          for (const sentence of sentences) {
            read++;
            yield sentence;
          }
        },
      };
      const messages = () => socket.sessions[0]?.messages ?? [];
      const count = (type: string) => messages().filter((message) => message.type === type).length;
      const quiet = async () => {
        for (let index = 0; index < 2000; index++) await new Promise((resolve) => setImmediate(resolve));
      };
      const audioBytes = (pieces: readonly string[]) => Math.round(pieces.join('').length * 0.06 * 8000);
      const result = await create().streamText(source, { format: mulaw });
      const iterator = result.stream[Symbol.asyncIterator]();
      // The reader takes the audio of the 20 pieces Aura flushes this minute, then waits for more.
      const firstMinute = sentences.slice(0, 20).reduce((sum, sentence) => sum + audioBytes([sentence]), 0);
      let bytes = 0;
      while (bytes < firstMinute) {
        const next = await iterator.next();
        if (next.done) throw new Error('the audio ended early');
        bytes += next.value.length;
      }
      expect(bytes).toBe(firstMinute);
      const waiting = iterator.next();
      waiting.catch(() => {});
      await quiet();
      // Past the limit: three pieces go without a flush, and no more until their audio has been taken.
      expect(count('Flush')).toBe(20);
      expect(count('Speak')).toBe(23);
      expect(read).toBeLessThanOrEqual(24);
      // The window opens: one flush speaks them; the reader takes one chunk of their audio and stops, so no
      // more text goes out.
      await clock.advance(60_000);
      const woken = await waiting;
      bytes += woken.done ? 0 : woken.value.length;
      await quiet();
      expect(count('Flush')).toBe(21);
      expect(count('Speak')).toBe(23);
      expect(read).toBeLessThanOrEqual(24);
      // Reading again, the rest is spoken, flushed piece by piece (the window has room again).
      while (true) {
        const next = await iterator.next();
        if (next.done) break;
        bytes += next.value.length;
      }
      expect(bytes).toBe(
        firstMinute +
          audioBytes(sentences.slice(20, 23)) +
          sentences.slice(23).reduce((sum, sentence) => sum + audioBytes([sentence]), 0),
      );
      expect(read).toBe(30);
      expect(count('Speak')).toBe(30);
      expect(count('Flush')).toBe(28);
      expect(messages().at(-1)).toEqual({ type: 'Close' });
      expect(result.characters).toBe(sentences.join('').length);
      await settled();
      expect(clock.pendingTimers()).toBe(0);
    } finally {
      clock.uninstall();
    }
  });
});
