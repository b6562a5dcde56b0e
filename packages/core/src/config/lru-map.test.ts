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
});
