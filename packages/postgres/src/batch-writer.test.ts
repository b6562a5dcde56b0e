import { createFakeClock, type FakeClock } from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchWriter } from './batch-writer.js';

let clock: FakeClock | undefined;
afterEach(() => {
  clock?.uninstall();
  clock = undefined;
});

function recorder(options: { fail?: () => boolean; hang?: Promise<void> } = {}) {
  const batches: number[][] = [];
  return {
    batches,
    written: () => batches.flat(),
    write: async (items: readonly number[]) => {
      if (options.hang) await options.hang;
      if (options.fail?.()) throw new Error('database unavailable');
      batches.push([...items]);
    },
  };
}

describe('BatchWriter', () => {
  it('writes in batches of batchSize, in order, on flush()', async () => {
    const sink = recorder();
    const writer = new BatchWriter(sink.write, { batchSize: 3, flushIntervalMs: 0 });
    for (let index = 0; index < 7; index++) writer.enqueue(index);
    await writer.flush();
    expect(sink.batches).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(writer.stats).toEqual({ queued: 0, written: 7, dropped: 0, failedWrites: 0, rejected: 0 });
    await writer.close();
  });

  it('flushes on its interval without being asked (fake clock)', async () => {
    clock = createFakeClock({ now: 0 });
    const sink = recorder();
    const writer = new BatchWriter(sink.write, { flushIntervalMs: 1_000 });
    writer.enqueue(1);
    writer.enqueue(2);
    await clock.advance(999);
    expect(sink.written()).toEqual([]);
    await clock.advance(1);
    await writer.flush();
    expect(sink.batches).toEqual([[1, 2]]);
    await writer.close();
  });

  it('never waits or throws on enqueue while the database hangs; overflow is counted and reported', async () => {
    let release = () => {};
    const hang = new Promise<void>((resolve) => {
      release = resolve;
    });
    const reported: unknown[] = [];
    const sink = recorder({ hang });
    const writer = new BatchWriter(sink.write, {
      maxQueue: 100,
      batchSize: 10,
      flushIntervalMs: 0,
      onError: (error) => {
        reported.push(error);
        throw new Error('a listener that throws is ignored');
      },
    });
    const answers: boolean[] = [];
    for (let index = 0; index < 150; index++) answers.push(writer.enqueue(index));
    expect(answers.filter(Boolean).length).toBe(100);
    expect(writer.stats.dropped).toBe(50);
    expect(String(reported[0])).toContain('write queue full');
    release();
    await writer.close();
    expect(sink.written()).toEqual(Array.from({ length: 100 }, (_, index) => index));
  });

  it('keeps a failed batch queued and writes it on the next flush, in order', async () => {
    let failing = true;
    const errors: unknown[] = [];
    const sink = recorder({ fail: () => failing });
    const writer = new BatchWriter(sink.write, { batchSize: 2, flushIntervalMs: 0, onError: (e) => errors.push(e) });
    writer.enqueue(1);
    await expect(writer.flush()).rejects.toThrow('database unavailable');
    expect(writer.stats).toMatchObject({ queued: 1, written: 0, failedWrites: 1 });
    expect(errors).toHaveLength(1);
    failing = false;
    writer.enqueue(2);
    writer.enqueue(3);
    await writer.flush();
    expect(sink.batches).toEqual([[1, 2], [3]]);
    expect(writer.stats).toMatchObject({ queued: 0, written: 3, failedWrites: 1 });
  });

  it('drops only the items the database refuses for their content, and keeps the rest in order', async () => {
    const batches: number[][] = [];
    const refused = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    const writer = new BatchWriter(
      async (items: readonly number[]) => {
        if (items.includes(3) || items.includes(6)) throw refused;
        batches.push([...items]);
      },
      { batchSize: 8, flushIntervalMs: 0 },
    );
    for (let index = 0; index < 8; index++) writer.enqueue(index);
    await writer.flush();
    expect(batches.flat()).toEqual([0, 1, 2, 4, 5, 7]);
    expect(writer.stats).toMatchObject({ queued: 0, written: 6, rejected: 2 });
  });

  it('after a failed write, full batches wait for the interval instead of retrying on every call (fake clock)', async () => {
    clock = createFakeClock({ now: 0 });
    let attempts = 0;
    const writer = new BatchWriter(
      async () => {
        attempts++;
        throw new Error('connection refused');
      },
      { batchSize: 10, flushIntervalMs: 1_000 },
    );
    for (let index = 0; index < 1_000; index++) {
      writer.enqueue(index);
      await Promise.resolve();
    }
    expect(attempts).toBe(1);
    await clock.advance(1_000);
    expect(attempts).toBe(2);
    expect(writer.stats.queued).toBe(1_000);
  });

  it('close() writes everything acknowledged, retrying through a short outage, then refuses new items', async () => {
    let failures = 2;
    const sink = recorder({ fail: () => failures-- > 0 });
    const writer = new BatchWriter(sink.write, { flushIntervalMs: 0 });
    for (let index = 0; index < 5; index++) writer.enqueue(index);
    await writer.close({ retryDelayMs: 1 });
    expect(sink.written()).toEqual([0, 1, 2, 3, 4]);
    expect(writer.enqueue(99)).toBe(false);
    expect(writer.stats.dropped).toBe(1);
  });

  it('close() rejects, naming what is left, when the database stays down', async () => {
    const sink = recorder({ fail: () => true });
    const writer = new BatchWriter(sink.write, { flushIntervalMs: 0 });
    writer.enqueue(1);
    writer.enqueue(2);
    await expect(writer.close({ attempts: 2, retryDelayMs: 1 })).rejects.toThrow(
      '2 queued item(s) could not be written',
    );
  });
});
