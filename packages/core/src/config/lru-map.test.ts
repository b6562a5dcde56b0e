import { describe, expect, it } from 'vitest';
import { LruMap } from './lru-map.js';

describe('LruMap', () => {
  it('evicts the least recently used beyond its capacity', () => {
    const evicted: string[] = [];
    const map = new LruMap<string, number>(2, { onEvict: (key) => evicted.push(key) });
    map.set('a', 1).set('b', 2);
    map.get('a');
    map.set('c', 3);
    expect([...map.entries()]).toEqual([
      ['a', 1],
      ['c', 3],
    ]);
    expect(evicted).toEqual(['b']);
  });

  it('skips entries that may not be evicted, and never evicts the entry being set', () => {
    const map = new LruMap<string, number>(1, { canEvict: (key) => key !== 'pinned' });
    map.set('pinned', 0);
    map.set('a', 1);
    expect(map.has('pinned') && map.has('a')).toBe(true);
    map.set('b', 2);
    expect([...map.entries()].map(([key]) => key).sort()).toEqual(['b', 'pinned']);
  });

  it('holds vetoed entries only up to its hard capacity, then evicts the oldest regardless', () => {
    const evicted: string[] = [];
    const map = new LruMap<string, number>(2, {
      canEvict: (key) => !key.startsWith('pinned'),
      hardCapacity: 3,
      onEvict: (key) => evicted.push(key),
    });
    for (let index = 0; index < 3; index++) map.set(`pinned-${index}`, index);
    expect(map.size).toBe(3);
    expect(evicted).toEqual([]);
    map.set('pinned-3', 3);
    expect(map.size).toBe(3);
    expect(evicted).toEqual(['pinned-0']);
    for (let index = 4; index < 1_000; index++) map.set(`pinned-${index}`, index);
    expect(map.size).toBe(3);
    expect(evicted).toHaveLength(997);
    expect(map.has('pinned-999')).toBe(true);
  });

  it('refuses a hard capacity below its capacity', () => {
    expect(() => new LruMap(4, { hardCapacity: 3 })).toThrow(RangeError);
    expect(() => new LruMap(4, { hardCapacity: 4.5 })).toThrow(RangeError);
  });
});
