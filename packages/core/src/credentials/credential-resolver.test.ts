import { inspect } from 'node:util';
import { createFakeClock } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PatchbayError } from '../errors/patchbay-error.js';
import { Secret } from '../secrets/secret.js';
import { CredentialResolver } from './credential-resolver.js';
import { defineCredentials } from './credential-spec.js';
import { type CredentialStore, InMemoryCredentialStore } from './credential-store.js';

const spec = defineCredentials({
  fields: { accountSid: z.string().startsWith('AC'), authToken: z.string().min(8) },
  env: { accountSid: ['TWILIO_ACCOUNT_SID'], authToken: ['TWILIO_AUTH_TOKEN'] },
  secret: ['authToken'],
});

describe('CredentialResolver', () => {
  it('walks explicit values, the tenant store, then the environment, and reports sources not values', async () => {
    const store = new InMemoryCredentialStore({ acme: { twilio: { authToken: 'tenant-token-1' } } });
    const resolver = new CredentialResolver({
      provider: 'twilio',
      spec,
      store,
      env: { TWILIO_ACCOUNT_SID: 'AC-env', TWILIO_AUTH_TOKEN: 'env-token-123' },
    });
    const forAcme = await resolver.resolve({ tenant: 'acme' });
    expect(forAcme.values).toMatchObject({ accountSid: 'AC-env', authToken: 'tenant-token-1' });
    expect(forAcme.sources).toEqual({ accountSid: 'environment', authToken: 'tenant-store' });
    const explicit = await resolver.resolve({ tenant: 'acme', explicit: { authToken: new Secret('explicit-token') } });
    expect(explicit.values.authToken).toBe('explicit-token');
    expect(explicit.sources.authToken).toBe('explicit');
  });

  it('answers a repeated resolution with the same frozen result, and a fresh one when a value or source changes', async () => {
    const env: Record<string, string | undefined> = {
      TWILIO_ACCOUNT_SID: 'AC-env',
      TWILIO_AUTH_TOKEN: 'env-token-123',
    };
    const resolver = new CredentialResolver({ provider: 'twilio', spec, env });
    const first = await resolver.resolve({});
    expect(await resolver.resolve({})).toBe(first);
    env.TWILIO_AUTH_TOKEN = 'env-token-456';
    const rotated = await resolver.resolve({});
    expect(rotated).not.toBe(first);
    expect(rotated.values.authToken).toBe('env-token-456');
    // Same value, other source: a new answer, so `sources` stays true.
    const explicit = await resolver.resolve({ explicit: { authToken: 'env-token-456' } });
    expect(explicit).not.toBe(rotated);
    expect(explicit.sources.authToken).toBe('explicit');
    // An invalid value is refused even right after a valid resolution.
    env.TWILIO_AUTH_TOKEN = 'short';
    await expect(resolver.resolve({})).rejects.toMatchObject({ code: 'not_configured' });
  });

  it('freezes the result itself and each of its parts', async () => {
    const store = new InMemoryCredentialStore({ acme: { twilio: { authToken: 'tenant-token-1' } } });
    const resolver = new CredentialResolver({ provider: 'twilio', spec, store, env: { TWILIO_ACCOUNT_SID: 'AC-env' } });
    const resolved = await resolver.resolve({ tenant: 'acme' });
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(resolved.values)).toBe(true);
    expect(Object.isFrozen(resolved.sources)).toBe(true);
    expect(Object.isFrozen(resolved.policy)).toBe(true);
    expect(Object.isFrozen(resolved.ignored)).toBe(true);
    // The answer is shared by later resolutions: nobody can swap a part of it.
    expect(() => {
      (resolved as { values: unknown }).values = { authToken: 'swapped-token' };
    }).toThrow(TypeError);
    expect((await resolver.resolve({ tenant: 'acme' })).values.authToken).toBe('tenant-token-1');
  });

  it('reuses a store answer per tenant for 5 seconds by default, then asks the store again', async () => {
    using clock = createFakeClock({ now: Date.UTC(2026, 0, 1) });
    const reads: string[] = [];
    // No subscribe(): nothing but the time-to-live ends a cached answer.
    const store: CredentialStore = {
      get(tenant, provider) {
        reads.push(tenant);
        return provider === 'twilio' ? { accountSid: `AC-${tenant}`, authToken: `${tenant}-token-1` } : undefined;
      },
    };
    const resolver = new CredentialResolver({ provider: 'twilio', spec, store, env: false });
    expect((await resolver.resolve({ tenant: 'acme' })).values.authToken).toBe('acme-token-1');
    expect(reads).toEqual(['acme']);
    await clock.advance(4_999);
    expect((await resolver.resolve({ tenant: 'acme' })).values.authToken).toBe('acme-token-1');
    expect(reads).toEqual(['acme']);
    // Per tenant: another tenant's first call reads the store, once.
    await resolver.resolve({ tenant: 'globex' });
    expect(reads).toEqual(['acme', 'globex']);
    await clock.advance(1);
    await resolver.resolve({ tenant: 'acme' });
    expect(reads).toEqual(['acme', 'globex', 'acme']);
    await resolver.resolve({ tenant: 'acme' });
    expect(reads).toEqual(['acme', 'globex', 'acme']);
  });

  it('caches store answers for 10,000 tenants by default: the 10,001st drops the least recently used', async () => {
    // Time stands still, so no answer expires: only the bound drops one.
    using _clock = createFakeClock({ now: Date.UTC(2026, 0, 1) });
    const reads = new Map<string, number>();
    const store: CredentialStore = {
      get(tenant) {
        reads.set(tenant, (reads.get(tenant) ?? 0) + 1);
        return { accountSid: `AC-${tenant}`, authToken: `${tenant}-token-1` };
      },
    };
    const resolver = new CredentialResolver({ provider: 'twilio', spec, store, env: false });
    for (let tenant = 0; tenant < 10_000; tenant++) await resolver.resolve({ tenant: `t${tenant}` });
    expect(resolver.cachedTenants).toBe(10_000);
    await resolver.resolve({ tenant: 't10000' });
    expect(resolver.cachedTenants).toBe(10_000);
    // t1 is still cached (no second read); t0, used least recently, was dropped and is read again.
    await resolver.resolve({ tenant: 't1' });
    expect(reads.get('t1')).toBe(1);
    await resolver.resolve({ tenant: 't0' });
    expect(reads.get('t0')).toBe(2);
  });

  it('never answers one tenant with another tenant’s credentials', async () => {
    const store = new InMemoryCredentialStore({
      acme: { twilio: { accountSid: 'AC-acme', authToken: 'acme-token-1' } },
      globex: { twilio: { accountSid: 'AC-globex', authToken: 'globex-token' } },
    });
    const resolver = new CredentialResolver({ provider: 'twilio', spec, store, env: false });
    expect((await resolver.resolve({ tenant: 'acme' })).values.authToken).toBe('acme-token-1');
    expect((await resolver.resolve({ tenant: 'globex' })).values.authToken).toBe('globex-token');
    await expect(resolver.resolve({ tenant: 'initech' })).rejects.toMatchObject({ code: 'not_configured' });
    await expect(resolver.resolve({})).rejects.toMatchObject({ code: 'not_configured' });
  });

  it('names missing fields and the sources tried, without values', async () => {
    const resolver = new CredentialResolver({
      provider: 'twilio',
      spec,
      env: { TWILIO_ACCOUNT_SID: 'XX-wrong-prefix' },
    });
    const error = (await resolver.resolve({}).catch((caught: unknown) => caught)) as PatchbayError;
    expect(PatchbayError.isInstance(error)).toBe(true);
    expect(error.code).toBe('not_configured');
    expect(error.details?.missing).toEqual(['authToken']);
    expect(error.message).toContain('TWILIO_AUTH_TOKEN');
    expect(error.message).toContain('accountSid');
    expect(error.message).not.toContain('XX-wrong-prefix');
  });

  it('drops cached store answers as soon as the store changes (key rotation)', async () => {
    const store = new InMemoryCredentialStore({ acme: { twilio: { accountSid: 'AC1', authToken: 'first-token' } } });
    const resolver = new CredentialResolver({ provider: 'twilio', spec, store, env: false, cacheTtlMs: 60_000 });
    expect((await resolver.resolve({ tenant: 'acme' })).values.authToken).toBe('first-token');
    store.set('acme', 'twilio', { accountSid: 'AC1', authToken: 'second-token' });
    expect((await resolver.resolve({ tenant: 'acme' })).values.authToken).toBe('second-token');
  });

  it('keeps resolved values out of JSON and inspect', async () => {
    const resolver = new CredentialResolver({
      provider: 'twilio',
      spec,
      env: { TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 'hidden-token' },
    });
    const resolved = await resolver.resolve({});
    expect(JSON.stringify(resolved)).not.toContain('hidden-token');
    expect(inspect(resolved, { depth: 5 })).not.toContain('hidden-token');
  });

  it('keeps stored values as secrets', () => {
    const store = new InMemoryCredentialStore({ acme: { twilio: { authToken: 'stored-token' } } });
    expect(JSON.stringify(store.get('acme', 'twilio'))).not.toContain('stored-token');
    expect(inspect(store, { depth: 10 })).not.toContain('stored-token');
  });

  it('applies each field’s supply policy: platform never from the tenant store, tenant never from the environment', async () => {
    const policySpec = defineCredentials({
      fields: { adminKey: z.string().min(1), accountId: z.string().min(1), region: z.string().min(1) },
      env: { adminKey: ['ADMIN_KEY'], accountId: ['ACCOUNT_ID'], region: ['REGION'] },
      secret: ['adminKey'],
      policy: { adminKey: 'platform', accountId: 'tenant' },
    });
    const store = new InMemoryCredentialStore({
      acme: { svc: { adminKey: 'tenant-admin-key', accountId: 'acme-account', region: 'tenant-region' } },
    });
    const env = { ADMIN_KEY: 'platform-admin-key', ACCOUNT_ID: 'platform-account', REGION: 'env-region' };
    const resolver = new CredentialResolver({ provider: 'svc', spec: policySpec, store, env });
    const acme = await resolver.resolve({ tenant: 'acme' });
    expect(acme.values).toMatchObject({
      adminKey: 'platform-admin-key',
      accountId: 'acme-account',
      region: 'tenant-region',
    });
    expect(acme.sources).toEqual({ adminKey: 'environment', accountId: 'tenant-store', region: 'tenant-store' });
    expect(acme.policy).toEqual({ adminKey: 'platform', accountId: 'tenant', region: 'either' });
    expect(acme.ignored).toEqual(['adminKey']);
    // Without a tenant entry the tenant-only field is missing, although the environment has ACCOUNT_ID.
    const error = (await resolver.resolve({ tenant: 'globex' }).catch((caught: unknown) => caught)) as PatchbayError;
    expect(error.code).toBe('not_configured');
    expect(error.details?.missing).toEqual(['accountId']);
    expect(error.message).toContain('supplied per tenant only');
    expect(error.message).not.toContain('platform-account');
    // Explicit settings (a tenant override) may still supply a tenant-only field.
    const explicit = await resolver.resolve({ tenant: 'globex', explicit: { accountId: 'from-override' } });
    expect(explicit.sources.accountId).toBe('explicit');
  });
});
