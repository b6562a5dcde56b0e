// Bad options are refused at construction with the typed error the rest of Patchbay uses (`invalid_request`, the
// option named in `details.field`), before anything connects: no Redis server is needed.
import { PatchbayError } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { RedisDualChannelState, RedisIdempotencyStore } from './messaging/index.js';
import { RedisConnection, type RedisConnectionOptions } from './redis-connection.js';
import { RedisLimitStore } from './redis-limit-store.js';
import { createRedisSharedState } from './redis-shared-state.js';

// Never contacted: construction fails first.
const url = 'redis://:s3cret-pass@127.0.0.1:1';

function refusal(build: () => unknown): PatchbayError {
  try {
    build();
  } catch (error) {
    expect(PatchbayError.isInstance(error)).toBe(true);
    return error as PatchbayError;
  }
  throw new Error('the options were accepted');
}

describe('@patchbay/redis refuses bad options by name', () => {
  it.each<[string, Partial<RedisConnectionOptions>]>([
    ['url', { url: undefined }],
    ['url', { url: 42 as unknown as string }],
    ['prefix', { prefix: '' }],
    ['instanceId', { instanceId: 7 as unknown as string }],
    ['commandTimeoutMs', { commandTimeoutMs: Number.NaN }],
    ['commandTimeoutMs', { commandTimeoutMs: 0 }],
    ['commandTimeoutMs', { commandTimeoutMs: 2 ** 31 }],
    ['probeIntervalMs', { probeIntervalMs: -1 }],
    ['probeIntervalMs', { probeIntervalMs: Number.POSITIVE_INFINITY }],
  ])('%s: %o', (field, options) => {
    const error = refusal(() => createRedisSharedState({ url, ...options }));
    expect(error.code).toBe('invalid_request');
    expect(error.details).toMatchObject({ field });
    expect(error.message).toContain(field);
    expect(error.message).not.toContain('s3cret-pass');
  });

  it.each<[string, Record<string, unknown>]>([
    ['limits.maxKeys', { maxKeys: 0 }],
    ['limits.maxKeys', { maxKeys: 1.5 }],
    ['limits.maxKeys', { maxKeys: Number.NaN }],
    ['limits.localLeases.blockFraction', { localLeases: { blockFraction: 1 } }],
    ['limits.localLeases.blockFraction', { localLeases: { blockFraction: Number.NaN } }],
    ['limits.localLeases.blockFraction', { localLeases: { blockFraction: '0.1' } }],
  ])('%s: %o', (field, limits) => {
    const error = refusal(() => createRedisSharedState({ url, limits }));
    expect(error.code).toBe('invalid_request');
    expect(error.details).toMatchObject({ field });
    // The limit store takes the same options when built on its own.
    expect(refusal(() => new RedisLimitStore(new RedisConnection({ url }), limits)).details).toMatchObject({ field });
  });

  it.each<[string, () => unknown]>([
    ['maxLocalKeys', () => new RedisIdempotencyStore(new RedisConnection({ url }), { maxLocalKeys: 0 })],
    ['maxLocalKeys', () => new RedisIdempotencyStore(new RedisConnection({ url }), { maxLocalKeys: Number.NaN })],
    ['maxLocalMessages', () => new RedisDualChannelState(new RedisConnection({ url }), { maxLocalMessages: 0 })],
    ['ttlMs', () => new RedisDualChannelState(new RedisConnection({ url }), { ttlMs: Number.NaN })],
    ['ttlMs', () => new RedisDualChannelState(new RedisConnection({ url }), { ttlMs: 0 })],
  ])('messaging stores: %s', (field, build) => {
    const error = refusal(build);
    expect(error.code).toBe('invalid_request');
    expect(error.details).toMatchObject({ field });
  });

  it('the defaults and good values are taken', () => {
    const connection = new RedisConnection({ url, prefix: 'app:', instanceId: 'a', commandTimeoutMs: 100 });
    expect(connection.prefix).toBe('app:');
    expect(connection.instanceId).toBe('a');
    expect(new RedisConnection({ url }).prefix).toBe('patchbay:');
    expect(() => new RedisLimitStore(connection, { maxKeys: 5, localLeases: { blockFraction: 0 } })).not.toThrow();
    expect(() => new RedisIdempotencyStore(connection, { maxLocalKeys: 1 })).not.toThrow();
    expect(() => new RedisDualChannelState(connection, { maxLocalMessages: 1, ttlMs: 1_000 })).not.toThrow();
  });
});
