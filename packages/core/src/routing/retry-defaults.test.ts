import { createFakeClock, type FakeClock, type MockLanguageModel, mockFactories } from '@patchbay/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PatchbayError } from '../errors/patchbay-error.js';
import { createPatchbay, type Patchbay } from '../patchbay.js';
import type { PatchbayConfigInput } from './routing-config.js';
import type { RetryEvent } from './routing-events.js';

/**
 * README (routes.<name>.retry): the defaults are `{ maxRetries: 2, initialDelayMs: 200, maxDelayMs: 5000,
 * multiplier: 2, jitter: true, maxRetryAfterMs: 30000 }`. Every route here is a single member, so the failover
 * rule always allows a retry of the same member; nothing sets the retry option unless a test says so.
 */

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
  vi.restoreAllMocks();
});

function callsOf(pb: Patchbay): number {
  return (pb.provider('a') as MockLanguageModel).calls.length;
}

function recordRetries(pb: Patchbay): RetryEvent[] {
  const retries: RetryEvent[] = [];
  pb.on('retry', (event) => retries.push(event));
  return retries;
}

/** The code the call failed with; the test fails if it succeeded. */
function failureCode(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'succeeded',
    (error: unknown) => (PatchbayError.isInstance(error) ? error.code : 'not a PatchbayError'),
  );
}

describe('retry defaults (README: routes.<name>.retry)', () => {
  it('with no retry config a member that keeps failing is called 3 times (maxRetries: 2), then the call fails', async () => {
    clock = createFakeClock();
    const pb = patchbay({ providers: { a: llm({ error: 'unavailable' }) } });
    const retries = recordRetries(pb);
    const outcome = failureCode(pb.llm.generate(request));
    await clock.advance(60_000);
    expect(await outcome).toBe('unavailable');
    expect(callsOf(pb)).toBe(3);
    expect(retries.map((event) => event.attempt)).toEqual([1, 2]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('the backoff is 200 ms, then 400 ms (initialDelayMs 200, multiplier 2) with the jitter draw at its top', async () => {
    clock = createFakeClock();
    // Full jitter multiplies the backoff by Math.random(); its largest value leaves the backoff whole.
    const random = vi.spyOn(Math, 'random').mockReturnValue(1 - Number.EPSILON);
    const pb = patchbay({ providers: { a: llm({ error: 'unavailable' }) } });
    const retries = recordRetries(pb);
    const outcome = failureCode(pb.llm.generate(request));
    await clock.runDue();
    expect(callsOf(pb)).toBe(1);
    await clock.advance(199);
    expect(callsOf(pb)).toBe(1);
    await clock.advance(1);
    expect(callsOf(pb)).toBe(2);
    await clock.advance(399);
    expect(callsOf(pb)).toBe(2);
    await clock.advance(1);
    expect(callsOf(pb)).toBe(3);
    await clock.advance(60_000);
    expect(callsOf(pb)).toBe(3);
    expect(await outcome).toBe('unavailable');
    expect(retries.map((event) => event.delayMs)).toEqual([200, 400]);
    const starts = (pb.provider('a') as MockLanguageModel).calls.map((call) => call.startedAt);
    expect([(starts[1] ?? 0) - (starts[0] ?? 0), (starts[2] ?? 0) - (starts[1] ?? 0)]).toEqual([200, 400]);
    expect(random).toHaveBeenCalledTimes(2);
  });

  it('jitter is on by default: each backoff is scaled by a random draw (0.5 → 100 ms, then 200 ms)', async () => {
    clock = createFakeClock();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const pb = patchbay({ providers: { a: llm({ error: 'unavailable' }) } });
    const retries = recordRetries(pb);
    const outcome = failureCode(pb.llm.generate(request));
    await clock.advance(99);
    expect(callsOf(pb)).toBe(1);
    await clock.advance(1);
    expect(callsOf(pb)).toBe(2);
    await clock.advance(199);
    expect(callsOf(pb)).toBe(2);
    await clock.advance(1);
    expect(callsOf(pb)).toBe(3);
    await clock.advance(60_000);
    expect(callsOf(pb)).toBe(3);
    expect(await outcome).toBe('unavailable');
    expect(retries.map((event) => event.delayMs)).toEqual([100, 200]);
  });

  it('the backoff is capped at 5000 ms (maxDelayMs) when only maxRetries is raised', async () => {
    clock = createFakeClock();
    vi.spyOn(Math, 'random').mockReturnValue(1 - Number.EPSILON);
    const pb = patchbay({
      providers: { a: llm({ error: 'unavailable' }) },
      // The breaker would open after 5 failures and stop the retries; it is not what is tested here.
      routes: { llm: { providers: ['a'], retry: { maxRetries: 7 } } },
      defaults: { breaker: { enabled: false } },
    });
    const retries = recordRetries(pb);
    const outcome = failureCode(pb.llm.generate(request));
    await clock.advance(200 + 400 + 800 + 1_600 + 3_200 + 4_999);
    expect(callsOf(pb)).toBe(6);
    await clock.advance(1);
    expect(callsOf(pb)).toBe(7);
    await clock.advance(5_000);
    expect(callsOf(pb)).toBe(8);
    expect(await outcome).toBe('unavailable');
    expect(retries.map((event) => event.delayMs)).toEqual([200, 400, 800, 1_600, 3_200, 5_000, 5_000]);
  });

  it('a Retry-After of 30,001 ms is above the default maxRetryAfterMs: no retry and no wait', async () => {
    clock = createFakeClock();
    const pb = patchbay({
      providers: { a: llm([{ error: 'rate_limited', retryAfterMs: 30_001 }, { text: 'again' }]) },
    });
    const retries = recordRetries(pb);
    const started = clock.now();
    let code: string | undefined;
    void failureCode(pb.llm.generate(request)).then((answer) => {
      code = answer;
    });
    await clock.runDue();
    expect(code).toBe('rate_limited');
    expect(clock.now()).toBe(started);
    expect(retries).toEqual([]);
    expect(callsOf(pb)).toBe(1);
  });

  it('a Retry-After of exactly 30,000 ms is waited out, then the member is called again', async () => {
    clock = createFakeClock();
    const pb = patchbay({
      providers: { a: llm([{ error: 'rate_limited', retryAfterMs: 30_000 }, { text: 'again' }]) },
    });
    const retries = recordRetries(pb);
    const pending = pb.llm.generate(request);
    await clock.advance(29_999);
    expect(callsOf(pb)).toBe(1);
    await clock.advance(1);
    expect((await pending).text).toBe('again');
    expect(callsOf(pb)).toBe(2);
    expect(retries.map((event) => event.delayMs)).toEqual([30_000]);
  });
});
