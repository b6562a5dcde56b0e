import { createFakeClock, type MockSpeechSynthesizer, mockFactories } from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { PatchbayError } from '../errors/patchbay-error.js';
import { createPatchbay, type Patchbay } from '../patchbay.js';
import type { UsageRecord } from '../spec/usage.js';
import { textReplayLimit } from './routed-text-to-speech.js';
import type { PatchbayConfigInput } from './routing-config.js';

let open: Patchbay[] = [];
afterEach(() => {
  for (const instance of open) instance.close();
  open = [];
});

function patchbay(providers: PatchbayConfigInput['providers'], records: UsageRecord[] = [], route: object = {}) {
  const instance = createPatchbay({
    config: { providers, routes: { tts: { providers: Object.keys(providers), retry: { maxRetries: 0 }, ...route } } },
    factories: mockFactories,
    env: false,
    usageSinks: [(record) => records.push(record)],
  });
  open.push(instance);
  return instance;
}

const tts = (script: unknown, settings: Record<string, unknown> = {}) => ({
  kind: 'tts' as const,
  vendor: 'mock',
  settings: { script, ...settings },
});

/** An LLM-like source that records what was read and whether it was closed. */
function source(pieces: readonly string[]) {
  const state = { read: 0, returned: false };
  const iterable: AsyncIterable<string> = {
    [Symbol.asyncIterator]: () => ({
      next: async () =>
        state.read < pieces.length
          ? { done: false, value: pieces[state.read++] as string }
          : { done: true, value: undefined },
      return: async () => {
        state.returned = true;
        return { done: true, value: undefined };
      },
    }),
  };
  return { iterable, state };
}

async function text(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let out = '';
  for await (const chunk of stream) out += decoder.decode(chunk);
  return out;
}

describe('routed streamText', () => {
  it('fails over before the first audio, replaying the text already read to the next member', async () => {
    const records: UsageRecord[] = [];
    const pb = patchbay({ a: tts({ failAfterText: { pieces: 2, error: 'unavailable' } }), b: tts({}) }, records);
    const { iterable, state } = source(['Hello ', 'there. ', 'How are ', 'you?']);
    const result = await pb.tts.streamText?.(iterable, { format: { encoding: 'mulaw', sampleRate: 8000 } });
    expect(result?.provider).toBe('b');
    expect(await text(result?.stream ?? [])).toBe('Hello there. How are you?');
    expect(state).toEqual({ read: 4, returned: false });
    expect((pb.provider('a') as MockSpeechSynthesizer).calls[0]?.request.text).toBe('Hello there. ');
    expect((pb.provider('b') as MockSpeechSynthesizer).calls[0]?.request.text).toBe('Hello there. How are you?');
    expect(result?.characters).toBe(25);
    expect(records.map((record) => [record.provider, record.outcome, record.unit, record.quantity])).toEqual([
      ['a', 'error', 'characters', 0],
      ['b', 'success', 'characters', 25],
    ]);
  });

  it('after the first audio a failure is a stream_cut, metered with the characters spoken until then', async () => {
    const records: UsageRecord[] = [];
    const pb = patchbay({ a: tts({ cutAfter: 2 }), b: tts({}) }, records);
    const { iterable } = source(['One. ', 'Two. ', 'Three. ']);
    const result = await pb.tts.streamText?.(iterable);
    const error = await text(result?.stream ?? []).catch((caught: unknown) => caught);
    expect(PatchbayError.isInstance(error) && error.code).toBe('stream_cut');
    expect((pb.provider('b') as MockSpeechSynthesizer).callCount).toBe(0);
    expect(records.map((record) => [record.provider, record.outcome, record.quantity])).toEqual([
      ['a', 'stream_cut', 10],
    ]);
  });

  it('does not fail over once more text than the replay limit was read before any audio', async () => {
    const pb = patchbay({ a: tts({ failAfterText: { pieces: 3, error: 'unavailable' } }), b: tts({}) });
    const big = 'x'.repeat(textReplayLimit);
    const { iterable, state } = source([big, 'y', 'z', 'more']);
    const error = await pb.tts.streamText?.(iterable).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'unavailable', name: 'AllProvidersFailedError' });
    expect(String((error as Error).message)).toContain('cannot be replayed');
    expect((pb.provider('b') as MockSpeechSynthesizer).callCount).toBe(0);
    expect(state.returned).toBe(true);
  });

  it('a failure of the text source reaches the caller as it was thrown and fails over nowhere', async () => {
    const pb = patchbay({ a: tts({}), b: tts({}) });
    const broken = new Error('model broke');
    const failing: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          throw broken;
        },
      }),
    };
    await expect(pb.tts.streamText?.(failing)).rejects.toBe(broken);
    expect((pb.provider('b') as MockSpeechSynthesizer).callCount).toBe(0);
  });

  it('fails over on an attempt timeout before audio, on the fake clock, and leaves no timer or listener', async () => {
    const clock = createFakeClock();
    try {
      const pb = patchbay({ a: tts({ hang: true }), b: tts({}) }, [], { attemptTimeoutMs: 500 });
      const controller = new AbortController();
      const { iterable } = source(['Hi. ']);
      const pending = pb.tts.streamText?.(iterable, { signal: controller.signal });
      await clock.advance(500);
      const result = await pending;
      expect(result?.provider).toBe('b');
      expect(await text(result?.stream ?? [])).toBe('Hi. ');
      pb.close();
      expect(clock.pendingTimers()).toBe(0);
    } finally {
      clock.uninstall();
    }
  });

  it('a tenant view meters the turn on its tenant and names the voice per member', async () => {
    const records: UsageRecord[] = [];
    const pb = patchbay({ a: tts({}) }, records);
    const { iterable } = source(['Hi there.']);
    const result = await pb.tenant('acme').tts.streamText(iterable, { voice: 'alto', correlationId: 'call-7' });
    expect(await text(result.stream)).toBe('Hi there.');
    expect(result.voice).toBe('alto');
    expect(records).toMatchObject([{ provider: 'a', tenant: 'acme', correlationId: 'call-7', quantity: 9 }]);
    expect((pb.provider('a') as MockSpeechSynthesizer).calls[0]).toMatchObject({ tenant: 'acme' });
  });

  it("the caller's abort stops the audio and closes the text source", async () => {
    const pb = patchbay({ a: tts({}) });
    const controller = new AbortController();
    let returned = false;
    const endless: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false, value: 'More. ' }),
        return: async () => {
          returned = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const result = await pb.tts.streamText?.(endless, { signal: controller.signal });
    const iterator = result?.stream[Symbol.asyncIterator]();
    await iterator?.next();
    controller.abort();
    await expect(iterator?.next()).rejects.toMatchObject({ code: 'aborted' });
    expect(returned).toBe(true);
  });
});
