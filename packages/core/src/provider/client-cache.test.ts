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

  it('alternating parts each keep their own client (the last-key memo never mixes them up)', async () => {
    const cache = new ClientCache<string>();
    const a = await cache.get(['https://a', 'key-a'], () => 'a');
    const b = await cache.get(['https://b', 'key-b'], () => 'b');
    expect(await cache.get(['https://a', 'key-a'], () => 'new')).toBe(a);
    expect(await cache.get(['https://b', 'key-b'], () => 'new')).toBe(b);
  });

  it('getFor answers from the same snapshot and credentials without building parts, and follows a change', async () => {
    const cache = new ClientCache<string>();
    const settings = { baseURL: 'https://a' };
    const credentials = { apiKey: 'key-1' };
    let built = 0;
    const parts = (key: string) => () => {
      built++;
      return [settings.baseURL, key];
    };
    const first = await cache.getFor(settings, credentials, parts('key-1'), () => 'one');
    expect(await cache.getFor(settings, credentials, parts('key-1'), () => 'other')).toBe(first);
    expect(built).toBe(1);
    const rotated = { apiKey: 'key-2' };
    expect(await cache.getFor(settings, rotated, parts('key-2'), () => 'two')).toBe('two');
    // A failed creation is forgotten by the memo too: the next call tries again.
    const broken = { apiKey: 'key-3' };
    await expect(
      cache.getFor(settings, broken, parts('key-3'), () => Promise.reject(new Error('no sdk'))),
    ).rejects.toThrow();
    await Promise.resolve();
    expect(await cache.getFor(settings, broken, parts('key-3'), () => 'three')).toBe('three');
  });

  it('readyFor gives the created client for the same objects only, once it exists, and never a failed one', async () => {
    const cache = new ClientCache<string>();
    const settings = { baseURL: 'https://a' };
    const credentials = { apiKey: 'key-1' };
    expect(cache.readyFor(settings, credentials)).toBeUndefined();
    const pending = cache.getFor(
      settings,
      credentials,
      () => ['a', 'key-1'],
      () => 'one',
    );
    // Not yet created: the caller must await getFor.
    expect(cache.readyFor(settings, credentials)).toBeUndefined();
    expect(await pending).toBe('one');
    expect(cache.readyFor(settings, credentials)).toBe('one');
    // Other objects, even with equal contents, are not the memo's.
    expect(cache.readyFor({ ...settings }, credentials)).toBeUndefined();
    expect(cache.readyFor(settings, { apiKey: 'key-1' })).toBeUndefined();
    const broken = { apiKey: 'key-2' };
    await expect(
      cache.getFor(
        settings,
        broken,
        () => ['a', 'key-2'],
        () => Promise.reject(new Error('no sdk')),
      ),
    ).rejects.toThrow();
    await Promise.resolve();
    expect(cache.readyFor(settings, broken)).toBeUndefined();
    cache.clear();
    expect(cache.readyFor(settings, credentials)).toBeUndefined();
  });
});
