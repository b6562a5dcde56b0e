import { createFakeClock, type FakeClock, type MockLanguageModel, mockFactories } from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryCredentialStore } from '../credentials/credential-store.js';
import type { PatchbayError } from '../errors/patchbay-error.js';
import { createPatchbay, type Patchbay, type PatchbayOptions } from '../patchbay.js';
import { Secret } from '../secrets/secret.js';

const request = { messages: [{ role: 'user' as const, content: 'hello' }] };
let open: Patchbay[] = [];
let clock: FakeClock | undefined;

function make(options: Omit<PatchbayOptions, 'factories'>): Patchbay {
  const instance = createPatchbay({ factories: mockFactories, env: false, ...options });
  open.push(instance);
  return instance;
}

afterEach(async () => {
  for (const instance of open) await instance.close();
  open = [];
  clock?.uninstall();
  clock = undefined;
});

const failing = { kind: 'llm', vendor: 'mock', settings: { script: { error: 'unavailable' } } } as const;
const breakerFast = {
  breaker: { minimumCalls: 1, failureThresholdPercent: 1, cooldownMs: 60_000 },
  retry: { maxRetries: 0 },
};

/** `a` fails and opens its breaker on one failure; `b` serves: the route is [a, b]. */
function failingFirst(): Patchbay {
  return make({
    config: {
      providers: { a: failing, b: { kind: 'llm', vendor: 'mock' } },
      routes: { llm: { providers: ['a', 'b'] } },
      defaults: breakerFast,
    },
  });
}

describe('updateConfig validates the whole next configuration before anything changes', () => {
  it('leaves the first provider unchanged when the second is invalid', async () => {
    const pb = make({
      config: { providers: { a: { kind: 'llm', vendor: 'mock' }, b: { kind: 'llm', vendor: 'mock' } } },
    });
    const error = (await pb
      .updateConfig({ providers: { a: { settings: { model: 'changed' } }, b: { settings: { model: 42 } } } })
      .catch((caught: unknown) => caught)) as PatchbayError;
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('providers.b.settings.model');
    expect((await pb.llm.generate(request)).model).toBe('mock-model');
  });

  it('validates every tenant override against the adapter schema', async () => {
    const pb = make({ config: { providers: { a: { kind: 'llm', vendor: 'mock' } } } });
    const error = (await pb
      .updateConfig({ tenants: { acme: { providers: { a: { settings: { model: 7 } } } } } })
      .catch((caught: unknown) => caught)) as PatchbayError;
    expect(error.message).toContain('tenants.acme.providers.a.settings.model');
    expect((pb.getConfig() as { tenants?: unknown }).tenants).toBeUndefined();
  });
});

describe('unchanged providers keep their instance and breaker; replaced ones are disposed', () => {
  it('keeps an open breaker open (shared and tenant) across a price-only update', async () => {
    const pb = make({
      config: {
        providers: { a: failing },
        defaults: breakerFast,
        tenants: { acme: { providers: { a: { settings: { model: 'acme-model' } } } } },
      },
    });
    const before = pb.provider('a');
    await pb.llm.generate(request).catch(() => undefined);
    await pb
      .tenant('acme')
      .llm.generate(request)
      .catch(() => undefined);
    expect((await pb.status()).integrations.a?.circuit).toBe('open');
    expect((await pb.tenant('acme').status()).integrations.a?.circuit).toBe('open');
    await pb.updateConfig({ pricing: [{ vendor: 'mock', unit: 'input_tokens', price: 1 }] });
    expect((await pb.status()).integrations.a?.circuit).toBe('open');
    expect((await pb.tenant('acme').status()).integrations.a?.circuit).toBe('open');
    expect(pb.provider('a')).toBe(before);
  });

  it('sends a settings change to the same instance, whose open breaker stays open', async () => {
    const pb = failingFirst();
    const before = pb.provider('a') as MockLanguageModel;
    expect((await pb.llm.generate(request)).provider).toBe('b');
    expect((await pb.status()).integrations.a?.circuit).toBe('open');
    await pb.updateConfig({ providers: { a: { settings: { model: 'changed' } } } });
    expect(pb.provider('a')).toBe(before);
    expect(before.getConfig().model).toBe('changed');
    expect((await pb.status()).integrations.a?.circuit).toBe('open');
    // Still skipped without a call while its cool-down runs.
    expect((await pb.llm.generate(request)).provider).toBe('b');
    expect(before.calls).toHaveLength(1);
  });

  it('replaces every breaker on a new breaker policy: an open one closes and its cool-down timer goes', async () => {
    clock = createFakeClock();
    const pb = failingFirst();
    const a = pb.provider('a') as MockLanguageModel;
    const timersClosed = clock.pendingTimers();
    expect((await pb.llm.generate(request)).provider).toBe('b');
    expect(clock.pendingTimers()).toBe(timersClosed + 1);
    await pb.updateConfig({ defaults: { breaker: { cooldownMs: 120_000 } } });
    expect(clock.pendingTimers()).toBe(timersClosed);
    // The new breaker is closed: the next call tries a again (and opens it under the new policy).
    expect((await pb.llm.generate(request)).provider).toBe('b');
    expect(a.calls).toHaveLength(2);
  });

  it('stops the cool-down timer of a removed provider whose breaker was open', async () => {
    clock = createFakeClock();
    const pb = failingFirst();
    const timersClosed = clock.pendingTimers();
    await pb.llm.generate(request);
    expect(clock.pendingTimers()).toBe(timersClosed + 1);
    await pb.updateConfig({ providers: { a: null }, routes: { llm: { providers: ['b'] } } });
    expect(clock.pendingTimers()).toBe(timersClosed);
    expect((await pb.llm.generate(request)).provider).toBe('b');
  });

  it('does not grow timers across 50 updates with 10 tenants', async () => {
    clock = createFakeClock();
    const tenants = Object.fromEntries(
      Array.from({ length: 10 }, (_, index) => [
        `t${index}`,
        { providers: { a: { settings: { model: `m${index}` } } } },
      ]),
    );
    const pb = make({ config: { providers: { a: { kind: 'llm', vendor: 'mock' } }, tenants } });
    for (let index = 0; index < 10; index++) await pb.tenant(`t${index}`).llm.generate(request);
    const timers = clock.pendingTimers();
    for (let price = 1; price <= 50; price++)
      await pb.updateConfig({ pricing: [{ vendor: 'mock', unit: 'input_tokens', price }] });
    for (let index = 0; index < 10; index++) await pb.tenant(`t${index}`).llm.generate(request);
    expect(clock.pendingTimers()).toBe(timers);
    await pb.close();
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('Secret values are accepted wherever a secret is', () => {
  it('in createPatchbay’s config and in updateConfig', async () => {
    const pb = make({
      config: {
        providers: {
          a: { kind: 'llm', vendor: 'mock', settings: { apiKey: new Secret('first-key'), requireApiKey: true } },
        },
      },
    });
    const provider = pb.provider('a') as MockLanguageModel;
    await pb.llm.generate(request);
    await pb.updateConfig({ providers: { a: { settings: { apiKey: new Secret('second-key') } } } });
    await pb.llm.generate(request);
    expect(provider.calls.map((call) => call.apiKey?.reveal())).toEqual(['first-key', 'second-key']);
    expect(JSON.stringify(pb.getConfig())).not.toContain('-key');
  });

  it('in a tenant override', async () => {
    const pb = make({
      credentialStore: new InMemoryCredentialStore(),
      config: {
        providers: { a: { kind: 'llm', vendor: 'mock', settings: { requireApiKey: true } } },
        tenants: { acme: { providers: { a: { settings: { apiKey: new Secret('acme-key') } } } } },
      },
    });
    const result = await pb.tenant('acme').provider('a').getConfig();
    expect(JSON.stringify(result)).not.toContain('acme-key');
    await pb.tenant('acme').llm.generate(request);
  });
});
