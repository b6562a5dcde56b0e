import { createFakeClock, type FakeClock, type MockLanguageModel } from '@patchbay/testing';
import { describe, expect, it, vi } from 'vitest';
import { PatchbayError } from '../errors/patchbay-error.js';
import type { Patchbay } from '../patchbay.js';
import { closingPatchbays, llm, request } from './mock-patchbays.test-support.js';
import type { PatchbayConfigInput } from './routing-config.js';
import type { RetryEvent } from './routing-events.js';

/**
 * README (routes.<name>.retry): the defaults are `{ maxRetries: 2, initialDelayMs: 200, maxDelayMs: 5000,
 * multiplier: 2, jitter: true, maxRetryAfterMs: 30000 }`. Every route here is a single member, so the failover
 * rule always allows a retry of the same member; nothing sets the retry option unless a test says so.
 */

let clock: FakeClock;
const patchbay = closingPatchbays(() => {
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

/** Member `a` failing `unavailable` on every call (plus `config`), one call under way, and the retries it emits. */
function failingCall(config: Omit<PatchbayConfigInput, 'providers'> = {}) {
  const pb = patchbay({ providers: { a: llm({ error: 'unavailable' }) }, ...config });
  const retries = recordRetries(pb);
  const outcome = failureCode(pb.llm.generate(request));
  return { pb, retries, outcome };
}

/** Per step, advances the clock by `advanceMs`, then expects member `a` to have been called `calls` times. */
async function expectCallsAfter(pb: Patchbay, steps: ReadonlyArray<readonly [advanceMs: number, calls: number]>) {
  for (const [advanceMs, calls] of steps) {
    await clock.advance(advanceMs);
    expect(callsOf(pb)).toBe(calls);
  }
}

describe('retry defaults (README: routes.<name>.retry)', () => {
  it('with no retry config a member that keeps failing is called 3 times (maxRetries: 2), then the call fails', async () => {
    clock = createFakeClock();
    const { pb, retries, outcome } = failingCall();
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
    const { pb, retries, outcome } = failingCall();
    await clock.runDue();
    expect(callsOf(pb)).toBe(1);
    await expectCallsAfter(pb, [
      [199, 1],
      [1, 2],
      [399, 2],
      [1, 3],
      [60_000, 3],
    ]);
    expect(await outcome).toBe('unavailable');
    expect(retries.map((event) => event.delayMs)).toEqual([200, 400]);
    const starts = (pb.provider('a') as MockLanguageModel).calls.map((call) => call.startedAt);
    expect([(starts[1] ?? 0) - (starts[0] ?? 0), (starts[2] ?? 0) - (starts[1] ?? 0)]).toEqual([200, 400]);
    expect(random).toHaveBeenCalledTimes(2);
  });

  it('jitter is on by default: each backoff is scaled by a random draw (0.5 → 100 ms, then 200 ms)', async () => {
    clock = createFakeClock();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { pb, retries, outcome } = failingCall();
    await expectCallsAfter(pb, [
      [99, 1],
      [1, 2],
      [199, 2],
      [1, 3],
      [60_000, 3],
    ]);
    expect(await outcome).toBe('unavailable');
    expect(retries.map((event) => event.delayMs)).toEqual([100, 200]);
  });

  it('the backoff is capped at 5000 ms (maxDelayMs) when only maxRetries is raised', async () => {
    clock = createFakeClock();
    vi.spyOn(Math, 'random').mockReturnValue(1 - Number.EPSILON);
    const { pb, retries, outcome } = failingCall({
      // The breaker would open after 5 failures and stop the retries; it is not what is tested here.
      routes: { llm: { providers: ['a'], retry: { maxRetries: 7 } } },
      defaults: { breaker: { enabled: false } },
    });
    await expectCallsAfter(pb, [
      [200 + 400 + 800 + 1_600 + 3_200 + 4_999, 6],
      [1, 7],
      [5_000, 8],
    ]);
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
