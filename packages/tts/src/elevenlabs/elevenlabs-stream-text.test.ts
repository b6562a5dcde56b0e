import {
  createElevenLabsStreamInputSimulator,
  type ElevenLabsStreamInputSimulator,
} from '@patchbay/testing/simulators/elevenlabs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectAudio } from '../audio-stream.js';
import { createElevenLabsSpeechSynthesizer } from './index.js';

let socket: ElevenLabsStreamInputSimulator;

beforeAll(async () => {
  socket = await createElevenLabsStreamInputSimulator().start();
});
afterAll(() => socket.close());
beforeEach(() => socket.reset());

const create = (apiKey = 'test-key') =>
  createElevenLabsSpeechSynthesizer({ id: 'eleven', apiKey, streamingURL: socket.url, env: {} });
const mulaw = { encoding: 'mulaw', sampleRate: 8000 } as const;

async function* deltas(chunks: readonly string[]): AsyncGenerator<string> {
  for (const chunk of chunks) yield chunk;
}

async function settled(): Promise<void> {
  for (let index = 0; index < 5000 && socket.openConnections > 0; index++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('ElevenLabs streamText over websocket input streaming', () => {
  it('opens with a space, sends each piece with flush, ends with an empty text, and decodes base64 audio', async () => {
    const result = await create().streamText(deltas(['Hello', ' there. How can', ' I help?']), {
      format: mulaw,
      speed: 1.1,
      language: 'en-GB',
      model: 'eleven_flash_v2_5',
    });
    const audio = await collectAudio(result.stream);
    const text = 'Hello there. How can I help?';
    expect(audio.length).toBe(
      Math.round('Hello there. '.length * 0.06 * 8000) + Math.round('How can I help?'.length * 0.06 * 8000),
    );
    const [session] = socket.sessions;
    expect(session?.path).toBe('/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb/stream-input');
    expect(Object.fromEntries(session?.query ?? [])).toEqual({
      model_id: 'eleven_flash_v2_5',
      output_format: 'ulaw_8000',
      language_code: 'en',
    });
    expect(session?.headers['xi-api-key']).toBe('test-key');
    expect(session?.messages).toEqual([
      { text: ' ', voice_settings: { speed: 1.1 } },
      { text: 'Hello there. ', flush: true },
      { text: 'How can I help?', flush: true },
      { text: '' },
    ]);
    expect(result).toMatchObject({ provider: 'eleven', vendor: 'elevenlabs', characters: text.length });
    await settled();
    expect(socket.openConnections).toBe(0);
  });

  it('maps a refused upgrade (401 auth, 429 rate limit with Retry-After) before any audio', async () => {
    await expect(create('wrong-key').streamText(deltas(['Hi.']), { format: mulaw })).rejects.toMatchObject({
      code: 'auth',
      provider: 'eleven',
    });
    socket.inject({ type: 'status', status: 429, retryAfterSeconds: 3 });
    await expect(create().streamText(deltas(['Hi.']), { format: mulaw })).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 3000,
    });
  });

  it('a refused key appears nowhere in the error: message, JSON or inspect', async () => {
    const canary = 'sk_CANARYstreamtextkey0123456789';
    const errors: unknown[] = [];
    errors.push(
      await create(canary)
        .streamText(deltas(['Hi.']), { format: mulaw })
        .catch((error: unknown) => error),
    );
    expect(socket.sessions).toHaveLength(0);
    for (const error of errors) {
      expect(error).toMatchObject({ name: 'PatchbayError' });
      const { inspect } = await import('node:util');
      expect(`${(error as Error).message} ${JSON.stringify(error)} ${inspect(error, { depth: 5 })}`).not.toContain(
        'CANARY',
      );
    }
  });

  it('a connection dropped after audio started is a stream_cut; one dropped before is a fail-over-able error', async () => {
    socket.inject({ type: 'cut', afterAudioChunks: 1 });
    const result = await create().streamText(deltas(['A long first sentence to make audio. Then more.']), {
      format: { encoding: 'pcm_s16le', sampleRate: 16000 },
    });
    await expect(collectAudio(result.stream)).rejects.toMatchObject({ code: 'stream_cut', provider: 'eleven' });
    socket.inject({ type: 'cut', afterAudioChunks: 0 });
    await expect(create().streamText(deltas(['Hi there.']), { format: mulaw })).rejects.toMatchObject({
      code: 'unavailable',
      provider: 'eleven',
    });
  });

  it('barge-in: the caller signal closes the socket and stops reading the text', async () => {
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

  it('with the default model (eleven_multilingual_v2) sends no language_code and warns, as synthesize does', async () => {
    const result = await create().streamText(deltas(['Bonjour.']), { format: mulaw, language: 'fr-FR' });
    await collectAudio(result.stream);
    expect(Object.fromEntries(socket.sessions[0]?.query ?? [])).toEqual({
      model_id: 'eleven_multilingual_v2',
      output_format: 'ulaw_8000',
    });
    expect(result.warnings).toEqual([
      {
        type: 'unsupported-setting',
        setting: 'language',
        message: 'eleven_multilingual_v2 detects the language from the text; language_code was not sent',
      },
    ]);
  });

  it('keeps the text at most three pieces ahead of the last audio the reader took', async () => {
    let read = 0;
    const source: AsyncIterable<string> = {
      async *[Symbol.asyncIterator]() {
        for (let index = 0; index < 30; index++) {
          read++;
          yield `Sentence number ${index}. `;
        }
      },
    };
    const result = await create().streamText(source, { format: mulaw });
    const iterator = result.stream[Symbol.asyncIterator]();
    await iterator.next();
    // The reader holds the first chunk and reads no further.
    for (let index = 0; index < 2000; index++) await new Promise((resolve) => setImmediate(resolve));
    const pieces = (socket.sessions[0]?.messages ?? []).filter((message) => message.flush === true);
    // The first piece (whose audio the reader took), at most two sent before that audio came, three after it.
    expect(pieces.length).toBeLessThanOrEqual(6);
    expect(read).toBeLessThanOrEqual(pieces.length + 1);
    await iterator.return?.(undefined);
    await settled();
    expect(socket.openConnections).toBe(0);
  });
});
