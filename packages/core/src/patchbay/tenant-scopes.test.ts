import { type MockLanguageModel, mockFactories } from '@patchbay/testing';
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

  it('never evicts a tenant scope whose breaker is open (its cool-down is kept)', async () => {
    const pb = createPatchbay({
      factories: mockFactories,
      env: false,
      tenantLimits: { maxScopes: 1 },
      config: {
        providers: { main: { kind: 'llm', vendor: 'mock' } },
        defaults: { breaker: { minimumCalls: 1, failureThresholdPercent: 1 }, retry: { maxRetries: 0 } },
        tenants: {
          broken: { providers: { main: { settings: { script: { error: 'unavailable' } } } } },
          other: { providers: { main: { settings: { model: 'other' } } } },
          third: { providers: { main: { settings: { model: 'third' } } } },
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
    expect((await pb.tenant('broken').status()).integrations.main?.circuit).toBe('open');
    // Closed scopes were evicted instead: at most the open one and the one in use.
    expect(sizesOf(pb).tenantScopes).toBeLessThanOrEqual(2);
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
