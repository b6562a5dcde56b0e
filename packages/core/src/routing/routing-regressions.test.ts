import { getEventListeners } from 'node:events';
import {
  createFakeClock,
  type FakeClock,
  type MockLanguageModel,
  type MockMessagingProvider,
  type MockSpeechSynthesizer,
  mockFactories,
} from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AllProvidersFailedError, PatchbayError } from '../errors/patchbay-error.js';
import { createPatchbay, type Patchbay } from '../patchbay.js';
import { defineProviderFactory } from '../provider/provider-factory.js';
import type { PatchbayConfigInput } from './routing-config.js';
import type { BreakerEvent } from './routing-events.js';

const request = { messages: [{ role: 'user' as const, content: 'hello' }] };
let open: Patchbay[] = [];
let clock: FakeClock | undefined;

function patchbay(config: PatchbayConfigInput): Patchbay {
  const instance = createPatchbay({ config, factories: mockFactories, env: false });
  open.push(instance);
  return instance;
}

afterEach(() => {
  for (const instance of open) instance.close();
  open = [];
  clock?.uninstall();
  clock = undefined;
});

async function rejection(promise: Promise<unknown>): Promise<PatchbayError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(PatchbayError.isInstance(error)).toBe(true);
  return error as PatchbayError;
}

const llm = (script: unknown = {}) => ({ kind: 'llm' as const, vendor: 'mock', settings: { script } });
const sms = (settings: Record<string, unknown> = {}) => ({ kind: 'sms' as const, vendor: 'mock', settings });

describe('round-robin', () => {
  it('keeps one counter per route: two routes used alternately both rotate', async () => {
    const pb = patchbay({
      providers: { a: llm(), b: llm(), c: llm(), d: llm() },
      routes: {
        first: { kind: 'llm', strategy: 'round-robin', providers: ['a', 'b'] },
        second: { kind: 'llm', strategy: 'round-robin', providers: ['c', 'd'] },
      },
    });
    const first = pb.route('first') as Patchbay['llm'];
    const second = pb.route('second') as Patchbay['llm'];
    const served: string[] = [];
    for (let index = 0; index < 4; index++) {
      served.push((await first.generate(request)).provider);
      served.push((await second.generate(request)).provider);
    }
    expect(served).toEqual(['a', 'c', 'b', 'd', 'a', 'c', 'b', 'd']);
  });
});

describe('refused calls leave nothing behind', () => {
  it('clears the deadline timer and the caller-signal listener when no member is eligible', async () => {
    clock = createFakeClock();
    const pb = patchbay({
      providers: {
        studio: {
          kind: 'tts',
          vendor: 'mock',
          settings: { capabilities: { formats: [{ encoding: 'mp3', sampleRates: [] }] } },
        },
      },
      routes: { tts: { providers: ['studio'], deadlineMs: 60_000, attemptTimeoutMs: 10_000 } },
    });
    const callerSignal = new AbortController().signal;
    const timersBefore = clock.pendingTimers();
    for (let index = 0; index < 3; index++) {
      const error = await rejection(
        pb.tts.synthesize({ text: 'hi', format: { encoding: 'opus' } }, { signal: callerSignal }),
      );
      expect(error.code).toBe('invalid_request');
    }
    expect(getEventListeners(callerSignal, 'abort')).toHaveLength(0);
    expect(clock.pendingTimers()).toBe(timersBefore);
    // A served call clears everything too.
    await pb.tts.synthesize({ text: 'hi' }, { signal: callerSignal });
    expect(getEventListeners(callerSignal, 'abort')).toHaveLength(0);
    expect(clock.pendingTimers()).toBe(timersBefore);
  });
});

describe('a late answer', () => {
  it('is metered when it arrives after its attempt timed out (the vendor did the work)', async () => {
    clock = createFakeClock();
    let answer: ((value: unknown) => void) | undefined;
    // A member that ignores the abort, like a vendor that finishes a request the client gave up on.
    const stubborn = defineProviderFactory({
      kind: 'llm',
      vendor: 'stubborn',
      create: ({ id }) => ({
        specificationVersion: 'v1',
        id,
        kind: 'llm',
        vendor: 'stubborn',
        capabilities: { streaming: false, tools: false, images: false, jsonOutput: false },
        generate: () => new Promise((resolve) => (answer = resolve)),
        stream: () => Promise.reject(new Error('not used')),
        test: async () => ({ status: 'connected', healthy: true, message: 'ok', latencyMs: 0, checkedAt: '' }),
        getConfig: () => ({ id }),
        updateConfig: async () => {},
      }),
    });
    const pb = createPatchbay({
      config: {
        providers: { slow: { kind: 'llm', vendor: 'stubborn' } },
        routes: { llm: { providers: ['slow'], attemptTimeoutMs: 50, retry: { maxRetries: 0 } } },
      },
      factories: [stubborn],
      env: false,
    });
    open.push(pb);
    const usage: { outcome: string; unit: string; quantity: number }[] = [];
    pb.on('usage', (record) => usage.push(record));
    const pending = rejection(pb.llm.generate(request));
    await clock.advance(60);
    expect((await pending).code).toBe('timeout');
    expect(usage.map((record) => record.outcome)).toEqual(['error', 'error']);
    answer?.({
      text: 'late',
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 7, outputTokens: 3, cachedInputTokens: 0 },
      provider: 'slow',
      vendor: 'stubborn',
      model: 'm',
      warnings: [],
    });
    await clock.advance(0);
    expect(usage.slice(2)).toMatchObject([
      { outcome: 'success', unit: 'input_tokens', quantity: 7 },
      { outcome: 'success', unit: 'output_tokens', quantity: 3 },
    ]);
  });
});

describe('messaging refusals', () => {
  it('answers invalid_request, not retryable, when no member can send media or a template', async () => {
    const pb = patchbay({
      providers: { plain: sms({ capabilities: { media: false, templates: false } }) },
      routes: { sms: { providers: ['plain'] } },
    });
    const media = await rejection(pb.sms.send({ to: '+250788123456', media: [{ url: 'https://example.com/a.png' }] }));
    expect(media.code).toBe('invalid_request');
    expect(media.retryable).toBe(false);
    expect(media.details).toMatchObject({ field: 'media' });
    expect((pb.provider('plain') as MockMessagingProvider).calls).toHaveLength(0);
  });
});

describe('capability refusals name what is missing, before any vendor call', () => {
  it('refuses an LLM stream when no member can stream: invalid_request, not retryable, no call, no breaker', async () => {
    const pb = patchbay({
      providers: { batch: { kind: 'llm', vendor: 'mock', settings: { capabilities: { streaming: false } } } },
      routes: { llm: { providers: ['batch'] } },
      defaults: { breaker: { minimumCalls: 1, failureThresholdPercent: 1 } },
    });
    const breakers: BreakerEvent[] = [];
    pb.on('breaker', (event) => breakers.push(event));
    const attempts: string[] = [];
    pb.on('attempt', (event) => attempts.push(`${event.provider}:${event.outcome}`));
    for (let index = 0; index < 3; index++) {
      const error = await rejection(pb.llm.stream(request));
      expect(error.code).toBe('invalid_request');
      expect(error.retryable).toBe(false);
      expect(error.message).toBe('No provider in route "llm" can stream');
      expect(error).not.toBeInstanceOf(AllProvidersFailedError);
    }
    expect((pb.provider('batch') as MockLanguageModel).calls).toHaveLength(0);
    expect(attempts).toEqual([]);
    expect(breakers).toEqual([]);
    // generate() still goes to the member.
    await pb.llm.generate(request);
    expect((pb.provider('batch') as MockLanguageModel).calls).toHaveLength(1);
  });

  it('says a TTS stream needs streaming, not a format, when no member streams and no format was asked', async () => {
    const pb = patchbay({
      providers: { batch: { kind: 'tts', vendor: 'mock', settings: { capabilities: { streaming: false } } } },
      routes: { tts: { providers: ['batch'] } },
    });
    const stream = await rejection(pb.tts.stream({ text: 'hi' }));
    expect(stream).toMatchObject({ code: 'invalid_request', retryable: false });
    expect(stream.message).toBe('No provider in route "tts" can stream speech');
    async function* text() {
      yield 'hi';
    }
    const streamText = await rejection(pb.tts.streamText(text()));
    expect(streamText).toMatchObject({ code: 'invalid_request', retryable: false });
    expect(streamText.message).toBe('No provider in route "tts" can stream speech from streamed text');
    expect((pb.provider('batch') as MockSpeechSynthesizer).calls).toHaveLength(0);
  });

  it('names the format when members stream but none produces it', async () => {
    const pb = patchbay({
      providers: {
        studio: {
          kind: 'tts',
          vendor: 'mock',
          settings: { capabilities: { formats: [{ encoding: 'mp3', sampleRates: [] }] } },
        },
      },
      routes: { tts: { providers: ['studio'] } },
    });
    const error = await rejection(pb.tts.stream({ text: 'hi', format: { encoding: 'opus' } }));
    expect(error).toMatchObject({ code: 'invalid_request', details: { field: 'format' } });
    expect(error.message).toBe('No provider in route "tts" can produce format opus');
  });

  it('names the combination when members can send a template or media, but none both', async () => {
    const pb = patchbay({
      providers: {
        templates: sms({ capabilities: { media: false, templates: true } }),
        media: sms({ capabilities: { media: true, templates: false } }),
      },
      routes: { sms: { providers: ['templates', 'media'] } },
    });
    const error = await rejection(
      pb.sms.send({
        to: '+250788123456',
        template: { name: 'welcome', language: 'en_US' },
        media: [{ url: 'https://example.com/a.png' }],
      }),
    );
    expect(error).toMatchObject({ code: 'invalid_request', retryable: false, details: { field: 'media' } });
    expect(error.message).toBe('No provider in route "sms" can send a template with media');
    expect((pb.provider('templates') as MockMessagingProvider).calls).toHaveLength(0);
    expect((pb.provider('media') as MockMessagingProvider).calls).toHaveLength(0);
  });
});

describe('malformed requests and our own bugs', () => {
  it('refuses a message whose body is a number before any vendor call, naming the field', async () => {
    const pb = patchbay({ providers: { a: sms(), b: sms() }, routes: { sms: { providers: ['a', 'b'] } } });
    const error = await rejection(pb.sms.send({ to: '+250788123456', body: 42 as unknown as string }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('body');
    expect((pb.provider('a') as MockMessagingProvider).calls).toHaveLength(0);
    expect((pb.provider('b') as MockMessagingProvider).calls).toHaveLength(0);
  });

  it('refuses an LLM message with content null, naming the path', async () => {
    const pb = patchbay({ providers: { a: llm() } });
    const error = await rejection(
      pb.llm.generate({ messages: [{ role: 'user', content: null as unknown as string }] }),
    );
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('messages.0.content');
    expect((pb.provider('a') as MockLanguageModel).calls).toHaveLength(0);
  });

  it('treats a TypeError during a send as outcome-unknown: no failover, no second send, no breaker count', async () => {
    const pb = patchbay({
      providers: {
        a: sms(),
        b: sms(),
      },
      routes: { sms: { providers: ['a', 'b'] } },
      defaults: { breaker: { minimumCalls: 2, failureThresholdPercent: 10 } },
    });
    (pb.provider('a') as MockMessagingProvider).setScript(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'sid')");
    });
    const states: BreakerEvent[] = [];
    pb.on('breaker', (event) => states.push(event));
    for (let index = 0; index < 4; index++) {
      const error = await rejection(pb.sms.send({ to: '+250788123456', body: 'hi' }));
      expect(error.outcomeUnknown).toBe(true);
    }
    expect((pb.provider('a') as MockMessagingProvider).calls).toHaveLength(4);
    expect((pb.provider('b') as MockMessagingProvider).calls).toHaveLength(0);
    expect(states).toEqual([]);
  });

  it('does not open a healthy LLM provider’s breaker over our own TypeErrors', async () => {
    const pb = patchbay({
      providers: { a: llm() },
      routes: { llm: { providers: ['a'], retry: { maxRetries: 0 } } },
      defaults: { breaker: { minimumCalls: 2, failureThresholdPercent: 10 } },
    });
    (pb.provider('a') as MockLanguageModel).setScript(() => {
      throw new TypeError('x is not a function');
    });
    const states: BreakerEvent[] = [];
    pb.on('breaker', (event) => states.push(event));
    for (let index = 0; index < 5; index++) await rejection(pb.llm.generate(request));
    expect(states).toEqual([]);
  });
});

describe('metering of failed attempts', () => {
  it('records the model of a failed attempt so model prices match, and a failure never makes the total null', async () => {
    const pb = patchbay({
      providers: {
        a: { kind: 'llm', vendor: 'mock', settings: { model: 'gpt-x', script: [{ error: 'unavailable' }, {}] } },
      },
      routes: { llm: { providers: ['a'], retry: { maxRetries: 0 } } },
      pricing: [
        { provider: 'a', model: 'gpt-x', unit: 'input_tokens', price: 1, per: 1_000 },
        { provider: 'a', model: 'gpt-x', unit: 'output_tokens', price: 2, per: 1_000 },
      ],
    });
    const models: (string | undefined)[] = [];
    pb.on('usage', (record) => models.push(record.model));
    await rejection(pb.llm.generate(request));
    expect(models).toEqual(['gpt-x', 'gpt-x']);
    await pb.llm.generate(request);
    expect(pb.usage.costByProvider().a).not.toBeNull();
  });

  it('meters a vendor-reported cost instead of the price table', async () => {
    const pb = patchbay({
      providers: { a: sms({ script: { cost: { amount: 0.0079, currency: 'USD' } } }) },
      pricing: [{ provider: 'a', unit: 'messages', price: 1 }],
    });
    await pb.sms.send({ to: '+250788123456', body: 'hi' });
    expect(pb.usage.costByProvider().a).toBeCloseTo(0.0079, 10);
  });
});

describe('the first attempt as a promise step', () => {
  /** An LLM member whose `generate` is the given function. */
  const member = (vendor: string, generate: () => unknown) =>
    defineProviderFactory({
      kind: 'llm',
      vendor,
      create: ({ id }) => ({
        specificationVersion: 'v1',
        id,
        kind: 'llm',
        vendor,
        capabilities: { streaming: false, tools: false, images: false, jsonOutput: false },
        generate: generate as never,
        stream: () => Promise.reject(new Error('not used')),
        test: async () => ({ status: 'connected', healthy: true, message: 'ok', latencyMs: 0, checkedAt: '' }),
        getConfig: () => ({ id }),
        updateConfig: async () => {},
      }),
    });
  const answer = (provider: string, usage = { inputTokens: 2, outputTokens: 1, cachedInputTokens: 0 }) => ({
    text: 'ok',
    toolCalls: [],
    finishReason: 'stop',
    usage,
    provider,
    vendor: provider,
    model: 'm',
    warnings: [],
  });

  function twoMembers(first: () => unknown, second: () => unknown = async () => answer('second')): Patchbay {
    const pb = createPatchbay({
      config: {
        providers: { first: { kind: 'llm', vendor: 'first' }, second: { kind: 'llm', vendor: 'second' } },
        routes: { llm: { providers: ['first', 'second'], retry: { maxRetries: 0 } } },
      },
      factories: [member('first', first), member('second', second)],
      env: false,
    });
    open.push(pb);
    return pb;
  }

  it('fails over when the first member throws instead of returning a promise, counting the failure', async () => {
    const pb = twoMembers(() => {
      throw new PatchbayError({ code: 'unavailable', message: 'down' });
    });
    const attempts: string[] = [];
    pb.on('attempt', (event) => attempts.push(`${event.provider}:${event.outcome}`));
    const result = await pb.llm.generate(request);
    expect(result.provider).toBe('second');
    expect(attempts).toEqual(['first:error', 'second:success']);
    expect(pb.usage.rows().find((row) => row.provider === 'first')).toMatchObject({ failures: 1 });
  });

  it('fails over when the answer cannot be metered (a malformed result), counting it as the first member failing', async () => {
    // No usage at all: metering the answer throws, which the router treats as that attempt failing.
    const pb = twoMembers(async () => ({ ...answer('first'), usage: undefined }));
    const attempts: string[] = [];
    pb.on('attempt', (event) => attempts.push(`${event.provider}:${event.outcome}`));
    const result = await pb.llm.generate(request);
    expect(result.provider).toBe('second');
    expect(attempts).toEqual(['first:error', 'second:success']);
  });

  it('with a timeout set, a member that throws instead of returning a promise still counts: its half-open trial reopens the breaker', async () => {
    clock = createFakeClock();
    const pb = createPatchbay({
      config: {
        providers: { first: { kind: 'llm', vendor: 'first' }, second: { kind: 'llm', vendor: 'second' } },
        routes: { llm: { providers: ['first', 'second'], attemptTimeoutMs: 1_000, retry: { maxRetries: 0 } } },
        defaults: { breaker: { minimumCalls: 2, failureThresholdPercent: 50, cooldownMs: 100 } },
      },
      factories: [
        member('first', () => {
          throw new PatchbayError({ code: 'unavailable', message: 'down' });
        }),
        member('second', async () => answer('second')),
      ],
      env: false,
    });
    open.push(pb);
    const states: string[] = [];
    pb.on('breaker', (event) => states.push(`${event.provider}:${event.state}`));
    await pb.llm.generate(request);
    await pb.llm.generate(request);
    expect(states).toEqual(['first:open']);
    await clock.advance(100);
    expect(states.at(-1)).toBe('first:half-open');
    // The trial throws too: it must be counted, or the breaker would stay half-open with its one trial taken.
    expect((await pb.llm.generate(request)).provider).toBe('second');
    expect(states.at(-1)).toBe('first:open');
  });

  it.each([
    ['with a timeout', { attemptTimeoutMs: 1_000 }],
    ['without one', {}],
  ])(
    'a later attempt %s that throws instead of returning a promise counts: its half-open trial reopens the breaker',
    async (_label, bounds) => {
      clock = createFakeClock();
      let trials = 0;
      const down = () => new PatchbayError({ code: 'unavailable', message: 'down' });
      const pb = createPatchbay({
        config: {
          providers: { a: { kind: 'llm', vendor: 'a' }, b: { kind: 'llm', vendor: 'b' } },
          routes: {
            solo: { kind: 'llm', providers: ['b'], retry: { maxRetries: 0 } },
            llm: { providers: ['a', 'b'], ...bounds, retry: { maxRetries: 0 } },
          },
          defaults: { breaker: { minimumCalls: 1, failureThresholdPercent: 50, cooldownMs: 50 } },
        },
        factories: [
          member('a', () => Promise.reject(down())),
          member('b', () => {
            // b's first call rejects; later ones (its half-open trial) throw.
            if (trials++ > 0) throw down();
            return Promise.reject(down());
          }),
        ],
        env: false,
      });
      open.push(pb);
      const states: string[] = [];
      pb.on('breaker', (event) => states.push(`${event.provider}:${event.state}`));
      const solo = pb.route('solo') as unknown as { generate(request: unknown): Promise<unknown> };
      await solo.generate(request).catch(() => {});
      await clock.advance(30);
      await pb.llm.generate(request).catch(() => {});
      await clock.advance(25);
      // a is still open, so the call reaches b through the failover loop, as b's half-open trial.
      expect(states).toEqual(['b:open', 'a:open', 'b:half-open']);
      await pb.llm.generate(request).catch(() => {});
      expect(trials).toBe(2);
      expect(states.at(-1)).toBe('b:open');
    },
  );

  it('serves a member that answers with a value instead of a promise (plain JavaScript), metering it', async () => {
    const pb = twoMembers(() => answer('first'));
    const result = await pb.llm.generate(request);
    expect(result.provider).toBe('first');
    expect(pb.usage.rows().find((row) => row.unit === 'input_tokens')).toMatchObject({
      provider: 'first',
      quantity: 2,
    });
  });

  it('a fallback member that answers with a value instead of a promise serves the call too', async () => {
    const pb = twoMembers(
      async () => {
        throw new PatchbayError({ code: 'unavailable', message: 'down' });
      },
      () => answer('second'),
    );
    const result = await pb.llm.generate(request);
    expect(result.provider).toBe('second');
    expect(pb.usage.rows().find((row) => row.provider === 'second' && row.unit === 'input_tokens')).toMatchObject({
      quantity: 2,
    });
  });

  it('an attempt listener subscribed after calls began gets the next attempt, and none once it stops', async () => {
    const pb = twoMembers(async () => answer('first'));
    await pb.llm.generate(request);
    const seen: string[] = [];
    const stop = pb.on('attempt', (event) => seen.push(event.provider));
    await pb.llm.generate(request);
    stop();
    await pb.llm.generate(request);
    expect(seen).toEqual(['first']);
    expect(pb.usage.rows().find((row) => row.unit === 'input_tokens')).toMatchObject({ records: 3, quantity: 6 });
  });
});
