import { createFakeClock, type FakeClock } from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AttemptGuard, TimeoutQueue } from './signals.js';

let clock: FakeClock;
afterEach(() => clock.uninstall());

/** A guard whose timeout is recorded with the fake time it fired at. */
function timed(queue: TimeoutQueue, ms: number, fired: [string, number][], name: string): AttemptGuard {
  const guard = new AttemptGuard(undefined, ms, queue, name, ms, false);
  guard.signal.addEventListener('abort', () => fired.push([name, clock.now() - start]));
  return guard;
}

let start = 0;

describe('TimeoutQueue', () => {
  it('fires every attempt at its own time, in expiry order, whatever order they were added in', async () => {
    clock = createFakeClock();
    start = clock.now();
    const queue = new TimeoutQueue();
    const fired: [string, number][] = [];
    timed(queue, 300, fired, 'c');
    timed(queue, 100, fired, 'a');
    timed(queue, 200, fired, 'b');
    expect(clock.pendingTimers()).toBe(1);
    await clock.advance(99);
    expect(fired).toEqual([]);
    await clock.advance(1);
    expect(fired).toEqual([['a', 100]]);
    await clock.advance(200);
    expect(fired).toEqual([
      ['a', 100],
      ['b', 200],
      ['c', 300],
    ]);
    expect(queue.size).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('never fires a disposed attempt, re-arms for the next one, and leaves no timer once the last one leaves', async () => {
    clock = createFakeClock();
    start = clock.now();
    const queue = new TimeoutQueue();
    const fired: [string, number][] = [];
    const first = timed(queue, 100, fired, 'first');
    await clock.advance(50);
    const second = timed(queue, 100, fired, 'second');
    const third = timed(queue, 500, fired, 'third');
    first.dispose();
    // The timer armed for the first one finds nothing due at 100 and re-arms for the second at 150.
    await clock.advance(99);
    expect(fired).toEqual([]);
    await clock.advance(1);
    expect(fired).toEqual([['second', 150]]);
    expect(second.aborted).toBe(true);
    expect((second.reason as DOMException).name).toBe('TimeoutError');
    expect((second.reason as DOMException).message).toBe('Attempt on provider "second" exceeded 100 ms');
    third.dispose();
    expect(queue.size).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
    await clock.advance(1_000);
    expect(fired).toEqual([['second', 150]]);
  });

  it('keeps its heap consistent through many interleaved adds and removals', async () => {
    clock = createFakeClock();
    start = clock.now();
    const queue = new TimeoutQueue();
    const fired: [string, number][] = [];
    const guards: AttemptGuard[] = [];
    // Timeouts 1..200 ms in a scrambled order; every third one is disposed before it is due.
    for (let index = 0; index < 200; index++) {
      const ms = ((index * 73) % 200) + 1;
      guards.push(timed(queue, ms, fired, String(ms)));
    }
    for (let index = 0; index < guards.length; index += 3) (guards[index] as AttemptGuard).dispose();
    await clock.advance(200);
    const expected = guards
      .filter((_, index) => index % 3 !== 0)
      .map((guard) => Number((guard.reason as DOMException).message.match(/(\d+) ms/)?.[1]))
      .sort((a, b) => a - b);
    expect(fired.map(([, at]) => at)).toEqual(expected);
    expect(fired.every(([name, at]) => Number(name) === at)).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
  });
});
