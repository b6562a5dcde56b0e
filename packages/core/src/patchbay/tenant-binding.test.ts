import { type MockLanguageModel, mockFactories } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { InMemoryCredentialStore } from '../credentials/credential-store.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import { createPatchbay, type Patchbay, type PatchbayOptions } from '../patchbay.js';
import type { ProviderFactory } from '../provider/provider-factory.js';
import type { UsageRecord } from '../spec/usage.js';

/** mulberry32: a seeded generator, so a failing interleaving can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const request = { messages: [{ role: 'user' as const, content: 'hello' }] };

/** What each tenant's calls must carry: the provider, the endpoint stand-in (model) and the key — or a refusal. */
const expected: Record<string, { provider: string; model: string; key: string | undefined }> = {
  plain: { provider: 'main', model: 'mock-model', key: 'key-plain' },
  custom: { provider: 'main', model: 'model-custom', key: 'key-custom' },
  sealed: { provider: 'main', model: 'mock-model', key: 'key-sealed' },
  rerouted: { provider: 'alt', model: 'mock-model', key: 'key-rerouted-alt' },
  // Barred from the platform key and has no key of its own: refused, never served with the platform key.
  barred: { provider: 'main', model: 'mock-model', key: undefined },
  walkin: { provider: 'main', model: 'mock-model', key: 'platform-key' },
};
const tenants = Object.keys(expected);

function setup(limits: PatchbayOptions['tenantLimits']) {
  const created: MockLanguageModel[] = [];
  const factories = mockFactories.map(
    (factory): ProviderFactory => ({
      kind: factory.kind,
      vendor: factory.vendor,
      create: (options) => {
        const provider = factory.create(options);
        if (provider.kind === 'llm') created.push(provider as MockLanguageModel);
        return provider;
      },
    }),
  );
  const usage: UsageRecord[] = [];
  const pb = createPatchbay({
    factories,
    env: { MOCK_API_KEY: 'platform-key' },
    usageSinks: [(record) => usage.push(record)],
    tenantLimits: limits,
    credentialStore: new InMemoryCredentialStore({
      plain: { main: { apiKey: 'key-plain' } },
      custom: { main: { apiKey: 'key-custom' } },
      sealed: { main: { apiKey: 'key-sealed' } },
      rerouted: { main: { apiKey: 'key-rerouted' }, alt: { apiKey: 'key-rerouted-alt' } },
    }),
    config: {
      providers: {
        main: { kind: 'llm', vendor: 'mock', settings: { requireApiKey: true } },
        alt: { kind: 'llm', vendor: 'mock', settings: { requireApiKey: true } },
      },
      routes: { llm: { providers: ['main'], retry: { maxRetries: 0 }, failover: { not_configured: false } } },
      defaults: { breaker: { enabled: false } },
      tenants: {
        custom: { providers: { main: { settings: { model: 'model-custom' } } } },
        sealed: { environmentCredentials: false },
        rerouted: { routes: { llm: { providers: ['alt'] } } },
        barred: { environmentCredentials: false },
      },
    },
  });
  return { pb, created, usage };
}

type EntryPoint = (pb: Patchbay, tenant: string, correlationId: string) => Promise<unknown>;
const member = (tenant: string) => (expected[tenant] as { provider: string }).provider;
const entryPoints: Record<string, EntryPoint> = {
  'tenant view': (pb, tenant, correlationId) => pb.tenant(tenant).llm.generate(request, { correlationId }),
  'tenant view, another tenant in options': (pb, tenant, correlationId) =>
    pb.tenant(tenant).llm.generate(request, { correlationId, tenant: 'intruder' }),
  'tenant view, route()': (pb, tenant, correlationId) =>
    (pb.tenant(tenant).route('llm') as Patchbay['llm']).generate(request, { correlationId }),
  'call option': (pb, tenant, correlationId) => pb.llm.generate(request, { tenant, correlationId }),
  'call option, route()': (pb, tenant, correlationId) =>
    (pb.route('llm') as Patchbay['llm']).generate(request, { tenant, correlationId }),
  'tenant view, provider()': (pb, tenant, correlationId) =>
    (pb.tenant(tenant).provider(member(tenant)) as MockLanguageModel).generate(request, { correlationId }),
  'call option, provider()': (pb, tenant, correlationId) =>
    (pb.provider(member(tenant)) as MockLanguageModel).generate(request, { tenant, correlationId }),
};

async function checkStatus(pb: Patchbay, tenant: string) {
  const line = (await pb.tenant(tenant).status()).integrations[member(tenant)];
  const test = await pb.llm.test({ tenant });
  const viaView = await pb.tenant(tenant).llm.test();
  if (tenant === 'barred') {
    expect(line?.status).toBe('not_configured');
    expect(test.status).toBe('not_configured');
    expect(viaView.status).toBe('not_configured');
  } else {
    expect(line?.status).toBe('connected');
    expect(test.healthy).toBe(true);
    expect(viaView.healthy).toBe(true);
  }
}

describe.each([
  ['default limits', undefined],
  ['limits of one (every other use evicts)', { maxScopes: 1, maxViews: 1 }],
])('every entry point seals the tenant (%s)', (_, limits) => {
  it.each([1, 2, 3])('random interleavings, seed %i', async (seed) => {
    const random = seeded(seed);
    const { pb, created, usage } = setup(limits);
    const planned = new Map<string, { tenant: string; via: string }>();
    const names = Object.keys(entryPoints);
    for (let batch = 0; batch < 25; batch++) {
      const calls: Promise<unknown>[] = [];
      for (let slot = 0; slot < 8; slot++) {
        const tenant = tenants[Math.floor(random() * tenants.length)] as string;
        const roll = random();
        if (roll < 0.1) {
          calls.push(checkStatus(pb, tenant));
          continue;
        }
        const via = names[Math.floor(random() * names.length)] as string;
        const correlationId = `call-${batch}-${slot}`;
        planned.set(correlationId, { tenant, via });
        calls.push(
          (entryPoints[via] as EntryPoint)(pb, tenant, correlationId).then(
            () => expect(tenant, `${via}: ${tenant} must be refused`).not.toBe('barred'),
            (error: unknown) => {
              expect(PatchbayError.isInstance(error) && error.code, `${via}: ${tenant}`).toBe('not_configured');
              expect(tenant).toBe('barred');
            },
          ),
        );
      }
      await Promise.all(calls);
    }
    const seen = new Map<
      string,
      { provider: string; model: string; key: string | undefined; tenant: string | undefined }
    >();
    for (const instance of created) {
      const model = instance.getConfig().model as string;
      for (const call of instance.calls) {
        if (call.correlationId === undefined) continue;
        expect(seen.has(call.correlationId), `${call.correlationId} reached a vendor twice`).toBe(false);
        seen.set(call.correlationId, { provider: instance.id, model, key: call.apiKey?.reveal(), tenant: call.tenant });
      }
    }
    for (const [correlationId, { tenant, via }] of planned) {
      const want = expected[tenant] as (typeof expected)[string];
      expect(seen.get(correlationId), `${via} as ${tenant}`).toEqual({ ...want, tenant });
    }
    for (const record of usage) {
      const plan = planned.get(record.correlationId as string);
      // Usage of routed calls lands on the calling tenant (unrouted provider() calls are not metered).
      expect(record.tenant, `usage of ${plan?.via}`).toBe(plan?.tenant);
    }
    expect(usage.length).toBeGreaterThan(0);
    await pb.close();
  });
});
