import {
  createFakeClock,
  type FakeClock,
  type MockLanguageModel,
  type MockSpeechSynthesizer,
  mockFactories,
} from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { PatchbayError } from '../errors/patchbay-error.js';
import { createPatchbay, type Patchbay, type PatchbayErrorEvent } from '../patchbay.js';
import type { RoutedLanguageModel } from '../routing/routed-providers.js';
import type { PatchbayConfigInput } from '../routing/routing-config.js';
import type { LimitStore } from '../spec/state.js';
import { InMemoryLimitStore } from './in-memory-limit-store.js';
import type { LimitWarningEvent } from './limit-gate.js';

const request = { messages: [{ role: 'user' as const, content: 'hello' }] };
let open: Patchbay[] = [];
let clock: FakeClock | undefined;

function patchbay(config: PatchbayConfigInput, extra: Partial<Parameters<typeof createPatchbay>[0]> = {}): Patchbay {
  const instance = createPatchbay({ config, factories: mockFactories, env: false, ...extra });
  open.push(instance);
  return instance;
}

function llm(step: Record<string, unknown> = { text: 'ok' }) {
  return { kind: 'llm' as const, vendor: 'mock', settings: { script: step } };
}

async function refusal(promise: Promise<unknown>): Promise<PatchbayError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (caught: unknown) => caught,
  );
  expect(PatchbayError.isInstance(error)).toBe(true);
  return error as PatchbayError;
}

/** Counts every store call, to prove the path without limits makes none. */
function countingStore(): LimitStore & { calls: number } {
  const inner = new InMemoryLimitStore();
  const counting = {
    calls: 0,
    reserve: (...args: Parameters<LimitStore['reserve']>) => {
      counting.calls++;
      return inner.reserve(...args);
    },
    settle: (...args: Parameters<LimitStore['settle']>) => {
      counting.calls++;
      return inner.settle(...args);
    },
    peek: (...args: Parameters<LimitStore['peek']>) => inner.peek(...args),
  };
  return counting;
}

afterEach(() => {
  for (const instance of open) void instance.close();
  open = [];
  clock?.uninstall();
  clock = undefined;
});

describe('budgets and rate limits', () => {
  it('refuses past a per-tenant request limit before any vendor call, naming the limit and its reset', async () => {
    clock = createFakeClock({ now: Date.UTC(2026, 0, 1, 12, 0, 30) });
    const pb = patchbay({
      providers: { a: llm() },
      routes: { llm: { providers: ['a'] } },
      limits: { 'per-tenant-rpm': { tenant: '*', metric: 'requests', max: 2, window: 'minute' } },
    });
    await pb.tenant('acme').llm.generate(request);
    await pb.tenant('acme').llm.generate(request);
    const error = await refusal(pb.tenant('acme').llm.generate(request));
    expect(error.code).toBe('limit_exceeded');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('per-tenant-rpm');
    expect(error.details).toMatchObject({
      limit: 'per-tenant-rpm',
      metric: 'requests',
      max: 2,
      tenant: 'acme',
      resetAt: '2026-01-01T12:01:00.000Z',
    });
    expect(error.retryAfterMs).toBe(30_000);
    expect((pb.provider('a') as MockLanguageModel).calls).toHaveLength(2);
    // Each tenant has its own counter; the window restarts at its boundary.
    await expect(pb.tenant('globex').llm.generate(request)).resolves.toMatchObject({ text: 'ok' });
    await clock.advance(30_000);
    await expect(pb.tenant('acme').llm.generate(request)).resolves.toMatchObject({ text: 'ok' });
  });

  it('does not count a refusal against any breaker and fails over to a member with room', async () => {
    const pb = patchbay({
      providers: { a: llm({ text: 'from a' }), b: llm({ text: 'from b' }) },
      routes: { llm: { providers: ['a', 'b'] } },
      defaults: { breaker: { minimumCalls: 1, failureThresholdPercent: 1 } },
      limits: { 'a-budget': { provider: 'a', metric: 'requests', max: 1, window: 'hour' } },
    });
    const failovers: unknown[] = [];
    pb.on('failover', (event) => failovers.push(event));
    expect(await pb.llm.generate(request)).toMatchObject({ provider: 'a' });
    for (let index = 0; index < 5; index++) expect(await pb.llm.generate(request)).toMatchObject({ text: 'from b' });
    expect(failovers).toHaveLength(5);
    expect(failovers[0]).toMatchObject({ from: 'a', to: 'b', errorCode: 'limit_exceeded' });
    const status = await pb.status();
    expect(status.integrations.a).toMatchObject({ circuit: 'closed' });
    expect((pb.provider('a') as MockLanguageModel).calls).toHaveLength(1);
  });

  it('refuses the whole route with limit_exceeded when no member has room', async () => {
    const pb = patchbay({
      providers: { a: llm(), b: llm() },
      routes: { llm: { providers: ['a', 'b'] } },
      limits: {
        'a-cap': { provider: 'a', metric: 'requests', max: 1, window: 'day' },
        'b-cap': { provider: 'b', metric: 'requests', max: 1, window: 'day' },
      },
    });
    await pb.llm.generate(request);
    await pb.llm.generate(request);
    const error = await refusal(pb.llm.generate(request));
    expect(error.code).toBe('limit_exceeded');
  });

  it('gives back what a call already reserved when a later limit refuses it', async () => {
    clock = createFakeClock({ now: Date.UTC(2026, 0, 1, 12, 0, 0) });
    const pb = patchbay({
      providers: { a: llm() },
      routes: { llm: { providers: ['a'] } },
      limits: {
        hourly: { metric: 'requests', max: 2, window: 'hour' },
        'per-minute': { metric: 'requests', max: 1, window: 'minute' },
      },
    });
    await pb.llm.generate(request);
    // Refused by the per-minute limit after the hourly one counted them: the hourly reservations are given back.
    for (let index = 0; index < 3; index++) {
      expect((await refusal(pb.llm.generate(request))).details).toMatchObject({ limit: 'per-minute' });
    }
    await clock.advance(60_000);
    // The hourly limit has seen one call, not four: this one fits.
    await expect(pb.llm.generate(request)).resolves.toMatchObject({ text: 'ok' });
    await clock.advance(60_000);
    expect((await refusal(pb.llm.generate(request))).details).toMatchObject({ limit: 'hourly' });
    expect((pb.provider('a') as MockLanguageModel).calls).toHaveLength(2);
  });

  it('counts a route-wide request limit once per call, not once per retry', async () => {
    clock = createFakeClock();
    const pb = patchbay({
      providers: { a: llm() },
      routes: { llm: { providers: ['a'], retry: { initialDelayMs: 10, jitter: false } } },
      limits: { rpm: { metric: 'requests', max: 2, window: 'minute' } },
    });
    const a = pb.provider('a') as MockLanguageModel;
    for (let index = 0; index < 2; index++) {
      a.setScript([{ error: 'unavailable' }, { text: 'ok' }]);
      const pending = pb.llm.generate(request);
      await clock.advance(10);
      await expect(pending).resolves.toMatchObject({ text: 'ok' });
    }
    expect(a.calls).toHaveLength(4);
    expect((await refusal(pb.llm.generate(request))).code).toBe('limit_exceeded');
  });

  it('warns again in the next window', async () => {
    clock = createFakeClock({ now: Date.UTC(2026, 0, 1, 12, 0, 0) });
    const pb = patchbay({
      providers: { a: llm() },
      routes: { llm: { providers: ['a'] } },
      limits: { rpm: { metric: 'requests', max: 4, window: 'minute', warnAt: 0.5 } },
    });
    const warnings: LimitWarningEvent[] = [];
    pb.on('limit_warning', (event) => warnings.push(event));
    for (let index = 0; index < 3; index++) await pb.llm.generate(request);
    expect(warnings.map((warning) => warning.resetAt)).toEqual(['2026-01-01T12:01:00.000Z']);
    await clock.advance(60_000);
    for (let index = 0; index < 3; index++) await pb.llm.generate(request);
    expect(warnings.map((warning) => [warning.used, warning.resetAt])).toEqual([
      [2, '2026-01-01T12:01:00.000Z'],
      [2, '2026-01-01T12:02:00.000Z'],
    ]);
  });

  it('emits limit_warning once when the warn share is passed and lets soft limits through', async () => {
    const pb = patchbay({
      providers: { a: llm() },
      routes: { llm: { providers: ['a'] } },
      limits: { soft: { metric: 'requests', max: 4, window: 'minute', warnAt: 0.5, enforce: 'soft' } },
    });
    const warnings: LimitWarningEvent[] = [];
    pb.on('limit_warning', (event) => warnings.push(event));
    for (let index = 0; index < 6; index++) await pb.llm.generate(request);
    expect(warnings.map((warning) => [warning.used, warning.exceeded])).toEqual([
      [2, false],
      [5, true],
    ]);
    expect(warnings[0]).toMatchObject({ limit: 'soft', metric: 'requests', max: 4, route: 'llm' });
  });

  it('warns once per window for a token budget whose estimate exceeds the real usage, and again in the next window', async () => {
    clock = createFakeClock({ now: Date.UTC(2026, 0, 1, 12, 0, 0) });
    const pb = patchbay({
      providers: { a: llm({ text: 'ok', usage: { inputTokens: 0, outputTokens: 1 } }) },
      routes: { llm: { providers: ['a'] } },
      limits: { tpm: { metric: 'output_tokens', max: 1_000, window: 'minute', warnAt: 0.5 } },
    });
    const warnings: LimitWarningEvent[] = [];
    pb.on('limit_warning', (event) => warnings.push(event));
    // Each call reserves 600 (past the 500 share) and settles to 1: the counter drops back every time.
    for (let index = 0; index < 5; index++) await pb.llm.generate({ ...request, maxOutputTokens: 600 });
    expect(warnings.map((warning) => [warning.used, warning.exceeded, warning.resetAt])).toEqual([
      [600, false, '2026-01-01T12:01:00.000Z'],
    ]);
    await clock.advance(60_000);
    for (let index = 0; index < 5; index++) await pb.llm.generate({ ...request, maxOutputTokens: 600 });
    expect(warnings.map((warning) => [warning.used, warning.resetAt])).toEqual([
      [600, '2026-01-01T12:01:00.000Z'],
      [600, '2026-01-01T12:02:00.000Z'],
    ]);
  });

  it('warns when the settled usage passes the share the estimate did not, once per window', async () => {
    clock = createFakeClock({ now: Date.UTC(2026, 0, 1, 12, 0, 0) });
    const pb = patchbay({
      providers: { a: llm({ text: 'ok', usage: { inputTokens: 0, outputTokens: 300 } }) },
      routes: { llm: { providers: ['a'] } },
      limits: { tpm: { tenant: '*', metric: 'output_tokens', max: 1_000, window: 'minute', warnAt: 0.5 } },
    });
    const warnings: LimitWarningEvent[] = [];
    pb.on('limit_warning', (event) => warnings.push(event));
    // No maxOutputTokens: each call reserves 1 token and settles to 300. The second settles the count to 600.
    await pb.tenant('acme').llm.generate(request);
    expect(warnings).toEqual([]);
    await pb.tenant('acme').llm.generate(request);
    expect(warnings).toEqual([
      expect.objectContaining({
        limit: 'tpm',
        tenant: 'acme',
        used: 600,
        exceeded: false,
        resetAt: '2026-01-01T12:01:00.000Z',
      }),
    ]);
    // Later reservations and settlements in the same window find the count past the share: no new warning.
    await pb.tenant('acme').llm.generate(request);
    expect(warnings).toHaveLength(1);
    // Another tenant has its own counter and its own warning.
    await pb.tenant('globex').llm.generate(request);
    await pb.tenant('globex').llm.generate(request);
    expect(warnings.map((warning) => warning.tenant)).toEqual(['acme', 'globex']);
  });

  it('refuses up front a cost estimate priced by a vendor and model scoped price', async () => {
    const pb = patchbay({
      providers: { a: llm() },
      routes: { llm: { providers: ['a'] } },
      // $1 per 1,000 output tokens, for the mock vendor's configured model only.
      pricing: [{ vendor: 'mock', model: 'mock-model', unit: 'output_tokens', price: 1, per: 1_000 }],
      limits: { budget: { metric: 'cost', max: 0.5, window: 'day' } },
    });
    const error = await refusal(pb.llm.generate({ ...request, maxOutputTokens: 1_000 }));
    expect(error).toMatchObject({ code: 'limit_exceeded', details: { limit: 'budget', metric: 'cost', used: 0 } });
    expect((pb.provider('a') as MockLanguageModel).calls).toHaveLength(0);
    // A smaller estimate fits the budget.
    await expect(pb.llm.generate({ ...request, maxOutputTokens: 400 })).resolves.toMatchObject({ text: 'ok' });
  });

  it('prices a cost estimate with the model the request names, after the route aliases, for route and provider limits', async () => {
    const pb = patchbay({
      providers: { a: llm(), b: llm() },
      routes: {
        llm: { providers: ['a'], aliases: { model: { smart: { a: 'big-model' } } } },
        other: { providers: ['b'] },
      },
      pricing: [
        { provider: 'a', model: 'big-model', unit: 'output_tokens', price: 1, per: 1_000 },
        { provider: 'b', model: 'other-model', unit: 'output_tokens', price: 1, per: 1_000 },
      ],
      limits: {
        'route-budget': { route: 'llm', metric: 'cost', max: 0.5, window: 'day' },
        'b-budget': { provider: 'b', metric: 'cost', max: 0.5, window: 'day' },
      },
    });
    const aliased = await refusal(pb.llm.generate({ ...request, model: 'smart', maxOutputTokens: 1_000 }));
    expect(aliased.details).toMatchObject({ limit: 'route-budget' });
    const named = await refusal(
      (pb.route('other') as RoutedLanguageModel).generate({ ...request, model: 'other-model', maxOutputTokens: 1_000 }),
    );
    // A provider limit refuses the attempt; with no other member the route fails with that refusal.
    expect(named).toMatchObject({
      code: 'limit_exceeded',
      attempts: [{ provider: 'b', code: 'limit_exceeded', message: expect.stringContaining('"b-budget"') }],
    });
    expect((pb.provider('a') as MockLanguageModel).calls).toHaveLength(0);
    expect((pb.provider('b') as MockLanguageModel).calls).toHaveLength(0);
    // The price is for those models only: the member's configured model is not priced, so nothing is reserved.
    await expect(pb.llm.generate({ ...request, maxOutputTokens: 1_000 })).resolves.toMatchObject({ text: 'ok' });
  });

  it('reserves a token estimate up front and settles with the metered usage', async () => {
    const store = new InMemoryLimitStore();
    const pb = patchbay(
      {
        providers: { a: llm({ text: 'ok', usage: { inputTokens: 30, outputTokens: 20 } }) },
        routes: { llm: { providers: ['a'] } },
        limits: { tokens: { tenant: 'acme', metric: 'tokens', max: 120, window: 'hour' } },
      },
      { limitStore: store },
    );
    const key = 'limit:6:tokens:';
    await pb
      .tenant('acme')
      .llm.generate({ ...request, maxOutputTokens: 500 })
      .catch(() => undefined);
    // 500 output tokens asked for do not fit a 120-token budget: refused before the call.
    expect(store.peek(key, 3_600_000, Date.now())).toBe(0);
    await pb.tenant('acme').llm.generate(request);
    expect(store.peek(key, 3_600_000, Date.now())).toBe(50);
    await pb.tenant('acme').llm.generate(request);
    expect(store.peek(key, 3_600_000, Date.now())).toBe(100);
    await pb.tenant('acme').llm.generate(request);
    expect(store.peek(key, 3_600_000, Date.now())).toBe(150);
    // The budget is spent (150 of 120): the next call is refused even with the minimum estimate.
    expect((await refusal(pb.tenant('acme').llm.generate(request))).code).toBe('limit_exceeded');
    // Other tenants are not counted by a limit naming one tenant.
    await expect(pb.tenant('globex').llm.generate(request)).resolves.toBeDefined();
  });

  it('counts priced cost per day in its currency', async () => {
    const pb = patchbay({
      providers: { a: llm({ text: 'ok', usage: { inputTokens: 1_000_000, outputTokens: 0 } }) },
      routes: { llm: { providers: ['a'] } },
      pricing: [{ provider: 'a', unit: 'input_tokens', price: 2, per: 1_000_000 }],
      limits: { daily: { tenant: 'acme', metric: 'cost', max: 5, window: 'day' } },
    });
    for (let index = 0; index < 3; index++) await pb.tenant('acme').llm.generate(request);
    const error = await refusal(pb.tenant('acme').llm.generate(request));
    expect(error.details).toMatchObject({ limit: 'daily', metric: 'cost', used: 6 });
    expect(error.message).toContain('5 USD of cost per day for tenant "acme"');
  });

  it('makes no store call when no limit is configured or none applies', async () => {
    const store = countingStore();
    const pb = patchbay(
      {
        providers: { a: llm() },
        routes: { llm: { providers: ['a'] } },
      },
      { limitStore: store },
    );
    for (let index = 0; index < 5; index++) await pb.llm.generate(request);
    expect(store.calls).toBe(0);
    await pb.updateConfig({ limits: { rpm: { route: 'llm', metric: 'requests', max: 100, window: 'minute' } } });
    await pb.llm.generate(request);
    expect(store.calls).toBe(1);
  });

  it('applies a provider limit added while calls run, from the next call on', async () => {
    const pb = patchbay({ providers: { a: llm() }, routes: { llm: { providers: ['a'] } } });
    await pb.llm.generate(request);
    await pb.updateConfig({ limits: { one: { provider: 'a', metric: 'requests', max: 1, window: 'minute' } } });
    await pb.llm.generate(request);
    const error = await refusal(pb.llm.generate(request));
    expect(error.code).toBe('limit_exceeded');
  });

  it('fails open and reports when the limit store throws', async () => {
    const reports: PatchbayErrorEvent[] = [];
    const pb = patchbay(
      {
        providers: { a: llm() },
        routes: { llm: { providers: ['a'] } },
        limits: { rpm: { metric: 'requests', max: 1, window: 'minute' } },
      },
      {
        limitStore: {
          reserve: () => {
            throw new Error('store down');
          },
          settle: () => {},
          peek: () => 0,
        },
        onError: (event) => reports.push(event),
      },
    );
    await expect(pb.llm.generate(request)).resolves.toMatchObject({ text: 'ok' });
    expect(reports).toEqual([expect.objectContaining({ source: 'limit-store' })]);
  });

  it('goes ahead after the store timeout when an asynchronous store hangs, and gives back a late grant', async () => {
    clock = createFakeClock();
    const reports: PatchbayErrorEvent[] = [];
    const settled: number[] = [];
    let answer: ((value: Awaited<ReturnType<LimitStore['reserve']>>) => void) | undefined;
    const pb = patchbay(
      {
        providers: { a: llm() },
        routes: { llm: { providers: ['a'] } },
        limits: { rpm: { metric: 'requests', max: 5, window: 'minute' } },
      },
      {
        limitStore: {
          reserve: () =>
            new Promise((resolve) => {
              answer = resolve;
            }),
          settle: (_key, delta) => {
            settled.push(delta);
          },
          peek: () => 0,
        },
        onError: (event) => reports.push(event),
      },
    );
    const call = pb.llm.generate(request);
    await clock.advance(199);
    expect(reports).toEqual([]);
    await clock.advance(1);
    await expect(call).resolves.toMatchObject({ text: 'ok' });
    expect(reports).toEqual([
      expect.objectContaining({ source: 'limit-store', error: expect.objectContaining({ code: 'timeout' }) }),
    ]);
    expect(clock.pendingTimers()).toBe(0);
    answer?.({ granted: true, used: 1, limit: 5, windowStart: 0, resetAt: 60_000 });
    await clock.advance(0);
    expect(settled).toEqual([-1]);
  });

  it('counts a month as 30 days, in windows aligned to the epoch (fake clock)', async () => {
    const monthMs = 30 * 24 * 3_600_000;
    // 700 windows of 30 days after the epoch: 2027-07-01; the next window starts on 2027-07-31, not on 2027-08-01.
    clock = createFakeClock({ now: 700 * monthMs });
    expect(new Date(clock.now()).toISOString()).toBe('2027-07-01T00:00:00.000Z');
    const pb = patchbay({
      providers: { a: llm() },
      routes: { llm: { providers: ['a'] } },
      limits: { monthly: { metric: 'requests', max: 1, window: 'month' } },
    });
    await pb.llm.generate(request);
    const error = await refusal(pb.llm.generate(request));
    expect(error.details).toMatchObject({ limit: 'monthly', window: 'month', resetAt: '2027-07-31T00:00:00.000Z' });
    expect(error.retryAfterMs).toBe(monthMs);
    await clock.advance(monthMs - 1);
    expect((await refusal(pb.llm.generate(request))).retryAfterMs).toBe(1);
    await clock.advance(1);
    await expect(pb.llm.generate(request)).resolves.toMatchObject({ text: 'ok' });
    expect((await refusal(pb.llm.generate(request))).details).toMatchObject({ resetAt: '2027-08-30T00:00:00.000Z' });
  });

  it('fails open and reports when the limit store rejects (reserve or settle)', async () => {
    const reports: PatchbayErrorEvent[] = [];
    let grant = false;
    const pb = patchbay(
      {
        providers: { a: llm({ text: 'ok', usage: { inputTokens: 3, outputTokens: 2 } }) },
        routes: { llm: { providers: ['a'] } },
        limits: { budget: { metric: 'tokens', max: 1, window: 'minute' } },
      },
      {
        limitStore: {
          reserve: (_key, amount, limit, windowMs, now) =>
            grant
              ? Promise.resolve({ granted: true, used: amount, limit, windowStart: now, resetAt: now + windowMs })
              : Promise.reject(new Error('store down')),
          settle: () => Promise.reject(new Error('settle failed')),
          peek: () => 0,
        },
        onError: (event) => reports.push(event),
      },
    );
    // 50 output tokens asked for against a 1-token budget: the store never answers, so the call goes ahead, reported.
    await expect(pb.llm.generate({ ...request, maxOutputTokens: 50 })).resolves.toMatchObject({ text: 'ok' });
    expect(reports).toEqual([
      expect.objectContaining({ source: 'limit-store', error: expect.objectContaining({ message: 'store down' }) }),
    ]);
    // A grant whose settlement rejects: the call is served, and the rejection reported (never unhandled).
    grant = true;
    await expect(pb.llm.generate(request)).resolves.toMatchObject({ text: 'ok' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(reports).toHaveLength(2);
    expect(reports[1]).toMatchObject({
      source: 'limit-store',
      error: expect.objectContaining({ message: 'settle failed' }),
    });
  });

  it('reserves a TTS call by its text length: a character budget smaller than the text refuses it before the vendor', async () => {
    const pb = patchbay({
      providers: { voice: { kind: 'tts', vendor: 'mock' } },
      routes: { tts: { providers: ['voice'] } },
      limits: { chars: { tenant: '*', metric: 'characters', max: 10, window: 'hour' } },
    });
    const voice = pb.provider('voice') as MockSpeechSynthesizer;
    const eleven = 'abcdefghijk';
    const ten = 'abcdefghij';
    const synthesize = await refusal(pb.tenant('one').tts.synthesize({ text: eleven }));
    expect(synthesize).toMatchObject({ code: 'limit_exceeded', details: { limit: 'chars', metric: 'characters' } });
    const stream = await refusal(pb.tenant('two').tts.stream({ text: eleven }));
    expect(stream).toMatchObject({ code: 'limit_exceeded', details: { limit: 'chars' } });
    expect(voice.calls).toHaveLength(0);
    // Text that fits the budget goes through, on both paths.
    await expect(pb.tenant('one').tts.synthesize({ text: ten })).resolves.toMatchObject({ characters: 10 });
    const streamed = await pb.tenant('two').tts.stream({ text: ten });
    for await (const _chunk of streamed.stream) {
      // drained
    }
    expect(voice.calls).toHaveLength(2);
  });

  it('names invalid limits and unknown references by path', async () => {
    expect(() =>
      patchbay({
        providers: { a: llm() },
        limits: {
          bad: { provider: 'nope', metric: 'requests', max: 1, window: 'minute' },
          worse: { metric: 'bananas', max: -1, window: 'minute' } as never,
        },
      }),
    ).toThrow(/limits\.bad\.provider.*|limits\.worse\.metric/);
  });
});
