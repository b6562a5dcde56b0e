import type { Meter, Span, SpanOptions, Tracer } from '@opentelemetry/api';
import { mockFactories } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { createPatchbay } from '../patchbay.js';
import { instrumentOpenTelemetry } from './opentelemetry-instrumentation.js';

interface RecordedSpan {
  name: string;
  options: SpanOptions;
  status?: { code: number; message?: string };
  ended: boolean;
}

/** A recording tracer and meter: the OpenTelemetry API's interfaces, captured in arrays. */
function recorders() {
  const spans: RecordedSpan[] = [];
  const measurements: { instrument: string; value: number; attributes: Record<string, unknown> }[] = [];
  const tracer = {
    startSpan(name: string, options: SpanOptions = {}) {
      const recorded: RecordedSpan = { name, options, ended: false };
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
  const instrument = (name: string) => ({
    add: (value: number, attributes: Record<string, unknown> = {}) =>
      measurements.push({ instrument: name, value, attributes }),
    record: (value: number, attributes: Record<string, unknown> = {}) =>
      measurements.push({ instrument: name, value, attributes }),
  });
  const meter = { createCounter: instrument, createHistogram: instrument } as unknown as Meter;
  return { spans, measurements, tracer, meter };
}

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
