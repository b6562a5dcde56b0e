import { type CartesiaSimulator, createCartesiaSimulator } from '@patchbay/testing/simulators/cartesia';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CartesiaSpeechSynthesizer } from './cartesia-speech-synthesizer.js';
import {
  CartesiaConnectionFailure,
  type CartesiaGeneration,
  CartesiaStreamError,
  CartesiaWebSocket,
  streamCartesiaText,
} from './cartesia-websocket.js';
import { createCartesiaSpeechSynthesizer } from './index.js';

let simulator: CartesiaSimulator;
beforeAll(async () => {
  simulator = await createCartesiaSimulator().start();
});
afterAll(() => simulator.close());
beforeEach(() => simulator.reset());

const generation: CartesiaGeneration = {
  model_id: 'sonic-2',
  voice: { mode: 'id', id: 'a0e99841-438c-4a64-b679-ae501e7d6091' },
  output_format: { container: 'raw', encoding: 'pcm_mulaw', sample_rate: 8000 },
};
const connect = (signal?: AbortSignal) =>
  CartesiaWebSocket.connect({
    url: `${simulator.wsURL}/tts/websocket`,
    apiKey: 'test-key',
    version: '2025-04-16',
    signal,
  });

async function bytesOf(audio: AsyncIterable<Uint8Array>): Promise<number> {
  let total = 0;
  for await (const chunk of audio) total += chunk.length;
  return total;
}

async function* pieces(texts: string[]): AsyncGenerator<string> {
  for (const text of texts) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    yield text;
  }
}

describe('Cartesia websocket client', () => {
  it('streams text input: pieces with continue: true, then an empty final piece, audio for every piece', async () => {
    const socket = await connect();
    const texts = ['Hello there, ', 'your table ', 'is ready.'];
    const total = await bytesOf(streamCartesiaText(socket, generation, pieces(texts)));
    socket.close();
    const messages = simulator.websocket.sessions[0]?.messages ?? [];
    expect(messages.map((message) => [message.transcript, message.continue])).toEqual([
      ['Hello there, ', true],
      ['your table ', true],
      ['is ready.', true],
      ['', false],
    ]);
    // One context for the utterance, every message carrying the full generation fields.
    expect(new Set(messages.map((message) => message.context_id)).size).toBe(1);
    expect(messages.every((message) => message.model_id === 'sonic-2')).toBe(true);
    expect(total).toBe(texts.reduce((sum, text) => sum + Math.round(text.length * 0.06 * 8000), 0));
  });

  it('multiplexes contexts on one connection, each getting its own audio', async () => {
    const socket = await connect();
    const first = socket.context(generation);
    const second = socket.context(generation);
    first.finish('One.');
    second.finish('Two, three.');
    const [a, b] = await Promise.all([bytesOf(first.audio()), bytesOf(second.audio())]);
    expect(a).toBe(Math.max(800, Math.round(4 * 0.06 * 8000)));
    expect(b).toBe(Math.round(11 * 0.06 * 8000));
    expect(socket.activeContexts).toBe(0);
    socket.close();
  });

  it('cancels the context when the consumer stops early', async () => {
    const socket = await connect();
    const context = socket.context(generation);
    context.finish('A long sentence. '.repeat(40));
    for await (const _chunk of context.audio()) break;
    // The cancel crosses the socket: wait for the simulator to have it (no fixed sleep).
    while ((simulator.websocket.sessions[0]?.messages.length ?? 0) < 2) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(simulator.websocket.sessions[0]?.messages.at(-1)).toEqual({ context_id: context.id, cancel: true });
    expect(context.ended).toBe(true);
    socket.close();
  });

  it('fails a context with the vendor error event', async () => {
    simulator.inject({ type: 'status', status: 429 }, { path: '/tts/websocket' });
    const socket = await connect();
    const context = socket.context(generation);
    context.finish('Hello.');
    const error = await bytesOf(context.audio()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CartesiaStreamError);
    expect(error).toMatchObject({ status: 429, body: { error_code: 'concurrency_limited' } });
    socket.close();
  });

  it('fails waiting contexts when the connection drops', async () => {
    simulator.inject({ type: 'stream-cut', afterChunks: 1 }, { path: '/tts/websocket' });
    const socket = await connect();
    const context = socket.context(generation);
    context.finish('A long sentence. '.repeat(20));
    const error = await bytesOf(context.audio()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CartesiaConnectionFailure);
    expect(socket.closed).toBe(true);
  });

  it('rejects a refused handshake as a connection failure that had not opened', async () => {
    const error = await CartesiaWebSocket.connect({
      url: `${simulator.wsURL}/tts/websocket`,
      apiKey: 'wrong',
      version: '2025-04-16',
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CartesiaConnectionFailure);
    expect((error as CartesiaConnectionFailure).opened).toBe(false);
  });

  it('stops a hung handshake when the signal aborts', async () => {
    simulator.inject({ type: 'hang' }, { path: '/tts/websocket' });
    const controller = new AbortController();
    const pending = connect(controller.signal).catch((caught: unknown) => caught);
    setTimeout(() => controller.abort(new Error('stop')), 20);
    expect(await pending).toMatchObject({ message: 'stop' });
  });

  it('stops text input that failed, cancelling the context, and rethrows its error', async () => {
    const socket = await connect();
    async function* broken(): AsyncGenerator<string> {
      yield 'Hello. ';
      throw new Error('the language model failed');
    }
    await expect(bytesOf(streamCartesiaText(socket, generation, broken()))).rejects.toThrow(
      'the language model failed',
    );
    socket.close();
  });
});

describe('Cartesia adapter: streamed text input, ready for the skeleton hook', () => {
  class Probe extends CartesiaSpeechSynthesizer {
    async textStream(texts: AsyncIterable<string>, encoding: 'pcm_s16le' | 'mp3' = 'pcm_s16le') {
      const settings = this.settings;
      const credentials = await this.resolveCredentials(settings, {});
      return this.openTextStream(
        {
          settings,
          credentials,
          text: '',
          voice: settings.voice,
          model: settings.model,
          format: { encoding, sampleRate: 16000, channels: 1 },
          speed: undefined,
          language: undefined,
          vendorOptions: {},
          streaming: true,
          signal: undefined,
          warnings: [],
        },
        texts,
      );
    }
  }
  const probe = () =>
    new Probe({ id: 'tts', settings: { apiKey: 'test-key', baseURL: simulator.url }, runtime: { env: {} } });

  it('sends each piece as it comes and returns the audio body of the whole utterance', async () => {
    const response = await probe().textStream(pieces(['Your table ', 'is ready.']));
    let bytes = 0;
    for await (const chunk of response.body as ReadableStream<Uint8Array>) bytes += chunk.length;
    expect(bytes).toBe(Math.round(11 * 0.06 * 16000) * 2 + Math.round(9 * 0.06 * 16000) * 2);
    expect(simulator.websocket.sessions[0]?.messages.map((message) => message.continue)).toEqual([true, true, false]);
  });

  it('refuses a format the websocket cannot produce, naming format', async () => {
    await expect(probe().textStream(pieces(['Hi.']), 'mp3')).rejects.toMatchObject({
      code: 'invalid_request',
      details: { field: 'format' },
    });
  });
});

describe('Cartesia streamText (public)', () => {
  const create = () =>
    createCartesiaSpeechSynthesizer({ id: 'tts', apiKey: 'test-key', baseURL: simulator.url, env: {} });

  it('speaks streamed text over one websocket context, counting the characters it produced audio for', async () => {
    const result = await create().streamText(pieces(['Your table ', '', 'is ready.']), {
      format: { encoding: 'mulaw', sampleRate: 8000 },
    });
    let bytes = 0;
    for await (const chunk of result.stream) bytes += chunk.length;
    expect(bytes).toBe(Math.round(11 * 0.06 * 8000) + Math.round(9 * 0.06 * 8000));
    expect(result.characters).toBe(20);
    const [session] = simulator.websocket.sessions;
    expect(session?.messages.map((message) => [message.transcript, message.continue])).toEqual([
      ['Your table ', true],
      ['is ready.', true],
      ['', false],
    ]);
    expect(simulator.requestsTo('/tts/bytes')).toHaveLength(0);
  });

  it('falls back to sentence requests over /tts/bytes for MP3, which the websocket cannot produce', async () => {
    const result = await create().streamText(pieces(['First sentence. ', 'Second one.']), {
      format: { encoding: 'mp3', sampleRate: 44100 },
    });
    for await (const _chunk of result.stream);
    expect(simulator.requestsTo('/tts/bytes').length).toBeGreaterThanOrEqual(1);
    expect(simulator.websocket.sessions).toHaveLength(0);
  });
});
