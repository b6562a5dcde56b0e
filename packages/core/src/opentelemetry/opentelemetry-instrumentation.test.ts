import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type Context,
  type ContextManager,
  context,
  type Meter,
  ROOT_CONTEXT,
  type Span,
  type SpanOptions,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { createFakeClock, type FakeClock, type MockLanguageModel, mockFactories } from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createPatchbay, type Patchbay } from '../patchbay.js';
import type { PatchbayConfigInput } from '../routing/routing-config.js';
import { instrumentOpenTelemetry } from './opentelemetry-instrumentation.js';

interface RecordedSpan {
  name: string;
  options: SpanOptions;
  /** The span id of the parent found in the context the span was started in. */
  parent: string | undefined;
  status?: { code: number; message?: string };
  ended: boolean;
}

interface Measurement {
  instrument: string;
  value: number;
  attributes: Record<string, unknown>;
}

/**
 * A recording tracer and meter: the OpenTelemetry API's interfaces, captured in arrays. Like an SDK tracer,
 * `startSpan` takes its parent from the context argument (the active context when none is given).
 */
function recorders() {
  const spans: RecordedSpan[] = [];
  const measurements: Measurement[] = [];
  const instruments: { name: string; type: 'counter' | 'histogram'; unit: string | undefined }[] = [];
  const tracer = {
    startSpan(name: string, options: SpanOptions = {}, parentContext: Context = context.active()) {
      const parent = trace.getSpan(parentContext)?.spanContext().spanId;
      const recorded: RecordedSpan = { name, options, parent, ended: false };
      spans.push(recorded);
      return {
        setStatus(status: { code: number; message?: string }) {
          recorded.status = status;
          return this;
        },
        end() {
          recorded.ended = true;
        },
      } as unknown as Span;
    },
  } as unknown as Tracer;
  const instrument =
    (type: 'counter' | 'histogram') =>
    (name: string, options: { unit?: string } = {}) => {
      instruments.push({ name, type, unit: options.unit });
      const record = (value: number, attributes: Record<string, unknown> = {}) =>
        measurements.push({ instrument: name, value, attributes });
      return { add: record, record };
    };
  const meter = { createCounter: instrument('counter'), createHistogram: instrument('histogram') } as unknown as Meter;
  return { spans, measurements, instruments, tracer, meter };
}

/** What `@opentelemetry/context-async-hooks` does, on `AsyncLocalStorage`: the active context follows async calls. */
class AsyncLocalContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    active: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#storage.run(active, () => fn.apply(thisArg, args));
  }
  bind<T>(active: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const manager = this;
    return function (this: unknown, ...args: unknown[]) {
      return manager.with(active, () => (target as (...rest: unknown[]) => unknown).apply(this, args));
    } as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}

/** A context whose active span is a (remote, non-recording) span with this id. */
function withParent(spanId: string): Context {
  return trace.setSpan(
    ROOT_CONTEXT,
    trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId, traceFlags: 1 }),
  );
}

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };

let clock: FakeClock | undefined;
let open: Patchbay[] = [];

function patchbay(config: PatchbayConfigInput): Patchbay {
  const created = createPatchbay({ factories: mockFactories, env: false, config });
  open.push(created);
  return created;
}

afterEach(async () => {
  for (const created of open) await created.close();
  open = [];
  clock?.uninstall();
  clock = undefined;
  context.disable();
});

describe('instrumentOpenTelemetry', () => {
  it('records a span per attempt and metrics for attempts, failovers and usage', async () => {
    const patchbay = createPatchbay({
      factories: mockFactories,
      env: false,
      config: {
        providers: {
          a: { kind: 'llm', vendor: 'mock', settings: { script: { error: 'unavailable' } } },
          b: {
            kind: 'llm',
            vendor: 'mock',
            settings: { script: { usage: { inputTokens: 9, outputTokens: 4, cachedInputTokens: 0 } } },
          },
        },
        routes: { llm: { providers: ['a', 'b'], retry: { maxRetries: 0 } } },
        pricing: [{ provider: 'b', unit: 'input_tokens', price: 1 }],
      },
    });
    const { spans, measurements, tracer, meter } = recorders();
    const stop = instrumentOpenTelemetry(patchbay, { tracer, meter });
    await patchbay.tenant('acme').llm.generate({ messages: [{ role: 'user', content: 'hi' }] });
    stop();
    await patchbay.llm.generate({ messages: [{ role: 'user', content: 'hi' }] });
    patchbay.close();

    expect(
      spans.map((span) => [span.name, span.options.attributes?.['patchbay.provider'], span.status?.message]),
    ).toEqual([
      ['patchbay llm llm', 'a', 'unavailable'],
      ['patchbay llm llm', 'b', undefined],
    ]);
    expect(spans.every((span) => span.ended)).toBe(true);
    expect(spans[0]?.options.attributes?.['patchbay.tenant']).toBe('acme');
    const failovers = measurements.filter((m) => m.instrument === 'patchbay.failovers');
    expect(failovers).toEqual([
      {
        instrument: 'patchbay.failovers',
        value: 1,
        attributes: expect.objectContaining({ 'error.type': 'unavailable' }),
      },
    ]);
    const inputTokens = measurements.find(
      (m) => m.instrument === 'patchbay.usage' && m.attributes['patchbay.unit'] === 'input_tokens',
    );
    expect(inputTokens?.value).toBe(9);
    expect(measurements.find((m) => m.instrument === 'patchbay.cost')?.value).toBe(9);
  });
});

describe('instrumentOpenTelemetry: context and metrics', () => {
  it('starts each attempt span as a child of the span active around the call, concurrent calls apart', async () => {
    expect(context.setGlobalContextManager(new AsyncLocalContextManager())).toBe(true);
    const pb = patchbay({
      providers: {
        a: { kind: 'llm', vendor: 'mock', settings: { script: { error: 'unavailable', delayMs: 5 } } },
        b: { kind: 'llm', vendor: 'mock', settings: { script: { text: 'b', delayMs: 5 } } },
      },
      routes: { llm: { providers: ['a', 'b'], retry: { maxRetries: 0 } } },
      defaults: { breaker: { enabled: false } },
    });
    const { spans, tracer, meter } = recorders();
    const stop = instrumentOpenTelemetry(pb, { tracer, meter });
    const callUnder = (spanId: string) =>
      context.with(withParent(spanId), () => pb.llm.generate(request, { correlationId: spanId }));
    // Two calls in flight at once, each under its own span, plus one with no span around it.
    await Promise.all([callUnder('00000000000000a1'), callUnder('00000000000000b2'), pb.llm.generate(request)]);
    stop();
    expect(spans).toHaveLength(6);
    const parents = spans.map((span) => [
      span.options.attributes?.['patchbay.correlation_id'] ?? null,
      span.options.attributes?.['patchbay.provider'],
      span.parent ?? null,
    ]);
    expect(parents).toEqual(
      expect.arrayContaining([
        ['00000000000000a1', 'a', '00000000000000a1'],
        ['00000000000000a1', 'b', '00000000000000a1'],
        ['00000000000000b2', 'a', '00000000000000b2'],
        ['00000000000000b2', 'b', '00000000000000b2'],
        [null, 'a', null],
        [null, 'b', null],
      ]),
    );
  });

  it('counts retries of the same provider and records each attempt’s duration in the histogram', async () => {
    clock = createFakeClock({ now: 0, fakePerformance: true });
    const pb = patchbay({
      providers: {
        a: {
          kind: 'llm',
          vendor: 'mock',
          settings: {
            script: [
              { error: 'unavailable', delayMs: 120 },
              { text: 'ok', delayMs: 250 },
            ],
          },
        },
      },
      routes: { llm: { providers: ['a'], retry: { maxRetries: 1, initialDelayMs: 100, jitter: false } } },
    });
    const { measurements, instruments, tracer, meter } = recorders();
    instrumentOpenTelemetry(pb, { tracer, meter });
    const pending = pb.llm.generate(request);
    await clock.advance(120 + 100 + 250);
    expect((await pending).text).toBe('ok');
    expect(measurements.filter((m) => m.instrument === 'patchbay.retries')).toEqual([
      {
        instrument: 'patchbay.retries',
        value: 1,
        attributes: { 'patchbay.route': 'llm', 'patchbay.provider': 'a', 'error.type': 'unavailable' },
      },
    ]);
    expect(instruments).toContainEqual({ name: 'patchbay.retries', type: 'counter', unit: '{retry}' });
    // One duration per attempt, in milliseconds, with the attempt's outcome.
    expect(instruments).toContainEqual({ name: 'patchbay.attempt.duration', type: 'histogram', unit: 'ms' });
    expect(
      measurements
        .filter((m) => m.instrument === 'patchbay.attempt.duration')
        .map((m) => [m.value, m.attributes['patchbay.provider'], m.attributes['patchbay.outcome']]),
    ).toEqual([
      [120, 'a', 'error'],
      [250, 'a', 'success'],
    ]);
    expect(measurements.filter((m) => m.instrument === 'patchbay.attempts').map((m) => m.value)).toEqual([1, 1]);
  });

  it('counts breaker transitions by state; a skipped attempt is counted but has no duration and no span', async () => {
    clock = createFakeClock({ now: 0 });
    const pb = patchbay({
      providers: { a: { kind: 'llm', vendor: 'mock', settings: { script: { error: 'unavailable' } } } },
      routes: { llm: { providers: ['a'], retry: { maxRetries: 0 } } },
      defaults: { breaker: { minimumCalls: 1, failureThresholdPercent: 1, cooldownMs: 1_000 } },
    });
    const { spans, measurements, instruments, tracer, meter } = recorders();
    instrumentOpenTelemetry(pb, { tracer, meter });
    const transitions = () =>
      measurements
        .filter((m) => m.instrument === 'patchbay.breaker.transitions')
        .map((m) => [m.value, m.attributes['patchbay.provider'], m.attributes['patchbay.breaker.state']]);
    await expect(pb.llm.generate(request)).rejects.toMatchObject({ code: 'unavailable' });
    expect(transitions()).toEqual([[1, 'a', 'open']]);
    // Open: the call is refused without calling a.
    await expect(pb.llm.generate(request)).rejects.toThrow();
    const attempts = measurements.filter((m) => m.instrument === 'patchbay.attempts');
    expect(attempts.map((m) => m.attributes['patchbay.outcome'])).toEqual(['error', 'skipped']);
    expect(measurements.filter((m) => m.instrument === 'patchbay.attempt.duration')).toHaveLength(1);
    expect(spans).toHaveLength(1);
    await clock.advance(1_000);
    expect(transitions()).toEqual([
      [1, 'a', 'open'],
      [1, 'a', 'half-open'],
    ]);
    (pb.provider('a') as MockLanguageModel).setScript({ text: 'recovered' });
    expect((await pb.llm.generate(request)).text).toBe('recovered');
    expect(transitions()).toEqual([
      [1, 'a', 'open'],
      [1, 'a', 'half-open'],
      [1, 'a', 'closed'],
    ]);
    expect(instruments).toContainEqual({
      name: 'patchbay.breaker.transitions',
      type: 'counter',
      unit: '{transition}',
    });
  });
});
