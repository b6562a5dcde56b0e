import {
  createFakeClock,
  type FakeClock,
  type MockLanguageModel,
  type MockMessagingProvider,
  type MockSpeechSynthesizer,
} from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../errors/error-codes.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import { closingPatchbays, llm, request } from './mock-patchbays.test-support.js';
import type { RetryEvent } from './routing-events.js';

let clock: FakeClock;
const patchbay = closingPatchbays(() => clock.uninstall());

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

describe('a Retry-After above maxRetryAfterMs (README: "fails over instead of waiting")', () => {
  const route = (providers: string[]) => ({
    llm: { providers, retry: { maxRetryAfterMs: 500, jitter: false } },
  });

  it('a sole member is not retried and the call does not wait: it ends at once with the rate limit', async () => {
    clock = createFakeClock();
    const pb = patchbay({
      providers: { a: llm([{ error: 'rate_limited', retryAfterMs: 501 }, { text: 'a again' }]) },
      routes: route(['a']),
    });
    const retries: RetryEvent[] = [];
    pb.on('retry', (event) => retries.push(event));
    const started = clock.now();
    expect(await outcomeWithoutTime(pb.llm.generate(request))).toBe('rate_limited');
    expect(clock.now()).toBe(started);
    expect(retries).toEqual([]);
    expect((pb.provider('a') as MockLanguageModel).calls).toHaveLength(1);
  });

  it('a short (≤ 1 s) Retry-After above the cap fails over to the fallback at once instead of waiting', async () => {
    clock = createFakeClock();
    const pb = patchbay({
      providers: { a: llm([{ error: 'rate_limited', retryAfterMs: 800 }, { text: 'a again' }]), b: llm({ text: 'b' }) },
      routes: route(['a', 'b']),
    });
    expect(await outcomeWithoutTime(pb.llm.generate(request))).toBe('b');
    expect((pb.provider('a') as MockLanguageModel).calls).toHaveLength(1);
  });

  it('a Retry-After equal to the cap is still waited out on the same member', async () => {
    clock = createFakeClock();
    const pb = patchbay({
      providers: { a: llm([{ error: 'rate_limited', retryAfterMs: 500 }, { text: 'a again' }]) },
      routes: route(['a']),
    });
    const pending = pb.llm.generate(request);
    await clock.advance(499);
    expect((pb.provider('a') as MockLanguageModel).calls).toHaveLength(1);
    await clock.advance(1);
    expect((await pending).text).toBe('a again');
  });
});

/** The call's outcome without the clock moving: the provider that served it, or the code it failed with. */
async function outcomeWithoutTime(promise: Promise<{ provider: string }>): Promise<string> {
  return settlesWithoutTime(
    promise.then(
      (result) => result.provider,
      (error: unknown) => {
        expect(PatchbayError.isInstance(error)).toBe(true);
        return (error as PatchbayError).code;
      },
    ),
  );
}

describe('the default failover table (README: routes.<name>.failover)', () => {
  it.each<[ErrorCode, boolean]>([
    ['auth', true],
    ['rate_limited', true],
    ['quota_exceeded', true],
    ['timeout', true],
    ['connection', true],
    ['unavailable', true],
    ['not_configured', true],
    ['context_length', true],
    ['stream_cut', true],
    ['unknown', true],
    ['invalid_request', false],
    ['content_policy', false],
    ['aborted', false],
  ])('%s from the first member: fails over to the next = %s', async (code, movesOn) => {
    clock = createFakeClock();
    const pb = patchbay({
      providers: { a: llm({ error: code }), b: llm({ text: 'b' }) },
      routes: { llm: { providers: ['a', 'b'], retry: { maxRetries: 0 } } },
    });
    expect(await outcomeWithoutTime(pb.llm.generate(request))).toBe(movesOn ? 'b' : code);
    expect((pb.provider('a') as MockLanguageModel).calls).toHaveLength(1);
    expect((pb.provider('b') as MockLanguageModel).calls).toHaveLength(movesOn ? 1 : 0);
  });
});

describe('repeatUnknownOutcome defaults per kind (README: on for llm/tts/stt, off for sms/whatsapp)', () => {
  const unknownOutcome = { error: 'timeout', outcomeUnknown: true } as const;

  it('an llm or tts call that may have taken effect still fails over by default', async () => {
    clock = createFakeClock();
    const pb = patchbay({
      providers: {
        a: llm(unknownOutcome),
        b: llm({ text: 'b' }),
        ta: { kind: 'tts', vendor: 'mock', settings: { script: unknownOutcome } },
        tb: { kind: 'tts', vendor: 'mock', settings: {} },
      },
      routes: { llm: { providers: ['a', 'b'] }, tts: { providers: ['ta', 'tb'] } },
    });
    expect(await outcomeWithoutTime(pb.llm.generate(request))).toBe('b');
    expect(await outcomeWithoutTime(pb.tts.synthesize({ text: 'hi' }))).toBe('tb');
    expect((pb.provider('tb') as MockSpeechSynthesizer).calls).toHaveLength(1);
  });

  it('a whatsapp send that may have been delivered is neither retried nor sent by another member by default', async () => {
    clock = createFakeClock();
    const whatsapp = (script: unknown) => ({ kind: 'whatsapp' as const, vendor: 'mock', settings: { script } });
    const pb = patchbay({
      providers: { a: whatsapp(unknownOutcome), b: whatsapp({}) },
      routes: { whatsapp: { providers: ['a', 'b'] } },
    });
    expect(await outcomeWithoutTime(pb.whatsapp.send({ to: '+250788123456', body: 'hi' }))).toBe('timeout');
    expect((pb.provider('a') as MockMessagingProvider).calls).toHaveLength(1);
    expect((pb.provider('b') as MockMessagingProvider).calls).toHaveLength(0);
  });
});

describe('retries and the deadline', () => {
  it('does not make a retry whose wait would end past the deadline: the call ends at once with the failure', async () => {
    clock = createFakeClock();
    const retries: RetryEvent[] = [];
    const route = (deadlineMs: number) =>
      patchbay({
        providers: { a: llm([{ error: 'unavailable' }, { text: 'retried' }]) },
        routes: { llm: { providers: ['a'], deadlineMs, retry: { initialDelayMs: 500, jitter: false } } },
      });
    const tight = route(400);
    tight.on('retry', (event) => retries.push(event));
    expect(await outcomeWithoutTime(tight.llm.generate(request))).toBe('unavailable');
    expect(retries).toEqual([]);
    expect((tight.provider('a') as MockLanguageModel).calls).toHaveLength(1);

    // The same failure with room before the deadline is retried after the backoff.
    const roomy = route(1_000);
    roomy.on('retry', (event) => retries.push(event));
    const pending = roomy.llm.generate(request);
    await clock.advance(500);
    expect((await pending).text).toBe('retried');
    expect(retries.map((event) => event.delayMs)).toEqual([500]);
  });
});
