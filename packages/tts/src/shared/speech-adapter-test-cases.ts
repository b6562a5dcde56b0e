/**
 * Shared vitest cases for the three speech adapters (imported by their tests
 * only; not part of the package's entry points). Each runs the real vendor SDK
 * against its simulator and checks one failure mapping.
 */
import { inspect } from 'node:util';
import type { AudioFormat, PatchbayError, SpeechSynthesizer } from '@patchbay/core';
import {
  defineSpeechSynthesizerConformance,
  runConformance,
  type SpeechSynthesizerConformanceOptions,
} from '@patchbay/testing';
import { failureOf as failure } from '@patchbay/testing/conformance';
import type { VendorSimulator } from '@patchbay/testing/simulators/framework';
import { describe, expect, it } from 'vitest';

export interface SpeechAdapterCaseOptions {
  simulator: () => VendorSimulator;
  create: (options: { apiKey?: string; env?: Record<string, string | undefined> }) => SpeechSynthesizer;
  validApiKey: string;
  /** The path audio is requested on (faults are injected there). */
  speechPath: string | RegExp;
  /** A format the vendor cannot produce. */
  unsupportedFormat: AudioFormat;
}

/** Reads a stream to its end: how many chunks and bytes it carried. */
export async function drain(stream: AsyncIterable<Uint8Array>): Promise<{ chunks: number; bytes: number }> {
  let chunks = 0;
  let bytes = 0;
  for await (const chunk of stream) {
    chunks++;
    bytes += chunk.length;
  }
  return { chunks, bytes };
}

const text = 'Your appointment is confirmed for Tuesday at ten in the morning.';

export function defineSpeechAdapterFaultCases(options: SpeechAdapterCaseOptions): void {
  const adapter = () => options.create({ apiKey: options.validApiKey, env: {} });
  const inject = (fault: Parameters<VendorSimulator['inject']>[0]) =>
    options.simulator().inject(fault, { path: options.speechPath });

  const expectVendorError = (error: PatchbayError, code: string) => {
    expect(error.name).toBe('PatchbayError');
    expect(error.code).toBe(code);
    expect(error.provider).toBe('speech');
    expect(error.vendor).toBe(adapter().vendor);
  };

  it('maps a rejected key to auth, not retryable, without echoing the key', async () => {
    const error = await failure(options.create({ apiKey: 'wrong-key-123', env: {} }).synthesize({ text }));
    expectVendorError(error, 'auth');
    expect(error.retryable).toBe(false);
    expect(error.status).toBe(401);
    for (const view of [String(error), JSON.stringify(error), inspect(error, { depth: 8 })]) {
      expect(view).not.toContain('wrong-key-123');
    }
  });

  it('maps 403 to auth', async () => {
    inject({ type: 'status', status: 403 });
    const error = await failure(adapter().synthesize({ text }));
    expectVendorError(error, 'auth');
    expect(error.status).toBe(403);
  });

  it('maps 429 to rate_limited with the Retry-After delay', async () => {
    inject({ type: 'status', status: 429, retryAfterSeconds: 2 });
    const error = await failure(adapter().stream({ text }));
    expectVendorError(error, 'rate_limited');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(2000);
  });

  it.each([500, 503])('maps %i to unavailable, retryable', async (status) => {
    inject({ type: 'status', status });
    const error = await failure(adapter().synthesize({ text }));
    expectVendorError(error, 'unavailable');
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(status);
  });

  it('maps a dropped connection to connection, retryable', async () => {
    inject({ type: 'reset' });
    const error = await failure(adapter().synthesize({ text }));
    expectVendorError(error, 'connection');
    expect(error.retryable).toBe(true);
  });

  it('refuses a 200 that is not audio', async () => {
    inject({ type: 'malformed' });
    const error = await failure(adapter().stream({ text }));
    expectVendorError(error, 'unavailable');
    expect(error.vendorCode).toBe('unexpected_content_type');
  });

  it('stops a hung request promptly when the caller aborts', async () => {
    inject({ type: 'hang' });
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(adapter().synthesize({ text }, { signal: controller.signal }));
    expectVendorError(error, 'aborted');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('reports a hung request cut by a timeout signal as timeout', async () => {
    inject({ type: 'hang' });
    const error = await failure(adapter().stream({ text }, { signal: AbortSignal.timeout(50) }));
    expectVendorError(error, 'timeout');
  });

  it('turns audio that breaks off mid-stream into stream_cut, never a shorter clip', async () => {
    inject({ type: 'stream-cut', afterChunks: 2 });
    const result = await adapter().stream({ text });
    let received = 0;
    const error = await failure(
      (async () => {
        for await (const _chunk of result.stream) received++;
      })(),
    );
    expect(received).toBeGreaterThanOrEqual(1);
    expectVendorError(error, 'stream_cut');
    expect(error.retryable).toBe(true);
  });

  it('fails synthesize with stream_cut when the body breaks off', async () => {
    inject({ type: 'stream-cut', afterChunks: 1 });
    const error = await failure(adapter().synthesize({ text: text.repeat(4) }));
    expectVendorError(error, 'stream_cut');
  });

  it('ends a stream with aborted when the caller aborts mid-way', async () => {
    const controller = new AbortController();
    const result = await adapter().stream({ text: text.repeat(20) }, { signal: controller.signal });
    const error = await failure(
      (async () => {
        let chunks = 0;
        for await (const _chunk of result.stream) {
          if (++chunks === 1) controller.abort();
        }
      })(),
    );
    expectVendorError(error, 'aborted');
  });

  it('releases the vendor stream when the consumer stops early', async () => {
    const result = await adapter().stream({ text: text.repeat(20) });
    for await (const _chunk of result.stream) break;
    // A second call on the same adapter still works: nothing is left locked or half-read.
    const again = await adapter().stream({ text });
    expect((await drain(again.stream)).chunks).toBeGreaterThan(0);
  });

  it('rejects a format the vendor cannot produce as invalid_request naming format, before any request', async () => {
    const before = options.simulator().requests.length;
    const error = await failure(adapter().synthesize({ text, format: options.unsupportedFormat }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('format');
    expect(error.details?.field).toBe('format');
    expect(options.simulator().requests.length).toBe(before);
  });

  it('rejects empty text as invalid_request naming text', async () => {
    const error = await failure(adapter().synthesize({ text: '  ' }));
    expect(error.code).toBe('invalid_request');
    expect(error.details?.field).toBe('text');
  });

  it('reports not_configured without a key, and never throws at construction', async () => {
    const provider = options.create({ env: {} });
    const error = await failure(provider.synthesize({ text }));
    expect(error.code).toBe('not_configured');
    const health = await provider.test();
    expect(health.status).toBe('not_configured');
  });

  it('test(): connected with a valid key, auth error with a bad one', async () => {
    const connected = await adapter().test();
    expect(connected.status).toBe('connected');
    expect(connected.healthy).toBe(true);
    const rejected = await options.create({ apiKey: 'wrong-key-123', env: {} }).test();
    expect(rejected.status).toBe('error');
    expect(rejected.code).toBe('auth');
    expect(rejected.message).not.toContain('wrong-key-123');
  });

  it('keeps the key out of JSON, inspect and getConfig', async () => {
    const provider = adapter();
    await provider.synthesize({ text });
    for (const view of [
      JSON.stringify(provider),
      inspect(provider, { depth: 8 }),
      JSON.stringify(provider.getConfig()),
    ]) {
      expect(view).not.toContain(options.validApiKey);
    }
  });
}

/** An adapter's fault cases and the shared conformance suite (faults injected on the speech path), each in its own block. */
export function defineSpeechAdapterSuites(
  options: SpeechAdapterCaseOptions & {
    conformance: Pick<SpeechSynthesizerConformanceOptions, 'create' | 'invalidApiKey' | 'rotatedApiKey'>;
  },
): void {
  describe('faults', () => {
    defineSpeechAdapterFaultCases(options);
  });
  describe('conformance', () => {
    runConformance(
      defineSpeechSynthesizerConformance({
        ...options.conformance,
        simulator: options.simulator,
        validApiKey: options.validApiKey,
        faultPath: options.speechPath,
        streamFaultPath: options.speechPath,
      }),
      { it },
    );
  });
}
