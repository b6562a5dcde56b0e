import { createFakeClock, type MockLanguageModel, mockFactories } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { defaultCredentialCacheMaxTenants } from '../credentials/credential-resolver.js';
import type { CredentialStore } from '../credentials/credential-store.js';
import { createPatchbay, type PatchbaySizes, patchbaySizes } from '../patchbay.js';
import { defaultMaxTenantScopes } from './tenant-scopes.js';

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };
const sizesOf = (pb: object) => (pb as Record<symbol, () => PatchbaySizes>)[patchbaySizes]?.() as PatchbaySizes;

/** Every tenant has a key of its own, derived from its id, so a mix-up shows. */
const derivedStore: CredentialStore = {
  get: (tenant, provider) => (provider === 'main' ? { apiKey: `key-of-${tenant}` } : undefined),
};

describe('per-tenant structures stay within their bounds at high cardinality', () => {
  it('200k tenants through tenant(id) and through the tenant call option', async () => {
    const pb = createPatchbay({
      factories: mockFactories,
      env: false,
      credentialStore: derivedStore,
      tenantLimits: { maxViews: 500, maxScopes: 50 },
      config: {
        providers: { main: { kind: 'llm', vendor: 'mock', settings: { requireApiKey: true } } },
        tenants: Object.fromEntries(
          Array.from({ length: 200 }, (_, index) => [
            `vip-${index}`,
            { providers: { main: { settings: { model: `model-${index}` } } } },
          ]),
        ),
      },
    });
    for (let index = 0; index < 200_000; index++) {
      const tenant = index % 1_000 < 200 && index < 1_000 ? `vip-${index % 200}` : `tenant-${index}`;
      // Every tenant builds a view and a route handle; one in ten also calls (credential cache, outcomes).
      const calls = index % 10 === 0 || tenant.startsWith('vip');
      if (index % 2 === 0) {
        const llm = pb.tenant(tenant).llm;
        if (calls) await llm.generate(request);
      } else if (calls) await pb.llm.generate(request, { tenant });
      else pb.tenant(tenant).route('llm');
    }
    const sizes = sizesOf(pb);
    expect(sizes.views).toBeLessThanOrEqual(500);
    expect(sizes.routeHandles).toBeLessThanOrEqual(2_000);
    expect(sizes.tenantScopes).toBeLessThanOrEqual(50);
    expect(sizes.providerInstances).toBeLessThanOrEqual(51);
    expect(sizes.credentialCacheTenants).toBeLessThanOrEqual(defaultCredentialCacheMaxTenants);
    expect(sizes.credentialCacheTenants).toBeGreaterThan(0);
    expect(sizes.recentOutcomeKeys).toBeLessThanOrEqual(10_000);

    // Long evicted, a tenant still gets its own key, and a VIP its own overrides and key.
    for (const tenant of ['tenant-1', 'vip-3']) {
      const viaView = pb.tenant(tenant).provider('main') as MockLanguageModel;
      await pb.tenant(tenant).llm.generate(request);
      await pb.llm.generate(request, { tenant });
      const calls = viaView.calls.slice(-2);
      expect(calls.map((call) => [call.tenant, call.apiKey?.reveal()])).toEqual([
        [tenant, `key-of-${tenant}`],
        [tenant, `key-of-${tenant}`],
      ]);
      expect(viaView.getConfig().model).toBe(tenant === 'vip-3' ? 'model-3' : 'mock-model');
    }
    await pb.close();
  }, 120_000);

  it('does not evict a tenant scope whose breaker is open (its cool-down is kept) below twice maxScopes', async () => {
    const pb = createPatchbay({
      factories: mockFactories,
      env: false,
      tenantLimits: { maxScopes: 2 },
      config: {
        providers: { main: { kind: 'llm', vendor: 'mock' } },
        defaults: { breaker: { minimumCalls: 1, failureThresholdPercent: 1 }, retry: { maxRetries: 0 } },
        tenants: {
          broken: { providers: { main: { settings: { script: { error: 'unavailable' } } } } },
          other: { providers: { main: { settings: { model: 'other' } } } },
          third: { providers: { main: { settings: { model: 'third' } } } },
          fourth: { providers: { main: { settings: { model: 'fourth' } } } },
        },
      },
    });
    await pb
      .tenant('broken')
      .llm.generate(request)
      .catch(() => undefined);
    expect((await pb.tenant('broken').status()).integrations.main?.circuit).toBe('open');
    await pb.tenant('other').llm.generate(request);
    await pb.tenant('third').llm.generate(request);
    await pb.tenant('fourth').llm.generate(request);
    expect((await pb.tenant('broken').status()).integrations.main?.circuit).toBe('open');
    // Closed scopes were evicted instead: the open one and the one in use.
    expect(sizesOf(pb).tenantScopes).toBe(2);
    await pb.close();
  });
});

describe('the recent-outcome window behind status() at high cardinality', () => {
  it('holds 10,000 provider instances, oldest out first, after calls from 10,050 tenants with instances of their own', async () => {
    const count = 10_050;
    const pb = createPatchbay({
      factories: mockFactories,
      env: false,
      tenantLimits: { maxViews: 10, maxScopes: 10 },
      config: {
        providers: { main: { kind: 'llm', vendor: 'mock' } },
        // A provider override makes each tenant's calls go to an instance of its own: one outcome key per tenant.
        tenants: Object.fromEntries(
          Array.from({ length: count }, (_, index) => [`own-${index}`, { providers: { main: { settings: {} } } }]),
        ),
      },
    });
    for (let index = 0; index < count; index++) await pb.llm.generate(request, { tenant: `own-${index}` });
    expect(sizesOf(pb).recentOutcomeKeys).toBe(10_000);
    const recent = async (tenant: string) => (await pb.tenant(tenant).status()).integrations.main?.recent_calls;
    expect(await recent(`own-${count - 1}`)).toEqual({ calls: 1, failures: 0 });
    expect(await recent(`own-${count - 10_000}`)).toEqual({ calls: 1, failures: 0 });
    // The first 50 instances were the oldest: their outcomes are gone.
    expect(await recent(`own-${count - 10_001}`)).toEqual({ calls: 0, failures: 0 });
    expect(await recent('own-0')).toEqual({ calls: 0, failures: 0 });
    await pb.close();
  }, 30_000);
});

/** Tenants `broken-0…count-1` whose only member fails every call: one failed call opens each one's breaker. */
function trippingPatchbay(count: number, maxScopes: number) {
  return createPatchbay({
    factories: mockFactories,
    env: false,
    tenantLimits: { maxScopes },
    config: {
      providers: { main: { kind: 'llm', vendor: 'mock' } },
      defaults: {
        breaker: { minimumCalls: 1, failureThresholdPercent: 1, cooldownMs: 30_000 },
        retry: { maxRetries: 0 },
      },
      tenants: Object.fromEntries(
        Array.from({ length: count }, (_, index) => [
          `broken-${index}`,
          { providers: { main: { settings: { script: { error: 'unavailable' } } } } },
        ]),
      ),
    },
  });
}

describe('tenant scopes with tripped breakers stay bounded', () => {
  it('a scope whose cool-down has passed no longer pins it, though nobody called since', async () => {
    using clock = createFakeClock();
    const pb = trippingPatchbay(300, 10);
    for (let index = 0; index < 300; index++) {
      await pb
        .tenant(`broken-${index}`)
        .llm.generate(request)
        .catch(() => undefined);
      // Each tenant's breaker opened; every cool-down passes before the next tenant calls.
      await clock.advance(30_001);
    }
    // Half-open breakers let calls through: their scopes were evicted like closed ones.
    expect(sizesOf(pb).tenantScopes).toBeLessThanOrEqual(10);
    await pb.close();
  });

  it('past twice maxScopes, the least recently used scope goes even with its breaker open', async () => {
    using clock = createFakeClock();
    const pb = trippingPatchbay(300, 10);
    for (let index = 0; index < 300; index++) {
      await pb
        .tenant(`broken-${index}`)
        .llm.generate(request)
        .catch(() => undefined);
      expect(sizesOf(pb).tenantScopes).toBeLessThanOrEqual(20);
    }
    expect(sizesOf(pb).tenantScopes).toBe(20);
    expect(sizesOf(pb).providerInstances).toBeLessThanOrEqual(21);
    // The most recent ones are still open (within their cool-down); an evicted one starts afresh and calls again.
    expect((await pb.tenant('broken-299').status()).integrations.main?.circuit).toBe('open');
    const first = pb.tenant('broken-0').provider('main') as MockLanguageModel;
    expect(first.calls).toHaveLength(0);
    await pb
      .tenant('broken-0')
      .llm.generate(request)
      .catch(() => undefined);
    expect(first.calls).toHaveLength(1);
    expect(clock.now()).toBeGreaterThan(0);
    await pb.close();
  });
});

/** `tenantLimits` left out: the documented defaults are 1,000 views (4× as many route handles) and 1,000 scopes. */
describe('per-tenant bounds with no tenantLimits option', () => {
  /** `count` tenants with an override each (each gets a scope of its own), plus any extra ones given. */
  const overrides = (count: number, extra: Record<string, object> = {}) => ({
    ...Object.fromEntries(
      Array.from({ length: count }, (_, index) => [
        `vip-${index}`,
        { providers: { main: { settings: { model: `model-${index}` } } } },
      ]),
    ),
    ...extra,
  });

  it('holds exactly 1,000 scopes and 1,000 views after 1,001 tenants, and 4,000 route handles after 4,001', async () => {
    expect(defaultMaxTenantScopes).toBe(1_000);
    const pb = createPatchbay({
      factories: mockFactories,
      env: false,
      config: { providers: { main: { kind: 'llm', vendor: 'mock' } }, tenants: overrides(1_001) },
    });
    for (let index = 0; index < 1_000; index++) pb.tenant(`vip-${index}`).route('llm');
    expect(sizesOf(pb)).toMatchObject({ views: 1_000, tenantScopes: 1_000 });
    pb.tenant('vip-1000').route('llm');
    expect(sizesOf(pb)).toMatchObject({ views: 1_000, tenantScopes: 1_000, routeHandles: 1_001 });
    // Route handles: tenants without overrides share the platform's scope but each has its own handle.
    for (let index = 0; index < 2_999; index++) pb.tenant(`plain-${index}`).route('llm');
    expect(sizesOf(pb).routeHandles).toBe(4_000);
    pb.tenant('plain-2999').route('llm');
    expect(sizesOf(pb)).toMatchObject({ views: 1_000, tenantScopes: 1_000, routeHandles: 4_000 });
    await pb.close();
  }, 60_000);

  it('keeps a scope whose breaker is open (default breaker) past 1,001 other tenants, evicting closed ones', async () => {
    const pb = createPatchbay({
      factories: mockFactories,
      env: false,
      config: {
        providers: { main: { kind: 'llm', vendor: 'mock' } },
        // One member, no retries: each failed call is one failed attempt on its breaker.
        defaults: { retry: { maxRetries: 0 } },
        tenants: overrides(1_001, {
          broken: { providers: { main: { settings: { script: { error: 'unavailable' } } } } },
        }),
      },
    });
    // The default breaker opens at the fifth failed call.
    for (let index = 0; index < 5; index++)
      await pb
        .tenant('broken')
        .llm.generate(request)
        .catch(() => undefined);
    expect((await pb.tenant('broken').status()).integrations.main?.circuit).toBe('open');
    const broken = pb.tenant('broken').provider('main') as MockLanguageModel;
    // The broken scope is now the least recently used; 1,001 newer scopes push at it.
    for (let index = 0; index < 1_001; index++) pb.tenant(`vip-${index}`).route('llm');
    expect(sizesOf(pb).tenantScopes).toBe(1_000);
    expect((await pb.tenant('broken').status()).integrations.main?.circuit).toBe('open');
    // Same instance, still skipped without a call.
    await pb
      .tenant('broken')
      .llm.generate(request)
      .catch(() => undefined);
    expect(broken.calls).toHaveLength(5);
    await pb.close();
  }, 60_000);
});
