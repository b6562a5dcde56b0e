import type { LanguageModelSimulator } from '@patchbay/testing/simulators/openai';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectAudio } from '../audio-stream.js';
import { createOpenAISpeechSynthesizer } from './index.js';

const apiKey = 'sk-valid-tts-key-5c1d';
let simulator: LanguageModelSimulator;

beforeAll(async () => {
  simulator = await createOpenAISimulator({ apiKeys: [apiKey] }).start();
});
afterAll(() => simulator.close());
beforeEach(() => simulator.reset());

const create = () => createOpenAISpeechSynthesizer({ id: 'speech', apiKey, baseURL: `${simulator.url}/v1`, env: {} });

async function* deltas(chunks: readonly string[]): AsyncGenerator<string> {
  for (const chunk of chunks) yield chunk;
}

describe('OpenAI streamText (the chunker over the request API)', () => {
  it('sends one request per sentence, in order, and counts the characters spoken', async () => {
    const result = await create().streamText(deltas(['Hello', ' there. How', ' can I help', ' you today?']), {
      format: { encoding: 'pcm_s16le', sampleRate: 24000 },
    });
    expect(result).toMatchObject({ provider: 'speech', vendor: 'openai', format: { encoding: 'pcm_s16le' } });
    const audio = await collectAudio(result.stream);
    expect(audio.length).toBeGreaterThan(0);
    const inputs = simulator.requestsTo('/v1/audio/speech').map((request) => (request.json as { input: string }).input);
    expect(inputs).toEqual(['Hello there. ', 'How can I help you today?']);
    expect(result.characters).toBe('Hello there. How can I help you today?'.length);
  });

  it("requests the next piece while the current piece's audio plays", async () => {
    const result = await create().streamText(deltas(['First sentence here. ', 'Second sentence here.']), {
      format: { encoding: 'pcm_s16le', sampleRate: 24000 },
    });
    const iterator = result.stream[Symbol.asyncIterator]();
    await iterator.next();
    for (let index = 0; index < 5000 && simulator.requestsTo('/v1/audio/speech').length < 2; index++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(simulator.requestsTo('/v1/audio/speech')).toHaveLength(2);
    await iterator.return?.();
  });

  it('fails before any audio with the vendor error mapped, and refuses text that is not a string', async () => {
    simulator.inject({ type: 'status', status: 401 }, { path: '/v1/audio/speech' });
    await expect(create().streamText(deltas(['Hi.']))).rejects.toMatchObject({ code: 'auth', provider: 'speech' });
    await expect(create().streamText(deltas([42 as unknown as string]))).rejects.toMatchObject({
      code: 'invalid_request',
      details: { field: 'text[0]' },
    });
    await expect(create().streamText(deltas(['  ', '']))).rejects.toMatchObject({
      code: 'invalid_request',
      details: { field: 'text' },
    });
  });

  it('hands a failure of the text source to the caller as it was thrown', async () => {
    const failure = new Error('the model broke');
    async function* failing(): AsyncGenerator<string> {
      yield 'First sentence. ';
      throw failure;
    }
    const result = await create().streamText(failing());
    await expect(collectAudio(result.stream)).rejects.toBe(failure);
    const early = (async function* () {
      yield* [];
      throw failure;
    })();
    await expect(create().streamText(early)).rejects.toBe(failure);
  });

  it('stops reading the text and closes the request when the caller stops listening', async () => {
    let returned = false;
    let reads = 0;
    const endless: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          reads++;
          return { done: false, value: `Sentence ${reads}. ` };
        },
        return: async () => {
          returned = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const result = await create().streamText(endless);
    for await (const _chunk of result.stream) break;
    expect(returned).toBe(true);
    expect(reads).toBeLessThan(5);
  });

  it('aborts on the caller signal', async () => {
    const controller = new AbortController();
    const never: AsyncIterable<string> = { [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => {}) }) };
    const pending = create().streamText(never, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
  });

  it("is a stream_cut, the vendor's error its cause, when a later piece's request fails after audio", async () => {
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* source(): AsyncGenerator<string> {
      yield 'First sentence here. ';
      await gate;
      yield 'Second sentence here.';
    }
    const result = await create().streamText(source(), { format: { encoding: 'pcm_s16le', sampleRate: 24000 } });
    // The first piece's audio is in hand; the second piece's request is refused with a 400.
    simulator.inject({ type: 'status', status: 400 }, { path: '/v1/audio/speech' });
    release?.();
    const error = await collectAudio(result.stream).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      code: 'stream_cut',
      provider: 'speech',
      vendor: 'openai',
      cause: { code: 'invalid_request', status: 400 },
    });
    const inputs = simulator.requestsTo('/v1/audio/speech').map((request) => (request.json as { input: string }).input);
    expect(inputs).toContain('Second sentence here.');
  });

  it('a piece that is not a string after audio started is still invalid_request naming it', async () => {
    async function* source(): AsyncGenerator<string> {
      yield 'First sentence here. ';
      yield 42 as unknown as string;
    }
    const result = await create().streamText(source(), { format: { encoding: 'pcm_s16le', sampleRate: 24000 } });
    await expect(collectAudio(result.stream)).rejects.toMatchObject({
      code: 'invalid_request',
      details: { field: 'text[1]' },
    });
  });

  it("after audio started, the caller's abort stays aborted, and timeout for a TimeoutError reason", async () => {
    for (const [reason, code] of [
      [undefined, 'aborted'],
      [new DOMException('The deadline passed', 'TimeoutError'), 'timeout'],
    ] as const) {
      const controller = new AbortController();
      async function* source(): AsyncGenerator<string> {
        yield 'First sentence here. ';
        await new Promise(() => {});
      }
      const result = await create().streamText(source(), {
        format: { encoding: 'pcm_s16le', sampleRate: 24000 },
        signal: controller.signal,
      });
      const iterator = result.stream[Symbol.asyncIterator]();
      await iterator.next();
      controller.abort(reason);
      const error = await (async () => {
        while (!(await iterator.next()).done);
      })().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ code });
    }
  });
});
