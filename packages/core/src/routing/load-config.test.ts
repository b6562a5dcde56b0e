import { mockFactories } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { PatchbayError } from '../errors/patchbay-error.js';
import { createPatchbay } from '../patchbay.js';
import { loadConfig } from './load-config.js';
import type { PatchbayConfigInput } from './routing-config.js';

function rejection(config: unknown): PatchbayError {
  try {
    const pb = createPatchbay({ config: config as PatchbayConfigInput, factories: mockFactories, env: false });
    void pb.close();
  } catch (error) {
    expect(PatchbayError.isInstance(error)).toBe(true);
    expect((error as PatchbayError).code).toBe('invalid_request');
    return error as PatchbayError;
  }
  throw new Error('expected the configuration to be rejected');
}

const llm = { kind: 'llm', vendor: 'mock' } as const;

describe('unknown keys are errors naming the path, with a suggestion when one is close', () => {
  it.each([
    [
      { providers: { a: llm }, routes: { llm: { providers: ['a'], stratgy: 'weighted' } } },
      'routes.llm.stratgy',
      'strategy',
    ],
    [{ providers: { a: { ...llm, setings: { model: 'x' } } } }, 'providers.a.setings', 'settings'],
    [
      { providers: { a: llm }, routes: { llm: { providers: ['a'], retries: { maxRetries: 1 } } } },
      'routes.llm.retries',
      'retry',
    ],
    [
      { providers: { a: llm }, tenants: { acme: { enviromentCredentials: false } } },
      'tenants.acme.enviromentCredentials',
      'environmentCredentials',
    ],
    [{ providers: { a: llm }, defaults: { breaker: { cooldown: 5 } } }, 'defaults.breaker.cooldown', 'cooldownMs'],
    [
      { providers: { a: llm }, routes: { llm: { providers: [{ provider: 'a', wieght: 2 }] } } },
      'routes.llm.providers.0.wieght',
      'weight',
    ],
  ])('%#: %s', (config, path, suggestion) => {
    const error = rejection(config);
    expect(error.message).toContain(path);
    expect(error.message).toContain(`did you mean "${suggestion}"`);
    expect(error.details?.issues).toContainEqual(expect.objectContaining({ path }));
  });

  it('rejects a tenant override `apikey` that would let the call go out with the platform key', () => {
    const error = rejection({
      providers: { a: { ...llm, settings: { requireApiKey: true } } },
      tenants: { acme: { providers: { a: { settings: { apikey: 'acme-key' } } } } },
    });
    expect(error.message).toContain('tenants.acme.providers.a.settings.apikey');
    expect(error.message).toContain('did you mean "apiKey"');
    // …and at the tenant-override level itself.
    const flat = rejection({ providers: { a: llm }, tenants: { acme: { providers: { a: { apiKey: 'k' } } } } });
    expect(flat.message).toContain('tenants.acme.providers.a.apiKey');
  });

  it('gives no suggestion for a key nothing resembles', () => {
    const error = rejection({ providers: { a: llm }, routes: { llm: { providers: ['a'], zzzzzzzz: 1 } } });
    expect(error.message).toContain('unknown key "zzzzzzzz"');
    expect(error.message).not.toContain('did you mean');
  });
});

describe('every duration and count is bounded', () => {
  it.each([
    ['routes.llm.attemptTimeoutMs', { routes: { llm: { providers: ['a'], attemptTimeoutMs: 3e9 } } }],
    ['routes.llm.deadlineMs', { routes: { llm: { providers: ['a'], deadlineMs: 2 ** 31 } } }],
    ['defaults.attemptTimeoutMs', { defaults: { attemptTimeoutMs: 3e9 } }],
    ['defaults.breaker.cooldownMs', { defaults: { breaker: { cooldownMs: 3e9 } } }],
    ['defaults.breaker.windowMs', { defaults: { breaker: { windowMs: 3e9 } } }],
    ['defaults.retry.maxDelayMs', { defaults: { retry: { maxDelayMs: 3e9 } } }],
    ['defaults.retry.initialDelayMs', { defaults: { retry: { initialDelayMs: 3e9 } } }],
    ['defaults.retry.maxRetryAfterMs', { defaults: { retry: { maxRetryAfterMs: 3e9 } } }],
    ['defaults.breaker.minimumCalls', { defaults: { breaker: { minimumCalls: 1e9 } } }],
    ['health.timeoutMs', { health: { timeoutMs: 3e9 } }],
    ['routes.llm.providers.0.weight', { routes: { llm: { providers: [{ provider: 'a', weight: 1e9 }] } } }],
  ])('%s', (path, extra) => {
    expect(rejection({ providers: { a: llm }, ...extra }).message).toContain(path);
  });

  it.each([
    [
      'defaults.retry.maxRetries',
      { defaults: { retry: { maxRetries: 11 } } },
      { defaults: { retry: { maxRetries: 10 } } },
    ],
    [
      'defaults.breaker.minimumCalls',
      { defaults: { breaker: { minimumCalls: 1_000_001 } } },
      { defaults: { breaker: { minimumCalls: 1_000_000 } } },
    ],
    [
      'routes.llm.providers.0.weight',
      { routes: { llm: { providers: [{ provider: 'a', weight: 1_000_001 }] } } },
      { routes: { llm: { providers: [{ provider: 'a', weight: 1_000_000 }] } } },
    ],
  ])('%s: the documented bound is accepted, one more is refused', (path, over, at) => {
    expect(rejection({ providers: { a: llm }, ...over }).message).toContain(path);
    expect(() => loadConfig({ providers: { a: llm }, ...at }, mockFactories)).not.toThrow();
  });

  it('accepts the largest timer Node can hold', () => {
    expect(() =>
      loadConfig({ providers: { a: llm }, defaults: { attemptTimeoutMs: 2 ** 31 - 1 } }, mockFactories),
    ).not.toThrow();
  });
});

describe('names that collide with Object.prototype are just names', () => {
  it.each(['toString', 'constructor', 'hasOwnProperty', 'valueOf'])('route member %s', (name) => {
    const error = rejection({ providers: { a: llm }, routes: { llm: { providers: ['a', name] } } });
    expect(error.message).toContain('routes.llm.providers.1');
    expect(error.message).toContain(`unknown provider "${name}"`);
  });

  it.each(['toString', 'constructor', '__proto__'])('a provider, a tenant override and pricing naming %s', (name) => {
    const config = JSON.parse(
      `{"providers":{"a":{"kind":"llm","vendor":"mock"}},"tenants":{"acme":{"providers":{"${name}":{"settings":{}}}}},"pricing":[{"provider":"${name}","unit":"characters","price":1}]}`,
    );
    const error = rejection(config);
    expect(error.message).toContain('tenants.acme.providers');
    // `__proto__` is refused as a key before the schema runs, at its first occurrence.
    if (name !== '__proto__') expect(error.message).toContain('pricing.0.provider');
  });

  it('a provider called toString works as a provider', async () => {
    const pb = createPatchbay({
      config: { providers: { toString: llm, constructor: llm } },
      factories: mockFactories,
      env: false,
    });
    const result = await pb.llm.generate({ messages: [{ role: 'user', content: 'hi' }] });
    expect(result.provider).toBe('toString');
    expect(pb.tenant('constructor').provider('constructor').id).toBe('constructor');
    expect((await pb.status()).overall_status).toBe('healthy');
    await pb.close();
  });

  it('a tenant called __proto__ or constructor is an ordinary tenant', async () => {
    const pb = createPatchbay({ config: { providers: { a: llm } }, factories: mockFactories, env: false });
    for (const tenant of ['__proto__', 'constructor', 'toString']) {
      await pb.tenant(tenant).llm.generate({ messages: [{ role: 'user', content: 'hi' }] });
      await pb.llm.generate({ messages: [{ role: 'user', content: 'hi' }] }, { tenant });
    }
    await pb.close();
  });
});

describe('no configuration produces anything but a PatchbayError', () => {
  it.each([
    ['null', null],
    ['a number', 42],
    ['providers as an array', { providers: [] }],
    ['a function in settings', { providers: { a: { ...llm, settings: { model: () => 'x' } } } }],
    [
      'a cycle',
      (() => {
        const cycle: Record<string, unknown> = { providers: { a: llm } };
        (cycle.providers as Record<string, unknown>).self = cycle;
        return cycle;
      })(),
    ],
    ['a route that is a string', { providers: { a: llm }, routes: { llm: 'a' } }],
    [
      'a tenant route patch of an unknown route',
      { providers: { a: llm }, tenants: { t: { routes: { nope: { strategy: 'weighted' } } } } },
    ],
    ['NaN timeout', { providers: { a: llm }, defaults: { attemptTimeoutMs: Number.NaN } }],
  ])('%s', (_, config) => {
    rejection(config);
  });
});

describe('pricing', () => {
  it('refuses an entry that names neither a provider nor a vendor (it would price nothing)', () => {
    const error = rejection({
      providers: { a: { kind: 'llm', vendor: 'mock' } },
      pricing: [
        { vendor: 'mock', unit: 'output_tokens', price: 1 },
        { model: 'gpt-4o-mini', unit: 'output_tokens', price: 1 },
      ],
    });
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('pricing.1');
    expect(error.message).toContain('needs a provider or a vendor');
    expect(error.message).not.toContain('pricing.0');
  });
});
