import { describe, expect, it } from 'vitest';
import { InMemoryLimitStore, windowStartOf } from './in-memory-limit-store.js';

const minute = 60_000;

describe('InMemoryLimitStore', () => {
  it('reserves atomically up to the limit and refuses without adding past it', () => {
    const store = new InMemoryLimitStore();
    const now = 10 * minute + 5_000;
    expect(store.reserve('k', 3, 5, minute, now)).toEqual({
      granted: true,
      used: 3,
      limit: 5,
      windowStart: 10 * minute,
      resetAt: 11 * minute,
    });
    expect(store.reserve('k', 2, 5, minute, now).granted).toBe(true);
    expect(store.reserve('k', 1, 5, minute, now)).toMatchObject({ granted: false, used: 5 });
    expect(store.peek('k', minute, now)).toBe(5);
  });

  it('starts a new window at the epoch-aligned boundary and ignores corrections of a past window', () => {
    const store = new InMemoryLimitStore();
    const first = store.reserve('k', 5, 5, minute, 59_999);
    expect(store.reserve('k', 1, 5, minute, 59_999).granted).toBe(false);
    expect(store.reserve('k', 1, 5, minute, 60_000)).toMatchObject({ granted: true, used: 1, windowStart: minute });
    store.settle('k', -5, minute, first.windowStart);
    expect(store.peek('k', minute, 60_000)).toBe(1);
  });

  it('settles a reservation with the real usage, never below zero', () => {
    const store = new InMemoryLimitStore();
    const reservation = store.reserve('tokens', 100, 1_000, minute, 0);
    store.settle('tokens', 250, minute, reservation.windowStart);
    expect(store.peek('tokens', minute, 1)).toBe(350);
    store.settle('tokens', -10_000, minute, reservation.windowStart);
    expect(store.peek('tokens', minute, 1)).toBe(0);
  });

  it('keeps separate counters per key and per window length', () => {
    const store = new InMemoryLimitStore();
    store.reserve('a', 1, 10, minute, 0);
    store.reserve('a', 2, 10, 1_000, 0);
    store.reserve('b', 4, 10, minute, 0);
    expect([store.peek('a', minute, 0), store.peek('a', 1_000, 0), store.peek('b', minute, 0)]).toEqual([1, 2, 4]);
  });

  it('holds at most maxKeys counters under 150,000 distinct keys', () => {
    const store = new InMemoryLimitStore({ maxKeys: 50_000 });
    for (let index = 0; index < 150_000; index++) store.reserve(`tenant-${index}`, 1, 10, minute, 0);
    expect(store.size).toBe(50_000);
    // The most recent keys are kept, the oldest evicted (and restart at zero).
    expect(store.peek('tenant-149999', minute, 0)).toBe(1);
    expect(store.peek('tenant-0', minute, 0)).toBe(0);
  });

  it('bounds the default store too', () => {
    const store = new InMemoryLimitStore();
    for (let index = 0; index < 120_000; index++) store.reserve(String(index), 1, 1, 1_000, 0);
    expect(store.size).toBe(100_000);
  });

  it('aligns windows to the epoch', () => {
    expect(windowStartOf(125_000, minute)).toBe(120_000);
  });
});
