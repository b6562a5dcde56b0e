import { createFakeClock, type FakeClock, type MockLanguageModel, mockFactories } from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createPatchbay, type Patchbay } from '../patchbay.js';
import type { PatchbayConfigInput } from './routing-config.js';
import type { RetryEvent } from './routing-events.js';

const request = { messages: [{ role: 'user' as const, content: 'hello' }] };
let clock: FakeClock;
let open: Patchbay[] = [];

function patchbay(config: PatchbayConfigInput): Patchbay {
  const instance = createPatchbay({ config, factories: mockFactories, env: false });
  open.push(instance);
  return instance;
}

const llm = (script: unknown) => ({ kind: 'llm' as const, vendor: 'mock', settings: { script } });

afterEach(() => {
  for (const instance of open) instance.close();
  open = [];
  clock.uninstall();
});

/** Whether the call settled without the clock moving at all. */
async function settlesWithoutTime<T>(promise: Promise<T>): Promise<T> {
  let settled = false;
  const tracked = promise.finally(() => {
    settled = true;
  });
  tracked.catch(() => {});
  await clock.runDue();
  expect(settled).toBe(true);
  return tracked;
}

describe('the failover rule (default retry policy)', () => {
  it('fails over at once from a refused connection to a healthy fallback, without retrying the primary', async () => {
    clock = createFakeClock();
    const pb = patchbay({ providers: { a: llm({ error: 'connection' }), b: llm({ text: 'b' }) } });
    const retries: RetryEvent[] = [];
    pb.on('retry', (event) => retries.push(event));
    const started = clock.now();
    const result = await settlesWithoutTime(pb.llm.generate(request));
    expect(result.provider).toBe('b');
    expect(clock.now()).toBe(started);
    expect(retries).toEqual([]);
    expect((pb.provider('a') as MockLanguageModel).calls).toHaveLength(1);
  });

  it('retries the same member with backoff when no other eligible member is healthy', async () => {
    clock = createFakeClock();
    const pb = patchbay({ providers: { a: llm([{ error: 'connection' }, { text: 'second' }]) } });
    const retries: RetryEvent[] = [];
    pb.on('retry', (event) => retries.push(event));
    const pending = pb.llm.generate(request);
    await clock.runDue();
    expect(retries).toHaveLength(1);
    await clock.advance(200);
    expect((await pending).text).toBe('second');
    expect((pb.provider('a') as MockLanguageModel).calls).toHaveLength(2);
  });

  it('waits out a short Retry-After on the same member even with a fallback', async () => {
    clock = createFakeClock();
    const pb = patchbay({
      providers: { a: llm([{ error: 'rate_limited', retryAfterMs: 500 }, { text: 'a again' }]), b: llm({ text: 'b' }) },
    });
    const pending = pb.llm.generate(request);
    await clock.advance(500);
    expect((await pending).provider).toBe('a');
    expect((pb.provider('b') as MockLanguageModel).calls).toHaveLength(0);
  });

  it('fails over at once on a rate limit with a long or missing Retry-After when a fallback is healthy', async () => {
    clock = createFakeClock();
    const pb = patchbay({
      providers: {
        a: llm({ error: 'rate_limited', retryAfterMs: 5_000 }),
        c: llm({ error: 'rate_limited' }),
        b: llm({ text: 'b' }),
      },
      routes: { llm: { providers: ['a', 'c', 'b'] } },
    });
    expect((await settlesWithoutTime(pb.llm.generate(request))).provider).toBe('b');
    expect((pb.provider('a') as MockLanguageModel).calls).toHaveLength(1);
    expect((pb.provider('c') as MockLanguageModel).calls).toHaveLength(1);
  });
});
