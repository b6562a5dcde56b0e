import {
  createFakeClock,
  type FakeClock,
  type MockLanguageModel,
  type MockMessagingProvider,
  mockFactories,
} from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AllProvidersFailedError, PatchbayError } from '../errors/patchbay-error.js';
import { createPatchbay, type Patchbay } from '../patchbay.js';
import type { PatchbayConfigInput } from './routing-config.js';
import type { BreakerEvent, FailoverEvent, RetryEvent } from './routing-events.js';

const request = { messages: [{ role: 'user' as const, content: 'hello' }] };
let open: Patchbay[] = [];

function patchbay(
  config: Omit<PatchbayConfigInput, 'providers'> & { providers: PatchbayConfigInput['providers'] },
): Patchbay {
  const instance = createPatchbay({ config, factories: mockFactories, env: false });
  open.push(instance);
  return instance;
}

function llm(script: unknown, settings: Record<string, unknown> = {}) {
  return { kind: 'llm' as const, vendor: 'mock', settings: { script, ...settings } };
}

/** Fast retries so tests do not wait on default backoff. */
const quickRetry = { initialDelayMs: 1, maxDelayMs: 5, jitter: false };

async function failure(promise: Promise<unknown>): Promise<AllProvidersFailedError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (caught: unknown) => caught,
  );
  expect(PatchbayError.isInstance(error)).toBe(true);
  return error as AllProvidersFailedError;
}

let clock: FakeClock | undefined;

/** Installs the fake clock; call before `patchbay()` so breakers and timers use it. */
function fakeClock(): FakeClock {
  clock = createFakeClock();
  return clock;
}

afterEach(() => {
  for (const instance of open) instance.close();
  open = [];
  clock?.uninstall();
  clock = undefined;
});

describe('priority failover', () => {
  it('tries providers in order and reports who served', async () => {
    const pb = patchbay({
      providers: { a: llm({ error: 'unavailable' }), b: llm({ text: 'from b' }), c: llm({ text: 'from c' }) },
      routes: { llm: { providers: ['a', 'b', 'c'], retry: { maxRetries: 0 } } },
    });
    const failovers: FailoverEvent[] = [];
    pb.on('failover', (event) => failovers.push(event));
    const result = await pb.llm.generate(request);
    expect(result).toMatchObject({ text: 'from b', provider: 'b' });
    expect(failovers).toEqual([expect.objectContaining({ from: 'a', to: 'b', errorCode: 'unavailable' })]);
    expect((pb.provider('c') as MockLanguageModel).calls).toHaveLength(0);
  });

  it('carries every attempt when all providers fail', async () => {
    const pb = patchbay({
      providers: { a: llm({ error: 'timeout' }), b: llm({ error: 'unavailable' }) },
      routes: { llm: { providers: ['a', 'b'], retry: { maxRetries: 1, ...quickRetry } } },
    });
    const error = await failure(pb.llm.generate(request));
    expect(error).toBeInstanceOf(AllProvidersFailedError);
    expect(error.code).toBe('unavailable');
    // a has a healthy fallback: no retry on a; b is the last one left, so it is retried.
    expect(error.attempts.map((attempt) => [attempt.provider, attempt.code, attempt.attempt])).toEqual([
      ['a', 'timeout', 1],
      ['b', 'unavailable', 1],
      ['b', 'unavailable', 2],
    ]);
    for (const attempt of error.attempts) expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
  });
});

describe('retries', () => {
  it('retries a retryable failure on the same provider when no other is left, then succeeds', async () => {
    const pb = patchbay({
      providers: { a: llm([{ error: 'rate_limited' }, { error: 'unavailable' }, { text: 'third time' }]), b: llm({}) },
      routes: { llm: { providers: ['a'], retry: { maxRetries: 2, ...quickRetry } } },
    });
    const retries: RetryEvent[] = [];
    pb.on('retry', (event) => retries.push(event));
    const result = await pb.llm.generate(request);
    expect(result.text).toBe('third time');
    expect(retries.map((event) => [event.attempt, event.errorCode])).toEqual([
      [1, 'rate_limited'],
      [2, 'unavailable'],
    ]);
    expect((pb.provider('b') as MockLanguageModel).calls).toHaveLength(0);
  });

  it('never retries a non-retryable error; invalid_request stops the route, auth fails over', async () => {
    const pb = patchbay({
      providers: { a: llm({ error: 'invalid_request' }), b: llm({ error: 'auth' }), c: llm({ text: 'c' }) },
      routes: {
        bad: { kind: 'llm', providers: ['a', 'c'], retry: { maxRetries: 3 } },
        keys: { kind: 'llm', providers: ['b', 'c'], retry: { maxRetries: 3 } },
      },
    });
    const error = await failure((pb.route('bad') as Patchbay['llm']).generate(request));
    expect(error.code).toBe('invalid_request');
    expect((pb.provider('a') as MockLanguageModel).calls).toHaveLength(1);
    expect((pb.provider('c') as MockLanguageModel).calls).toHaveLength(0);
    const served = await (pb.route('keys') as Patchbay['llm']).generate(request);
    expect(served.provider).toBe('c');
    expect((pb.provider('b') as MockLanguageModel).calls).toHaveLength(1);
  });

  it('lets a route decide per code whether to fail over', async () => {
    const pb = patchbay({
      providers: { a: llm({ error: 'invalid_request' }), b: llm({ text: 'b' }) },
      routes: { llm: { providers: ['a', 'b'], failover: { invalid_request: true } } },
    });
    expect((await pb.llm.generate(request)).provider).toBe('b');
  });

  it('waits as long as Retry-After asks (fake clock)', async () => {
    const time = fakeClock();
    const pb = patchbay({
      providers: { a: llm([{ error: 'rate_limited', retryAfterMs: 120 }, { text: 'after waiting' }]) },
      routes: { llm: { providers: ['a'], retry: { maxRetries: 1, ...quickRetry } } },
    });
    const retries: RetryEvent[] = [];
    pb.on('retry', (event) => retries.push(event));
    let settled = false;
    const pending = pb.llm.generate(request).finally(() => {
      settled = true;
    });
    await time.advance(119);
    expect(settled).toBe(false);
    await time.advance(1);
    expect((await pending).text).toBe('after waiting');
    expect(retries[0]?.delayMs).toBe(120);
  });

  it('fails over at once instead of waiting past the Retry-After cap (fake clock)', async () => {
    const time = fakeClock();
    const pb = patchbay({
      providers: { a: llm({ error: 'rate_limited', retryAfterMs: 60_000 }), b: llm({ text: 'b' }) },
      routes: { llm: { providers: ['a', 'b'], retry: { maxRetries: 2, maxRetryAfterMs: 1_000 } } },
    });
    const started = time.now();
    expect((await pb.llm.generate(request)).provider).toBe('b');
    expect(time.now()).toBe(started);
    expect((pb.provider('a') as MockLanguageModel).calls).toHaveLength(1);
  });

  it('does not repeat a call whose outcome is unknown unless the route opts in', async () => {
    const providers = {
      a: { kind: 'sms' as const, vendor: 'mock', settings: { script: { error: 'timeout', outcomeUnknown: true } } },
      b: { kind: 'sms' as const, vendor: 'mock', settings: {} },
    };
    const strict = patchbay({ providers, routes: { sms: { providers: ['a', 'b'], retry: { maxRetries: 2 } } } });
    const error = await failure(strict.sms.send({ to: '+250788123456', body: 'hi' }));
    expect(error.code).toBe('timeout');
    expect((strict.provider('a') as MockMessagingProvider).calls).toHaveLength(1);
    expect((strict.provider('b') as MockMessagingProvider).calls).toHaveLength(0);
    const lenient = patchbay({
      providers,
      routes: { sms: { providers: ['a', 'b'], repeatUnknownOutcome: true, retry: { maxRetries: 0 } } },
    });
    expect((await lenient.sms.send({ to: '+250788123456', body: 'hi' })).provider).toBe('b');
  });
});

describe('timeouts and aborts', () => {
  it('bounds each attempt, aborts the adapter’s signal and fails over on timeout (fake clock)', async () => {
    const time = fakeClock();
    const pb = patchbay({
      providers: { a: llm({ hang: true }), b: llm({ text: 'b' }) },
      routes: { llm: { providers: ['a', 'b'], attemptTimeoutMs: 50, retry: { maxRetries: 0 } } },
    });
    const pending = pb.llm.generate(request);
    await time.advance(49);
    expect((pb.provider('b') as MockLanguageModel).calls).toHaveLength(0);
    await time.advance(1);
    const result = await pending;
    expect(result.provider).toBe('b');
    const hung = (pb.provider('a') as MockLanguageModel).calls[0];
    expect(hung?.signal?.aborted).toBe(true);
    expect(hung?.error?.code).toBe('timeout');
  });

  it('stops the whole call at the deadline, across retries and failover (fake clock)', async () => {
    const time = fakeClock();
    const pb = patchbay({
      providers: { a: llm({ hang: true }), b: llm({ hang: true }) },
      routes: {
        llm: { providers: ['a', 'b'], attemptTimeoutMs: 60, deadlineMs: 100, retry: { maxRetries: 5, ...quickRetry } },
      },
    });
    let settled = false;
    const pending = failure(pb.llm.generate(request)).finally(() => {
      settled = true;
    });
    await time.advance(99);
    expect(settled).toBe(false);
    await time.advance(1);
    const error = await pending;
    expect(error.code).toBe('timeout');
    expect(error.attempts.at(-1)?.message).toContain('deadline');
    expect((pb.provider('b') as MockLanguageModel).calls[0]?.signal?.aborted).toBe(true);
  });

  it('passes the caller’s abort down to the adapter and does not fail over', async () => {
    const pb = patchbay({
      providers: { a: llm({ hang: true }), b: llm({ text: 'b' }) },
      routes: { llm: { providers: ['a', 'b'] } },
    });
    const controller = new AbortController();
    const pending = pb.llm.generate(request, { signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    const error = await failure(pending);
    expect(error.code).toBe('aborted');
    expect((pb.provider('a') as MockLanguageModel).calls[0]?.signal?.aborted).toBe(true);
    expect((pb.provider('b') as MockLanguageModel).calls).toHaveLength(0);
  });
});

describe('circuit breaker', () => {
  it('opens, skips the provider without calling it, lets one trial through half-open, then closes', async () => {
    const time = fakeClock();
    const pb = patchbay({
      providers: { a: llm({ error: 'unavailable' }), b: llm({ text: 'b' }) },
      routes: { llm: { providers: ['a', 'b'], retry: { maxRetries: 0 } } },
      defaults: { breaker: { minimumCalls: 2, failureThresholdPercent: 50, cooldownMs: 100 } },
    });
    const states: BreakerEvent[] = [];
    pb.on('breaker', (event) => states.push(event));
    const a = pb.provider('a') as MockLanguageModel;
    await pb.llm.generate(request);
    await pb.llm.generate(request);
    expect(states).toContainEqual({ provider: 'a', state: 'open' });
    const callsWhenOpened = a.calls.length;
    const skipped = await pb.llm.generate(request);
    expect(skipped.provider).toBe('b');
    expect(a.calls.length).toBe(callsWhenOpened);

    await time.advance(99);
    expect(states.at(-1)).toEqual({ provider: 'a', state: 'open' });
    await time.advance(1);
    expect(states.at(-1)).toEqual({ provider: 'a', state: 'half-open' });
    a.setScript({ text: 'recovered' });
    const trial = await pb.llm.generate(request);
    expect(trial.provider).toBe('a');
    expect(states.at(-1)).toEqual({ provider: 'a', state: 'closed' });
  });

  it('lists a member skipped for its open breaker among the attempts of a failed call, without calling it', async () => {
    const pb = patchbay({
      providers: { a: llm({ error: 'unavailable' }), b: llm({ error: 'connection' }) },
      routes: {
        solo: { kind: 'llm', providers: ['a'], retry: { maxRetries: 0 } },
        llm: { providers: ['a', 'b'], retry: { maxRetries: 0 } },
      },
      defaults: { breaker: { minimumCalls: 1, failureThresholdPercent: 1, cooldownMs: 60_000 } },
    });
    await failure((pb.route('solo') as Patchbay['llm']).generate(request));
    const error = await failure(pb.llm.generate(request));
    expect(error).toBeInstanceOf(AllProvidersFailedError);
    expect(error.code).toBe('connection');
    expect(error.attempts.map((attempt) => [attempt.provider, attempt.attempt])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    expect(error.attempts[0]?.message).toContain('breaker');
    expect((pb.provider('a') as MockLanguageModel).calls).toHaveLength(1);
  });

  it('answers unavailable, retryable, when every member was skipped for an open breaker (no failure to name)', async () => {
    const pb = patchbay({
      providers: { a: llm({ error: 'connection' }), b: llm({ error: 'connection' }) },
      routes: {
        first: { kind: 'llm', providers: ['a'], retry: { maxRetries: 0 } },
        second: { kind: 'llm', providers: ['b'], retry: { maxRetries: 0 } },
        llm: { providers: ['a', 'b'], retry: { maxRetries: 0 } },
      },
      defaults: { breaker: { minimumCalls: 1, failureThresholdPercent: 1, cooldownMs: 60_000 } },
    });
    await failure((pb.route('first') as Patchbay['llm']).generate(request));
    await failure((pb.route('second') as Patchbay['llm']).generate(request));
    const error = await failure(pb.llm.generate(request));
    expect(error).toBeInstanceOf(AllProvidersFailedError);
    // Both members failed with `connection` before; a call that reached neither must not claim that code.
    expect(error).toMatchObject({ code: 'unavailable', retryable: true });
    expect(error.attempts.map((attempt) => [attempt.provider, attempt.attempt])).toEqual([
      ['a', 0],
      ['b', 0],
    ]);
    expect((pb.provider('a') as MockLanguageModel).calls).toHaveLength(1);
    expect((pb.provider('b') as MockLanguageModel).calls).toHaveLength(1);
  });

  it('does not count a caller’s bad request against the provider', async () => {
    const pb = patchbay({
      providers: { a: llm({ error: 'invalid_request' }) },
      routes: { llm: { providers: ['a'] } },
      defaults: { breaker: { minimumCalls: 2, failureThresholdPercent: 10 } },
    });
    const states: BreakerEvent[] = [];
    pb.on('breaker', (event) => states.push(event));
    for (let index = 0; index < 5; index++) await failure(pb.llm.generate(request));
    expect(states).toEqual([]);
    expect((pb.provider('a') as MockLanguageModel).calls).toHaveLength(5);
  });
});

describe('strategies through the router', () => {
  it('keeps a tenant on one arm of a weighted split', async () => {
    const pb = patchbay({
      providers: { a: llm({ text: 'a' }), b: llm({ text: 'b' }) },
      routes: {
        llm: {
          strategy: 'weighted',
          providers: [
            { provider: 'a', weight: 50 },
            { provider: 'b', weight: 50 },
          ],
        },
      },
    });
    const servedBy = new Map<string, Set<string>>();
    for (let round = 0; round < 5; round++) {
      for (const tenant of ['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8']) {
        const result = await pb.tenant(tenant).llm.generate(request);
        servedBy.set(tenant, (servedBy.get(tenant) ?? new Set()).add(result.provider));
      }
    }
    for (const providers of servedBy.values()) expect(providers.size).toBe(1);
    const arms = new Set([...servedBy.values()].flatMap((providers) => [...providers]));
    expect(arms).toEqual(new Set(['a', 'b']));
  });

  it('rotates round-robin', async () => {
    const pb = patchbay({
      providers: { a: llm({}), b: llm({}), c: llm({}) },
      routes: { llm: { strategy: 'round-robin', providers: ['a', 'b', 'c'] } },
    });
    const served = [];
    for (let index = 0; index < 6; index++) served.push((await pb.llm.generate(request)).provider);
    expect(served).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });
});

describe('streams', () => {
  it('fails over before the first part, and serves the whole stream from the fallback', async () => {
    const pb = patchbay({
      providers: { a: llm({ cutAfter: 0 }), b: llm({ text: 'Hello world', chunks: ['Hel', 'lo ', 'world'] }) },
      routes: { llm: { providers: ['a', 'b'], retry: { maxRetries: 0 } } },
    });
    const result = await pb.llm.stream(request);
    expect(result.provider).toBe('b');
    let text = '';
    for await (const part of result.stream) if (part.type === 'text-delta') text += part.delta;
    expect(text).toBe('Hello world');
  });

  it('ends with stream_cut when the stream breaks after it started, never a shortened success', async () => {
    const pb = patchbay({
      providers: { a: llm({ text: 'abcdef', chunks: ['ab', 'cd', 'ef'], cutAfter: 2 }), b: llm({ text: 'b' }) },
      routes: { llm: { providers: ['a', 'b'] } },
    });
    const records: string[] = [];
    pb.on('usage', (record) => records.push(record.outcome));
    const result = await pb.llm.stream(request);
    const seen: string[] = [];
    const error = await (async () => {
      for await (const part of result.stream) if (part.type === 'text-delta') seen.push(part.delta);
    })().then(
      () => undefined,
      (caught: unknown) => caught as PatchbayError,
    );
    expect(error?.code).toBe('stream_cut');
    expect(seen).toEqual(['ab', 'cd']);
    expect(records).toContain('stream_cut');
    expect((pb.provider('b') as MockLanguageModel).calls).toHaveLength(0);
  });

  it('after the first part, neither the attempt timeout nor the deadline cuts the stream (fake clock)', async () => {
    const time = fakeClock();
    const pb = patchbay({
      providers: { a: llm({ text: 'abc', chunks: ['a', 'b', 'c'], chunkDelayMs: 100 }), b: llm({ text: 'b' }) },
      routes: { llm: { providers: ['a', 'b'], attemptTimeoutMs: 50, deadlineMs: 80 } },
    });
    const result = await pb.llm.stream(request);
    let text = '';
    let ended: unknown = 'still reading';
    void (async () => {
      for await (const part of result.stream) if (part.type === 'text-delta') text += part.delta;
    })().then(
      () => {
        ended = 'done';
      },
      (caught: unknown) => {
        ended = caught;
      },
    );
    // Parts come 100 ms apart (the last one, `finish`, at 300 ms): far past the 50 ms attempt timeout and 80 ms deadline.
    await time.advance(400);
    expect(ended).toBe('done');
    expect(text).toBe('abc');
    expect(result.provider).toBe('a');
    expect((pb.provider('b') as MockLanguageModel).calls).toHaveLength(0);
  });

  it('after the first part, the caller’s signal still ends the stream, as aborted (fake clock)', async () => {
    const time = fakeClock();
    const pb = patchbay({
      providers: { a: llm({ text: 'abc', chunks: ['a', 'b', 'c'], chunkDelayMs: 100 }) },
      routes: { llm: { providers: ['a'], attemptTimeoutMs: 50 } },
    });
    const controller = new AbortController();
    const result = await pb.llm.stream(request, { signal: controller.signal });
    const seen: string[] = [];
    let ended: unknown = 'still reading';
    void (async () => {
      for await (const part of result.stream) if (part.type === 'text-delta') seen.push(part.delta);
    })().then(
      () => {
        ended = 'done';
      },
      (caught: unknown) => {
        ended = caught;
      },
    );
    await time.advance(150);
    controller.abort();
    await time.advance(0);
    expect((ended as PatchbayError).code).toBe('aborted');
    expect(seen).toEqual(['a', 'b']);
  });

  it('meters stream tokens from the usage the stream reported', async () => {
    const pb = patchbay({
      providers: { a: llm({ text: 'hi there', usage: { inputTokens: 7, outputTokens: 2, cachedInputTokens: 0 } }) },
      routes: { llm: { providers: ['a'] } },
    });
    const result = await pb.llm.stream(request);
    for await (const _part of result.stream) {
      // drain
    }
    const rows = pb.usage.rows({ provider: 'a' });
    expect(rows.find((row) => row.unit === 'input_tokens')?.quantity).toBe(7);
    expect(rows.find((row) => row.unit === 'output_tokens')?.quantity).toBe(2);
  });
});

describe('live sessions', () => {
  it('keep the caller’s signal linked after they open, and are metered once when they end', async () => {
    const time = fakeClock();
    const pb = patchbay({
      providers: {
        dg: { kind: 'stt', vendor: 'mock', settings: { script: { live: { events: [] } } } },
      },
      routes: { stt: { providers: ['dg'], attemptTimeoutMs: 50 } },
    });
    const outcomes: string[] = [];
    pb.on('usage', (record) => outcomes.push(record.outcome));
    const controller = new AbortController();
    const session = await pb.stt.transcribeLive(
      { encoding: 'pcm_s16le', sampleRate: 16_000 },
      { signal: controller.signal },
    );
    session.send(new Uint8Array(32_000));
    // Past the attempt timeout: the opening timer must not kill a session that is already open.
    await time.advance(80);
    const events = (async () => {
      for await (const _event of session.events) {
        // drain
      }
    })().catch((caught: unknown) => caught as PatchbayError);
    controller.abort();
    const error = await events;
    expect(error?.code).toBe('aborted');
    expect(session.audioSeconds).toBe(1);
    expect(outcomes).toEqual(['aborted']);
  });
});

describe('token metering', () => {
  it('bills cached input tokens once, at their own unit', async () => {
    const pb = patchbay({
      providers: { a: llm({ usage: { inputTokens: 1000, outputTokens: 5, cachedInputTokens: 800 } }) },
      pricing: [
        { provider: 'a', unit: 'input_tokens', price: 1 },
        { provider: 'a', unit: 'cached_input_tokens', price: 0.1 },
        { provider: 'a', unit: 'output_tokens', price: 2 },
      ],
    });
    await pb.llm.generate(request);
    const rows = Object.fromEntries(pb.usage.rows().map((row) => [row.unit, [row.quantity, row.cost]]));
    expect(rows).toEqual({ input_tokens: [200, 200], cached_input_tokens: [800, 80], output_tokens: [5, 10] });
  });
});

describe('the built-in aggregator', () => {
  it('counts what usage listeners are sent, with or without listeners, and a throwing listener changes nothing', async () => {
    const make = () =>
      patchbay({
        providers: { a: llm({ usage: { inputTokens: 30, outputTokens: 4, cachedInputTokens: 0 } }) },
        pricing: [{ provider: 'a', unit: 'output_tokens', price: 0.5 }],
      });
    const quiet = make();
    const watched = make();
    const seen: [string, number, number | null][] = [];
    const failures: unknown[] = [];
    watched.on('error', (report) => failures.push(report));
    watched.on('usage', () => {
      throw new Error('listener bug');
    });
    watched.on('usage', (record) => seen.push([record.unit, record.quantity, record.cost]));
    for (const pb of [quiet, watched]) {
      await pb.llm.generate(request);
      await pb.llm.generate(request, { tenant: 'acme' });
    }
    expect(seen).toEqual([
      ['input_tokens', 30, null],
      ['output_tokens', 4, 2],
      ['input_tokens', 30, null],
      ['output_tokens', 4, 2],
    ]);
    const summary = (pb: typeof quiet) =>
      pb.usage
        .rows()
        .map((row) => [row.tenant, row.unit, row.quantity, row.cost, row.records])
        .sort((x, y) => String(x).localeCompare(String(y)));
    expect(summary(watched)).toEqual(summary(quiet));
    expect(failures).toHaveLength(4);
    expect(summary(quiet)).toEqual([
      [undefined, 'input_tokens', 30, null, 1],
      [undefined, 'output_tokens', 4, 2, 1],
      ['acme', 'input_tokens', 30, null, 1],
      ['acme', 'output_tokens', 4, 2, 1],
    ]);
    // A cost reported after the fact reaches the aggregator too.
    quiet.recordReportedCost({ provider: 'a', amount: 1.25, currency: 'USD', unit: 'output_tokens' });
    expect(quiet.usage.rows({ provider: 'a' })).toContainEqual(
      expect.objectContaining({ unit: 'output_tokens', quantity: 0, cost: 1.25, records: 1 }),
    );
  });
});

describe('the built-in aggregator, seen from a usage listener', () => {
  it('has already counted the record a listener receives', async () => {
    const pb = patchbay({
      providers: { a: llm({ usage: { inputTokens: 3, outputTokens: 1, cachedInputTokens: 0 } }) },
    });
    const counted: number[] = [];
    pb.on('usage', (record) => {
      counted.push(pb.usage.rows().find((row) => row.unit === record.unit)?.quantity ?? 0);
    });
    await pb.llm.generate(request);
    expect(counted).toEqual([3, 1]);
  });
});

describe('speech formats', () => {
  const tts = (formats: { encoding: string; sampleRates: number[] }[]) => ({
    kind: 'tts' as const,
    vendor: 'mock',
    settings: { capabilities: { formats } },
  });

  it('routes a telephony format to a member that can produce it, and names the field when none can', async () => {
    const pb = patchbay({
      providers: {
        studio: tts([{ encoding: 'mp3', sampleRates: [] }]),
        phone: tts([{ encoding: 'mulaw', sampleRates: [8000] }]),
      },
      routes: { tts: { providers: ['studio', 'phone'] } },
    });
    const clip = await pb.tts.synthesize({ text: 'hi', format: { encoding: 'mulaw', sampleRate: 8000 } });
    expect(clip.provider).toBe('phone');
    expect((await pb.tts.synthesize({ text: 'hi' })).provider).toBe('studio');
    const error = await failure(pb.tts.synthesize({ text: 'hi', format: { encoding: 'opus' } }));
    expect(error.code).toBe('invalid_request');
    expect(error.details).toMatchObject({ field: 'format' });
  });
});
