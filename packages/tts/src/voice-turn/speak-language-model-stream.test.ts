import { createFakeClock, type FakeClock, MockLanguageModel, MockSpeechSynthesizer } from '@patchbay/testing';
import {
  createDeepgramSpeakSocketSimulator,
  type DeepgramSpeakSocketSimulator,
} from '@patchbay/testing/simulators/deepgram';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectAudio } from '../audio-stream.js';
import { createDeepgramSpeechSynthesizer } from '../deepgram/index.js';
import { speakLanguageModelStream } from './speak-language-model-stream.js';

let socket: DeepgramSpeakSocketSimulator;
let clock: FakeClock | undefined;

beforeAll(async () => {
  socket = await createDeepgramSpeakSocketSimulator().start();
});
afterAll(() => socket.close());
beforeEach(() => socket.reset());
afterEach(() => {
  clock?.uninstall();
  clock = undefined;
});

const request = { messages: [{ role: 'user' as const, content: 'Where is my order?' }] };
const sentences = ['Your order ', 'shipped yesterday. ', 'It arrives ', 'on Friday. ', 'Anything else?'];
const aura = () =>
  createDeepgramSpeechSynthesizer({ id: 'aura', apiKey: 'test-key', streamingURL: socket.url, env: {} });
const mulaw = { format: { encoding: 'mulaw', sampleRate: 8000 } } as const;

async function settled(): Promise<void> {
  for (let index = 0; index < 5000 && socket.openConnections > 0; index++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('speakLanguageModelStream', () => {
  it("speaks the model's text deltas as they arrive and reports the turn", async () => {
    const llm = new MockLanguageModel({ script: { chunks: sentences } });
    const turn = await speakLanguageModelStream({ llm, tts: aura(), request, speech: mulaw });
    expect(turn).toMatchObject({ speechProvider: 'aura', modelProvider: 'mock-llm', format: { encoding: 'mulaw' } });
    await collectAudio(turn.audio);
    const text = sentences.join('');
    expect(await turn.finished).toEqual({ outcome: 'completed', text, characters: text.length });
    expect(socket.sessions[0]?.text).toBe(text);
    expect(socket.sessions[0]?.messages.filter((message) => message.type === 'Speak')).toEqual([
      { type: 'Speak', text: 'Your order shipped yesterday. ' },
      { type: 'Speak', text: 'It arrives on Friday. ' },
      { type: 'Speak', text: 'Anything else?' },
    ]);
  });

  it('barge-in on the signal stops the model and the speech, leaving no socket, timer or listener', async () => {
    clock = createFakeClock();
    // A model that says two sentences and then keeps thinking until it is stopped.
    const model = { stopped: false };
    const llm = {
      stream: async (_request: unknown, options: { signal?: AbortSignal | undefined } = {}) => ({
        provider: 'thinking-llm',
        vendor: 'test',
        model: 'm',
        warnings: [],
        stream: (async function* () {
          try {
            yield { type: 'text-delta' as const, delta: 'Your order shipped yesterday. ' };
            yield { type: 'text-delta' as const, delta: 'It arrives on Friday. ' };
            await new Promise((_resolve, reject) => {
              options.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true });
            });
          } finally {
            model.stopped = true;
          }
        })(),
      }),
    };
    const caller = new AbortController();
    let listeners = 0;
    const add = caller.signal.addEventListener.bind(caller.signal);
    const remove = caller.signal.removeEventListener.bind(caller.signal);
    caller.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      listeners++;
      add(...args);
    }) as typeof add;
    caller.signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      listeners--;
      remove(...args);
    }) as typeof remove;
    const turn = await speakLanguageModelStream({ llm, tts: aura(), request, speech: mulaw, signal: caller.signal });
    const received: Uint8Array[] = [];
    for await (const chunk of turn.audio) {
      received.push(chunk);
      caller.abort();
    }
    expect(received).toHaveLength(1);
    const outcome = await turn.finished;
    expect(outcome.outcome).toBe('interrupted');
    expect(outcome.text).toBe('Your order shipped yesterday. It arrives on Friday. ');
    expect(model.stopped).toBe(true);
    await settled();
    expect(socket.openConnections).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
    expect(listeners).toBe(0);
  });

  it('interrupt() before the audio is read releases everything too', async () => {
    const llm = new MockLanguageModel({ script: { chunks: sentences } });
    const turn = await speakLanguageModelStream({ llm, tts: aura(), request, speech: mulaw });
    turn.interrupt();
    expect((await turn.finished).outcome).toBe('interrupted');
    await settled();
    expect(socket.openConnections).toBe(0);
  });

  it('a listener that stops reading ends the turn as interrupted', async () => {
    const llm = new MockLanguageModel({ script: { chunks: sentences } });
    const turn = await speakLanguageModelStream({ llm, tts: new MockSpeechSynthesizer(), request });
    for await (const _chunk of turn.audio) break;
    expect((await turn.finished).outcome).toBe('interrupted');
  });

  it('a model that fails before speaking rejects the turn; one that fails mid-turn fails the audio', async () => {
    const refused = new MockLanguageModel({ script: { error: 'rate_limited' } });
    await expect(
      speakLanguageModelStream({ llm: refused, tts: new MockSpeechSynthesizer(), request }),
    ).rejects.toMatchObject({ code: 'rate_limited' });
    const cut = new MockLanguageModel({ script: { chunks: sentences, cutAfter: 2 } });
    const turn = await speakLanguageModelStream({ llm: cut, tts: new MockSpeechSynthesizer(), request });
    await expect(collectAudio(turn.audio)).rejects.toMatchObject({ code: 'stream_cut' });
    expect(await turn.finished).toMatchObject({ outcome: 'failed', error: { code: 'stream_cut' } });
  });
});
