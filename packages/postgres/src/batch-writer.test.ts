import { createFakeClock, type FakeClock } from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchWriter, backOffWithoutIntervalMs } from './batch-writer.js';

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

  it('with flushIntervalMs 0, the back-off after a failed write ends by itself and the waiting batches are written (fake clock)', async () => {
    clock = createFakeClock({ now: 0 });
    let down = true;
    const attempts: number[] = [];
    const sink = recorder({
      fail: () => {
        attempts.push(Date.now());
        return down;
      },
    });
    const writer = new BatchWriter(sink.write, { batchSize: 10, flushIntervalMs: 0 });
    const enqueue = async (count: number) => {
      for (let index = 0; index < count; index++) {
        writer.enqueue(writer.stats.queued + writer.stats.written);
        await Promise.resolve();
      }
    };
    await enqueue(30);
    // One attempt, then full batches wait: not one attempt per call.
    expect(attempts).toEqual([0]);
    expect(backOffWithoutIntervalMs).toBe(1_000);
    // Still down when the back-off ends: tried once more, then waits again.
    await clock.advance(1_000);
    expect(attempts).toEqual([0, 1_000]);
    down = false;
    await clock.advance(999);
    expect(attempts).toEqual([0, 1_000]);
    await clock.advance(1);
    await writer.flush();
    expect(sink.written()).toEqual(Array.from({ length: 30 }, (_, index) => index));
    // Back to normal: a full batch is written at once.
    await enqueue(10);
    await writer.flush();
    expect(sink.batches.at(-1)).toEqual([30, 31, 32, 33, 34, 35, 36, 37, 38, 39]);
    expect(writer.stats).toMatchObject({ queued: 0, written: 40, dropped: 0 });
    await writer.close();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('a refusal it worked around does not hold back the next full batch (flushIntervalMs 0)', async () => {
    const refused = Object.assign(new Error('null value in column "tenant"'), { code: '23502' });
    const batches: number[][] = [];
    const writer = new BatchWriter(
      async (items: readonly number[]) => {
        if (items.includes(1)) throw refused;
        batches.push([...items]);
      },
      { batchSize: 2, flushIntervalMs: 0 },
    );
    writer.enqueue(0);
    writer.enqueue(1);
    await writer.flush();
    writer.enqueue(2);
    writer.enqueue(3);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[0], [2, 3]]);
    await writer.close();
  });

  it('defaults: batches of 500, a flush every 1000 ms, 50,000 items held (fake clock)', async () => {
    clock = createFakeClock({ now: 0 });
    const sink = recorder();
    const writer = new BatchWriter(sink.write);
    for (let index = 0; index < 499; index++) writer.enqueue(index);
    await clock.advance(0);
    expect(sink.batches).toEqual([]);
    writer.enqueue(499);
    await clock.advance(0);
    expect(sink.batches.map((batch) => batch.length)).toEqual([500]);

    writer.enqueue(500);
    await clock.advance(999);
    expect(sink.batches).toHaveLength(1);
    await clock.advance(1);
    expect(sink.batches.at(-1)).toEqual([500]);
    await writer.close();

    let release = () => {};
    const hanging = new BatchWriter(
      recorder({
        hang: new Promise<void>((resolve) => {
          release = resolve;
        }),
      }).write,
    );
    const accepted = Array.from({ length: 50_001 }, (_, index) => hanging.enqueue(index));
    expect(accepted.indexOf(false)).toBe(50_000);
    expect(hanging.stats).toMatchObject({ queued: 50_000, dropped: 1 });
    release();
    await hanging.close();
  });

  it('close() tries 5 times, 200 ms apart, by default (fake clock)', async () => {
    clock = createFakeClock({ now: 0 });
    const attempts: number[] = [];
    const writer = new BatchWriter(
      async () => {
        attempts.push(Date.now());
        throw new Error('connection refused');
      },
      { flushIntervalMs: 0 },
    );
    writer.enqueue(1);
    const closed = writer.close();
    const outcome = closed.then(
      () => 'closed',
      (error: unknown) => String(error),
    );
    await clock.advance(2_000);
    expect(attempts).toEqual([0, 200, 400, 600, 800]);
    expect(await outcome).toContain('1 queued item(s) could not be written');
  });

  it('reports the first dropped item and every 1,000th', async () => {
    const reported: string[] = [];
    const writer = new BatchWriter(recorder({ hang: new Promise<void>(() => {}) }).write, {
      maxQueue: 1,
      flushIntervalMs: 0,
      onError: (error) => reported.push(String(error)),
    });
    writer.enqueue(0);
    for (let index = 0; index < 2_500; index++) writer.enqueue(index);
    expect(writer.stats.dropped).toBe(2_500);
    expect(reported).toEqual([
      'Error: write queue full: 1 item(s) dropped',
      'Error: write queue full: 1000 item(s) dropped',
      'Error: write queue full: 2000 item(s) dropped',
    ]);
  });

  it('by default drops items refused with SQLSTATE class 22 or 23, and keeps items that failed otherwise', async () => {
    const failures: Record<number, string> = { 1: '23505', 2: '22P02', 3: '08006', 4: '42P01' };
    const written: number[] = [];
    const writer = new BatchWriter(
      async (items: readonly number[]) => {
        const failing = items.find((item) => failures[item] !== undefined);
        if (failing !== undefined) throw Object.assign(new Error('refused'), { code: failures[failing] });
        written.push(...items);
      },
      { batchSize: 1, flushIntervalMs: 0 },
    );
    for (const item of [0, 1, 2, 5, 3]) writer.enqueue(item);
    // 1 (unique violation) and 2 (invalid text) are dropped; 3 (connection failure) stays queued.
    await expect(writer.flush()).rejects.toThrow('refused');
    expect(written).toEqual([0, 5]);
    expect(writer.stats).toMatchObject({ rejected: 2, queued: 1 });
    delete failures[3];
    writer.enqueue(4);
    // 4 (undefined table) is class 42: not a refusal of the data, so it stays queued too.
    await expect(writer.flush()).rejects.toThrow('refused');
    expect(written).toEqual([0, 5, 3]);
    expect(writer.stats).toMatchObject({ rejected: 2, queued: 1 });
  });

  it('isRejection decides which failures drop the items at fault', async () => {
    const written: number[] = [];
    const write = async (items: readonly number[]) => {
      if (items.includes(1)) throw Object.assign(new Error('refused'), { code: 'XX001' });
      if (items.includes(7)) throw Object.assign(new Error('refused'), { code: '22021' });
      written.push(...items);
    };
    const custom = new BatchWriter(write, {
      batchSize: 4,
      flushIntervalMs: 0,
      isRejection: (error) => (error as { code?: string }).code?.startsWith('XX') ?? false,
    });
    for (const item of [0, 1, 2, 3]) custom.enqueue(item);
    await custom.flush();
    expect(written).toEqual([0, 2, 3]);
    expect(custom.stats).toMatchObject({ rejected: 1, queued: 0 });

    // A 22021 is no refusal under this rule: the item stays queued instead of being dropped.
    custom.enqueue(7);
    await expect(custom.flush()).rejects.toThrow('refused');
    expect(custom.stats).toMatchObject({ rejected: 1, queued: 1 });
  });
});
