import { describe, expect, it } from 'vitest';
import { ClientCache } from './client-cache.js';

describe('ClientCache', () => {
  it('creates one client per distinct parts and a new one when a part changes', async () => {
    const cache = new ClientCache<{ key: string }>();
    let created = 0;
    const make = (key: string) => () => ({ key: `${key}-${++created}` });
    const first = await cache.get(['https://a', 'key-1'], make('a'));
    expect(await cache.get(['https://a', 'key-1'], make('a'))).toBe(first);
    const rotated = await cache.get(['https://a', 'key-2'], make('a'));
    expect(rotated).not.toBe(first);
    expect(created).toBe(2);
  });

  it('is bounded, and forgets failed creations', async () => {
    const cache = new ClientCache<number>({ capacity: 2 });
    await cache.get(['1'], () => 1);
    await cache.get(['2'], () => 2);
    await cache.get(['3'], () => 3);
    expect(cache.size).toBe(2);
    await expect(cache.get(['x'], () => Promise.reject(new Error('no sdk')))).rejects.toThrow('no sdk');
    await Promise.resolve();
    expect(await cache.get(['x'], () => 9)).toBe(9);
  });
});
