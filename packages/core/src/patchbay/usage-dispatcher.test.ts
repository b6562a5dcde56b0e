import { createFakeClock, mockFactories } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { createPatchbay } from '../patchbay.js';
import type { UsageRecord } from '../spec/usage.js';
import { ErrorChannel, type PatchbayErrorEvent } from './error-channel.js';
import { UsageDispatcher } from './usage-dispatcher.js';

const record = (quantity: number) => ({ quantity }) as unknown as UsageRecord;

function channel() {
  const reports: PatchbayErrorEvent[] = [];
  return { reports, errors: new ErrorChannel((event) => reports.push(event)) };
}

describe('UsageDispatcher', () => {
  it('calls a synchronous sink at once and reports what it throws', () => {
    const { reports, errors } = channel();
    const seen: number[] = [];
    const dispatcher = new UsageDispatcher(
      [
        (item) => {
          throw new Error(`sink failed on ${item.quantity}`);
        },
        { record: (item) => seen.push(item.quantity) },
      ],
      errors,
    );
    expect(() => dispatcher.record(record(1))).not.toThrow();
    expect(seen).toEqual([1]);
    expect(reports).toMatchObject([{ source: 'usage-sink', sink: 0 }]);
  });

  it('delivers to an async sink one record at a time, in order, and flush waits for all', async () => {
    const { errors } = channel();
    const delivered: number[] = [];
    let active = 0;
    let most = 0;
    const dispatcher = new UsageDispatcher(
      [
        async (item) => {
          active++;
          most = Math.max(most, active);
          await new Promise((resolve) => setImmediate(resolve));
          delivered.push(item.quantity);
          active--;
        },
      ],
      errors,
    );
    for (let index = 0; index < 50; index++) dispatcher.record(record(index));
    expect(dispatcher.pending).toBe(50);
    await dispatcher.drained();
    expect(delivered).toEqual(Array.from({ length: 50 }, (_, index) => index));
    expect(most).toBe(1);
    expect(dispatcher.pending).toBe(0);
  });

  it('runs an async sink inside record() up to its first await, and does not wait for its promise', () => {
    const { errors } = channel();
    const steps: string[] = [];
    const dispatcher = new UsageDispatcher(
      [
        async (item) => {
          steps.push(`before ${item.quantity}`);
          await new Promise(() => {});
          steps.push('after');
        },
      ],
      errors,
    );
    dispatcher.record(record(1));
    expect(steps).toEqual(['before 1']);
    // One record at a time: the next one waits for the pending promise, it is not started.
    dispatcher.record(record(2));
    expect(steps).toEqual(['before 1']);
    expect(dispatcher.pending).toBe(2);
  });

  it('reports a rejected promise without an unhandled rejection', async () => {
    const { reports, errors } = channel();
    const dispatcher = new UsageDispatcher([() => Promise.reject(new Error('database down'))], errors);
    dispatcher.record(record(1));
    dispatcher.record(record(2));
    await dispatcher.drained();
    expect(reports.map((report) => report.source)).toEqual(['usage-sink', 'usage-sink']);
  });

  it('bounds the queue of a stuck sink: overflow is dropped, counted and reported sparingly', () => {
    const { reports, errors } = channel();
    const dispatcher = new UsageDispatcher([() => new Promise(() => {})], errors, { capacity: 100 });
    for (let index = 0; index < 10_000; index++) dispatcher.record(record(index));
    // One in delivery, `capacity` waiting, the rest dropped.
    expect(dispatcher.pending).toBe(101);
    expect(dispatcher.dropped).toBe(10_000 - 101);
    const overflow = reports.filter((report) => report.source === 'usage-queue-overflow');
    expect(overflow.length).toBeGreaterThan(0);
    expect(overflow.length).toBeLessThanOrEqual(14);
    expect(overflow.at(-1)?.dropped).toBeLessThanOrEqual(dispatcher.dropped);
  });
});

describe('usageQueue defaults', () => {
  it('holds 10,000 records waiting per stuck sink by default: the 10,001st waiting one is dropped and counted', () => {
    const { reports, errors } = channel();
    const dispatcher = new UsageDispatcher([() => new Promise(() => {})], errors);
    // One record in delivery (the sink's promise never settles), then 10,000 waiting.
    for (let index = 0; index < 10_001; index++) dispatcher.record(record(index));
    expect(dispatcher.pending).toBe(10_001);
    expect(dispatcher.dropped).toBe(0);
    expect(reports).toEqual([]);
    for (let index = 0; index < 5; index++) dispatcher.record(record(index));
    expect(dispatcher.pending).toBe(10_001);
    expect(dispatcher.dropped).toBe(5);
    expect(reports[0]).toMatchObject({ source: 'usage-queue-overflow', sink: 0, dropped: 1 });
  });

  it('close() waits 5 s by default for a busy sink, then reports usage-drain-timeout, not before', async () => {
    const clock = createFakeClock();
    try {
      const reports: PatchbayErrorEvent[] = [];
      const pb = createPatchbay({
        factories: mockFactories,
        env: false,
        onError: (event) => reports.push(event),
        usageSinks: [() => new Promise(() => {})],
        config: { providers: { a: { kind: 'llm', vendor: 'mock' } } },
      });
      await pb.llm.generate({ messages: [{ role: 'user', content: 'hello' }] });
      let closed = false;
      const closing = pb.close().then(() => {
        closed = true;
      });
      await clock.advance(4_999);
      expect(closed).toBe(false);
      expect(reports.some((report) => report.source === 'usage-drain-timeout')).toBe(false);
      await clock.advance(1);
      await new Promise((resolve) => setImmediate(resolve));
      expect(closed).toBe(true);
      await closing;
      const timeouts = reports.filter((report) => report.source === 'usage-drain-timeout');
      expect(timeouts).toHaveLength(1);
      expect(timeouts[0]?.dropped).toBeGreaterThan(0);
      expect(clock.pendingTimers()).toBe(0);
    } finally {
      clock.uninstall();
    }
  });
});

describe('ErrorChannel', () => {
  it('survives a throwing handler without reporting it again (no loop)', () => {
    let calls = 0;
    const errors = new ErrorChannel(() => {
      calls++;
      throw new Error('handler failed');
    });
    const second: PatchbayErrorEvent[] = [];
    errors.on((event) => second.push(event));
    expect(() => errors.report({ source: 'listener', error: new Error('x') })).not.toThrow();
    expect(calls).toBe(1);
    expect(second).toHaveLength(1);
  });
});
