import { inspect } from 'node:util';
import { createFakeClock, type MockLanguageModel, mockFactories } from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryCredentialStore } from './credentials/credential-store.js';
import { PatchbayError } from './errors/patchbay-error.js';
import type { PatchbayErrorEvent } from './patchbay.js';
import { createPatchbay, type Patchbay, type PatchbayOptions } from './patchbay.js';
import { defineProviderFactory } from './provider/provider-factory.js';
import type { UsageRecord } from './spec/usage.js';

const request = { messages: [{ role: 'user' as const, content: 'hello there' }] };
let open: Patchbay[] = [];

function make(options: Omit<PatchbayOptions, 'factories'>): Patchbay {
  const instance = createPatchbay({ factories: mockFactories, env: false, ...options });
  open.push(instance);
  return instance;
}

function loadError(config: unknown): PatchbayError {
  try {
    make({ config: config as PatchbayOptions['config'] });
  } catch (error) {
    expect(PatchbayError.isInstance(error)).toBe(true);
    return error as PatchbayError;
  }
  throw new Error('expected the configuration to be rejected');
}

afterEach(async () => {
  for (const instance of open) await instance.close();
  open = [];
});

describe('configuration is validated at load, naming the path', () => {
  it('rejects an unknown provider in a route', () => {
    const error = loadError({
      providers: { a: { kind: 'llm', vendor: 'mock' } },
      routes: { llm: { providers: ['a', 'anthropc'] } },
    });
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('routes.llm.providers.1');
    expect(error.message).toContain('anthropc');
  });

  it('rejects wrong types and an empty route, all at once', () => {
    const error = loadError({
      providers: { a: { kind: 'llm', vendor: 'mock' } },
      routes: { llm: { providers: [] }, tts: { providers: ['a'], attemptTimeoutMs: 'fast' } },
    });
    expect(error.message).toContain('routes.llm.providers');
    expect(error.message).toContain('routes.tts.attemptTimeoutMs');
  });

  it('rejects a provider of the wrong kind, an unknown vendor and bad adapter settings', () => {
    const kindError = loadError({
      providers: { a: { kind: 'tts', vendor: 'mock' } },
      routes: { llm: { providers: ['a'] } },
    });
    expect(kindError.message).toContain('routes.llm.providers.0');
    const vendorError = loadError({ providers: { a: { kind: 'llm', vendor: 'nobody' } } });
    expect(vendorError.message).toContain('providers.a.vendor');
    const settingsError = loadError({ providers: { a: { kind: 'llm', vendor: 'mock', settings: { model: 42 } } } });
    expect(settingsError.message).toContain('providers.a.settings.model');
  });
});

describe('tenants', () => {
  it('resolves each tenant’s own credentials and never another’s', async () => {
    const store = new InMemoryCredentialStore({
      acme: { main: { apiKey: 'acme-key' } },
      globex: { main: { apiKey: 'globex-key' } },
    });
    const pb = make({
      credentialStore: store,
      config: { providers: { main: { kind: 'llm', vendor: 'mock', settings: { requireApiKey: true } } } },
    });
    await pb.tenant('acme').llm.generate(request);
    await pb.tenant('globex').llm.generate(request, { tenant: 'acme' });
    const calls = (pb.provider('main') as MockLanguageModel).calls;
    expect(calls.map((call) => [call.tenant, call.apiKey?.reveal()])).toEqual([
      ['acme', 'acme-key'],
      ['globex', 'globex-key'],
    ]);
    const error = (await pb
      .tenant('initech')
      .llm.generate(request)
      .catch((caught: unknown) => caught)) as PatchbayError;
    expect(error.code).toBe('not_configured');
  });

  it('applies a tenant’s overrides: another primary, other settings', async () => {
    const pb = make({
      config: {
        providers: {
          a: { kind: 'llm', vendor: 'mock', settings: { model: 'small' } },
          b: { kind: 'llm', vendor: 'mock' },
        },
        routes: { llm: { providers: ['a', 'b'] } },
        tenants: {
          vip: { routes: { llm: { providers: ['b', 'a'] } } },
          big: { providers: { a: { settings: { model: 'large' } } } },
        },
      },
    });
    expect((await pb.llm.generate(request)).provider).toBe('a');
    expect((await pb.tenant('vip').llm.generate(request)).provider).toBe('b');
    expect((await pb.tenant('big').llm.generate(request)).model).toBe('large');
    expect((await pb.llm.generate(request)).model).toBe('small');
  });

  it('labels usage with the tenant', async () => {
    const pb = make({ config: { providers: { a: { kind: 'llm', vendor: 'mock' } } } });
    await pb.tenant('acme').llm.generate(request);
    expect(pb.usage.rows({ tenant: 'acme' }).length).toBeGreaterThan(0);
    expect(pb.usage.rows({ tenant: 'globex' })).toEqual([]);
  });
});

describe('configuration changes at runtime', () => {
  it('rotates a key without disturbing the call in flight (fake clock)', async () => {
    const clock = createFakeClock();
    try {
      const pb = make({
        config: {
          providers: { a: { kind: 'llm', vendor: 'mock', settings: { apiKey: 'old-key', script: { delayMs: 80 } } } },
        },
      });
      const provider = pb.provider('a') as MockLanguageModel;
      let settled = false;
      const inFlight = pb.llm.generate(request).finally(() => {
        settled = true;
      });
      await clock.advance(10);
      await pb.updateConfig({ providers: { a: { settings: { apiKey: 'new-key' } } } });
      // The rotation landed while the call was still waiting on its vendor: the fake clock has not reached 80 ms.
      expect(settled).toBe(false);
      await clock.advance(70);
      expect((await inFlight).provider).toBe('a');
      const next = pb.llm.generate(request);
      await clock.advance(80);
      await next;
      expect(provider.calls.map((call) => call.apiKey?.reveal())).toEqual(['old-key', 'new-key']);
      await pb.close();
    } finally {
      clock.uninstall();
    }
  });

  it('rejects an invalid change naming the path, and keeps the old configuration', async () => {
    const pb = make({
      config: { providers: { a: { kind: 'llm', vendor: 'mock' }, b: { kind: 'llm', vendor: 'mock' } } },
    });
    const error = (await pb
      .updateConfig({ routes: { llm: { providers: ['a', 'zzz'] } } })
      .catch((caught: unknown) => caught)) as PatchbayError;
    expect(error.message).toContain('routes.llm.providers.1');
    expect((await pb.llm.generate(request)).provider).toBe('a');
  });

  it('changes the primary for objects callers already hold', async () => {
    const pb = make({
      config: {
        providers: { a: { kind: 'llm', vendor: 'mock' }, b: { kind: 'llm', vendor: 'mock' } },
        routes: { llm: { providers: ['a', 'b'] } },
      },
    });
    const held = pb.llm;
    expect((await held.generate(request)).provider).toBe('a');
    await held.updateConfig({ providers: ['b', 'a'] });
    expect((await held.generate(request)).provider).toBe('b');
    expect((pb.getConfig().routes as Record<string, { providers: string[] }>).llm?.providers).toEqual(['b', 'a']);
  });
});

describe('secrets never leak', () => {
  it('through getConfig, JSON, inspect, errors and events', async () => {
    const secret = 'sk-do-not-print-1234';
    const pb = make({
      config: {
        providers: {
          a: { kind: 'llm', vendor: 'mock', settings: { apiKey: secret, acceptedApiKeys: ['something-else'] } },
          b: { kind: 'llm', vendor: 'mock', settings: { apiKey: secret } },
        },
        routes: { llm: { providers: ['a', 'b'] } },
      },
    });
    const seen: unknown[] = [];
    for (const type of ['attempt', 'retry', 'failover', 'breaker', 'usage'] as const)
      pb.on(type, (event) => seen.push(event));
    const result = await pb.llm.generate(request);
    const failed = await pb
      .route('llm')
      .updateConfig({ providers: ['a'] })
      .then(() => pb.llm.generate(request))
      .catch((caught: unknown) => caught);
    const outputs = [
      JSON.stringify(pb.getConfig()),
      JSON.stringify(pb.llm.getConfig()),
      JSON.stringify(pb.provider('a').getConfig()),
      JSON.stringify(pb.provider('a')),
      inspect(pb.provider('a'), { depth: 10 }),
      inspect(pb.llm, { depth: 10 }),
      String(failed),
      JSON.stringify(failed),
      inspect(failed, { depth: 10 }),
      JSON.stringify(seen),
      JSON.stringify(result),
      JSON.stringify(await pb.status()),
    ];
    expect(PatchbayError.isInstance(failed)).toBe(true);
    for (const output of outputs) expect(output).not.toContain(secret);
    expect(JSON.stringify(pb.provider('b').getConfig())).toContain('[redacted]');
  });
});

describe('secrets from the environment and adapter-declared secrets', () => {
  it('never print with the provider, in patchbay.getConfig() or in update errors', async () => {
    const pb = make({
      env: { MOCK_API_KEY: 'env-secret-999' },
      config: {
        providers: { a: { kind: 'llm', vendor: 'mock', settings: { acceptedApiKeys: ['env-secret-999'] } } },
      },
    });
    await pb.llm.generate(request);
    const provider = pb.provider('a');
    for (const output of [JSON.stringify(provider), inspect(provider, { depth: 10 }), JSON.stringify(pb.getConfig())]) {
      expect(output).not.toContain('env-secret-999');
    }
    const error = (await provider.updateConfig({ model: 7 }).catch((caught: unknown) => caught)) as PatchbayError;
    expect(error).toMatchObject({ code: 'invalid_request', provider: 'a' });
    expect(error.message).toContain('model');
  });
});

describe('metering', () => {
  it('meters failed attempts too, and prices unknown usage as null', async () => {
    const records: UsageRecord[] = [];
    const pb = make({
      usageSinks: [(record) => records.push(record)],
      config: {
        providers: {
          a: { kind: 'llm', vendor: 'mock', settings: { script: { error: 'unavailable' } } },
          b: {
            kind: 'llm',
            vendor: 'mock',
            settings: { script: { usage: { inputTokens: 1000, outputTokens: 10, cachedInputTokens: 0 } } },
          },
        },
        routes: { llm: { providers: ['a', 'b'], retry: { maxRetries: 0 } } },
        pricing: [{ provider: 'b', unit: 'input_tokens', price: 3, per: 1_000_000 }],
      },
    });
    await pb.tenant('acme').llm.generate(request, { correlationId: 'call-42' });
    const failed = records.filter((record) => record.provider === 'a');
    expect(failed.map((record) => [record.outcome, record.unit, record.quantity, record.errorCode])).toEqual([
      ['error', 'input_tokens', 0, 'unavailable'],
      ['error', 'output_tokens', 0, 'unavailable'],
    ]);
    const input = records.find((record) => record.provider === 'b' && record.unit === 'input_tokens');
    expect(input).toMatchObject({
      quantity: 1000,
      cost: 0.003,
      currency: 'USD',
      tenant: 'acme',
      correlationId: 'call-42',
      outcome: 'success',
    });
    const output = records.find((record) => record.provider === 'b' && record.unit === 'output_tokens');
    expect(output?.cost).toBeNull();
    expect(pb.usage.costByProvider({ tenant: 'acme' }).b).toBeNull();
  });
});

describe('status', () => {
  const status = (a: string, b: string) =>
    make({
      config: {
        providers: {
          a: { kind: 'llm', vendor: 'mock', settings: { health: a } },
          b: { kind: 'sms', vendor: 'mock', settings: { health: b } },
        },
      },
    }).status();

  it('is healthy, degraded or partial in the integration-status shape', async () => {
    const healthy = await status('connected', 'connected');
    expect(healthy.overall_status).toBe('healthy');
    expect(healthy.integrations.a).toMatchObject({
      status: 'connected',
      healthy: true,
      kind: 'llm',
      vendor: 'mock',
      circuit: 'closed',
    });
    expect((await status('connected', 'error')).overall_status).toBe('degraded');
    expect((await status('not_configured', 'connected')).overall_status).toBe('partial');
    expect((await status('not_configured', 'error')).overall_status).toBe('degraded');
  });
});

describe('validate before saving', () => {
  it('checks a candidate alone against the schema and live', async () => {
    const pb = make({
      env: { MOCK_API_KEY: 'platform-key' },
      config: { providers: { a: { kind: 'llm', vendor: 'mock', settings: { acceptedApiKeys: ['good-key'] } } } },
    });
    expect(await pb.validateCredentials('a', { apiKey: 'good-key' })).toMatchObject({ valid: true, issues: [] });
    const bad = await pb.validateCredentials('a', { apiKey: 'bad-key' });
    expect(bad.valid).toBe(false);
    expect(bad.health?.status).toBe('error');
    const empty = await pb.validateCredentials('a', {});
    expect(empty.valid).toBe(false);
    expect(empty.health?.status).toBe('not_configured');
  });
});

describe('user code never takes the process or a call down', () => {
  it('isolates a throwing listener and reports it on the error channel, naming the source', async () => {
    const reports: PatchbayErrorEvent[] = [];
    const pb = make({
      onError: (event) => reports.push(event),
      config: { providers: { a: { kind: 'llm', vendor: 'mock' } } },
    });
    pb.on('attempt', () => {
      throw new Error('listener bug');
    });
    const fromEvent: PatchbayErrorEvent[] = [];
    pb.on('error', (event) => {
      fromEvent.push(event);
      throw new Error('the error listener fails too');
    });
    const result = await pb.llm.generate(request);
    expect(result.provider).toBe('a');
    await new Promise((resolve) => setImmediate(resolve));
    expect(reports).toMatchObject([{ source: 'listener', eventType: 'attempt' }]);
    expect(fromEvent).toHaveLength(1);
  });

  it('isolates a sink that throws and one that rejects; flush waits for async sinks', async () => {
    const reports: PatchbayErrorEvent[] = [];
    const written: UsageRecord[] = [];
    const pb = make({
      onError: (event) => reports.push(event),
      usageSinks: [
        () => {
          throw new Error('sync sink bug');
        },
        async () => {
          throw new Error('database down');
        },
        async (record) => {
          await new Promise((resolve) => setImmediate(resolve));
          written.push(record);
        },
      ],
      config: { providers: { a: { kind: 'llm', vendor: 'mock' } } },
    });
    for (let index = 0; index < 5; index++) expect((await pb.llm.generate(request)).provider).toBe('a');
    expect(await pb.flush()).toEqual({ drained: true, pending: 0 });
    expect(written).toHaveLength(10);
    expect(reports.filter((report) => report.source === 'usage-sink' && report.sink === 0)).toHaveLength(10);
    expect(reports.filter((report) => report.source === 'usage-sink' && report.sink === 1)).toHaveLength(10);
  });

  it('close() waits for a hanging sink only up to its bound, reports it, and stops every timer', async () => {
    const clock = createFakeClock();
    try {
      const reports: PatchbayErrorEvent[] = [];
      const pb = createPatchbay({
        factories: mockFactories,
        env: false,
        onError: (event) => reports.push(event),
        usageSinks: [() => new Promise(() => {})],
        usageQueue: { capacity: 2, closeTimeoutMs: 1_000 },
        config: { providers: { a: { kind: 'llm', vendor: 'mock' } } },
      });
      for (let index = 0; index < 3; index++) await pb.llm.generate(request);
      expect(reports.some((report) => report.source === 'usage-queue-overflow')).toBe(true);
      const flushing = pb.flush({ timeoutMs: 10 });
      await clock.advance(10);
      expect(await flushing).toEqual({ drained: false, pending: 3 });
      let closed = false;
      const closing = pb.close().then(() => {
        closed = true;
      });
      await clock.advance(999);
      expect(closed).toBe(false);
      await clock.advance(1);
      await closing;
      expect(reports.at(-1)).toMatchObject({ source: 'usage-drain-timeout' });
      expect(clock.pendingTimers()).toBe(0);
    } finally {
      clock.uninstall();
    }
  });
});

/** A patchbay (closed after the test) on the mock factories plus an llm vendor `hung` whose test() never settles. */
function makeWithHungVendor(config: PatchbayOptions['config']): Patchbay {
  const hung = defineProviderFactory({
    kind: 'llm',
    vendor: 'hung',
    create: ({ id }) => ({
      specificationVersion: 'v1',
      id,
      kind: 'llm',
      vendor: 'hung',
      capabilities: { streaming: false, tools: false, images: false, jsonOutput: false },
      generate: () => Promise.reject(new Error('not used')),
      stream: () => Promise.reject(new Error('not used')),
      test: () => new Promise(() => {}),
      getConfig: () => ({ id }),
      updateConfig: async () => {},
    }),
  });
  const pb = createPatchbay({ factories: [...mockFactories, hung], env: false, config });
  open.push(pb);
  return pb;
}

describe('status tells the truth', () => {
  it('an open breaker makes its line unhealthy and the overall status degraded', async () => {
    const pb = make({
      config: {
        providers: { a: { kind: 'llm', vendor: 'mock', settings: { script: { error: 'unavailable' } } } },
        defaults: { breaker: { minimumCalls: 1, failureThresholdPercent: 1 }, retry: { maxRetries: 0 } },
      },
    });
    expect((await pb.status()).overall_status).toBe('healthy');
    await pb.llm.generate(request).catch(() => undefined);
    const report = await pb.status();
    expect(report.integrations.a).toMatchObject({ circuit: 'open', healthy: false, status: 'error' });
    expect(report.overall_status).toBe('degraded');
  });

  it('a provider failing every call is not connected even though test() passes', async () => {
    const pb = make({
      config: {
        providers: { a: { kind: 'llm', vendor: 'mock', settings: { script: { error: 'connection' } } } },
        defaults: { breaker: { enabled: false }, retry: { maxRetries: 0 } },
      },
    });
    for (let index = 0; index < 3; index++) await pb.llm.generate(request).catch(() => undefined);
    const report = await pb.status();
    expect(report.integrations.a).toMatchObject({
      healthy: false,
      status: 'error',
      recent_calls: { calls: 3, failures: 3 },
    });
    expect(report.integrations.a?.message).toContain('3 of the last 3 calls failed');
    expect(report.overall_status).toBe('degraded');
  });

  it('folds recent calls by the documented rule: at least 3 of them, half or more failed', async () => {
    const pb = make({
      config: {
        providers: {
          a: {
            kind: 'llm',
            vendor: 'mock',
            settings: { script: [{ error: 'connection' }, { error: 'connection' }, { text: 'ok' }] },
          },
        },
        defaults: { breaker: { enabled: false }, retry: { maxRetries: 0 } },
      },
    });
    const line = async () => (await pb.status()).integrations.a;
    for (let index = 0; index < 2; index++) await pb.llm.generate(request).catch(() => undefined);
    // 2 of 2 failed: fewer than 3 calls, the test() result stands.
    expect(await line()).toMatchObject({ status: 'connected', healthy: true, recent_calls: { calls: 2, failures: 2 } });
    await pb.llm.generate(request);
    expect(await line()).toMatchObject({ status: 'error', healthy: false, recent_calls: { calls: 3, failures: 2 } });
    await pb.llm.generate(request);
    // 2 of 4: exactly half is still failing.
    expect(await line()).toMatchObject({ status: 'error', healthy: false, recent_calls: { calls: 4, failures: 2 } });
    await pb.llm.generate(request);
    expect(await line()).toMatchObject({ status: 'connected', healthy: true, recent_calls: { calls: 5, failures: 2 } });
    // Only the last 20 count: after 20 more successes the early failures are gone.
    for (let index = 0; index < 20; index++) await pb.llm.generate(request);
    expect(await line()).toMatchObject({ recent_calls: { calls: 20, failures: 0 } });
  });

  it('bounds each provider’s check by health.timeoutMs: a hung test() is an error line, the others stand (fake clock)', async () => {
    const clock = createFakeClock();
    try {
      const pb = makeWithHungVendor({
        providers: { stuck: { kind: 'llm', vendor: 'hung' }, fine: { kind: 'llm', vendor: 'mock' } },
        health: { timeoutMs: 300 },
      });
      let report: Awaited<ReturnType<Patchbay['status']>> | undefined;
      void pb.status().then((answer) => {
        report = answer;
      });
      await clock.advance(299);
      expect(report).toBeUndefined();
      await clock.advance(1);
      expect(report?.integrations.stuck).toMatchObject({ status: 'error', healthy: false });
      expect(report?.integrations.stuck?.message).toContain('300 ms');
      expect(report?.integrations.fine).toMatchObject({ status: 'connected', healthy: true });
      expect(report?.overall_status).toBe('degraded');
      expect(clock.pendingTimers()).toBe(0);
    } finally {
      clock.uninstall();
    }
  });

  it('bounds each provider’s check at 5,000 ms by default (health.timeoutMs), not before (fake clock)', async () => {
    const clock = createFakeClock();
    try {
      const pb = makeWithHungVendor({ providers: { stuck: { kind: 'llm', vendor: 'hung' } } });
      let report: Awaited<ReturnType<Patchbay['status']>> | undefined;
      void pb.status().then((answer) => {
        report = answer;
      });
      await clock.advance(4_999);
      expect(report).toBeUndefined();
      await clock.advance(1);
      expect(report?.integrations.stuck).toMatchObject({ status: 'error', healthy: false });
      expect(report?.integrations.stuck?.message).toContain('5000 ms');
    } finally {
      clock.uninstall();
    }
  });

  it('a half-open breaker makes its line unhealthy too (fake clock)', async () => {
    const clock = createFakeClock();
    try {
      const pb = make({
        config: {
          providers: { a: { kind: 'llm', vendor: 'mock', settings: { script: { error: 'unavailable' } } } },
          defaults: {
            breaker: { minimumCalls: 1, failureThresholdPercent: 1, cooldownMs: 100 },
            retry: { maxRetries: 0 },
          },
        },
      });
      await pb.llm.generate(request).catch(() => undefined);
      await clock.advance(100);
      const report = await pb.status();
      expect(report.integrations.a).toMatchObject({ circuit: 'half-open', healthy: false, status: 'error' });
      expect(report.overall_status).toBe('degraded');
      await pb.close();
    } finally {
      clock.uninstall();
    }
  });

  it('a caller’s bad requests do not count against the provider', async () => {
    const pb = make({
      config: {
        providers: { a: { kind: 'llm', vendor: 'mock', settings: { script: { error: 'invalid_request' } } } },
        defaults: { retry: { maxRetries: 0 } },
      },
    });
    for (let index = 0; index < 5; index++) await pb.llm.generate(request).catch(() => undefined);
    expect((await pb.status()).integrations.a).toMatchObject({ healthy: true, status: 'connected' });
  });
});

describe('the kind accessors (patchbay.llm …)', () => {
  const failing = { kind: 'llm' as const, vendor: 'mock', settings: { script: { error: 'unavailable' } } };
  const healthy = { kind: 'llm' as const, vendor: 'mock' };

  it('without a route, use every provider of the kind in configured order', async () => {
    const pb = make({ config: { providers: { z: failing, voice: { kind: 'tts', vendor: 'mock' }, y: healthy } } });
    const failovers: unknown[] = [];
    pb.on('failover', (event) => failovers.push(event));
    expect((await pb.llm.generate(request)).provider).toBe('y');
    expect(failovers).toEqual([expect.objectContaining({ from: 'z', to: 'y' })]);
    expect((await pb.tts.synthesize({ text: 'hi' })).provider).toBe('voice');
  });

  it('use the only route of the kind when none is named after it, and the route named after it when there is one', async () => {
    const only = make({
      config: { providers: { z: failing, y: healthy }, routes: { chat: { kind: 'llm', providers: ['y'] } } },
    });
    expect((await only.llm.generate(request)).provider).toBe('y');
    expect((only.provider('z') as MockLanguageModel).calls).toHaveLength(0);
    const named = make({
      config: {
        providers: { z: healthy, y: healthy },
        routes: { chat: { kind: 'llm', providers: ['y'] }, llm: { providers: ['z'] } },
      },
    });
    expect((await named.llm.generate(request)).provider).toBe('z');
  });
});

describe('user code failures with nobody listening', () => {
  it('are announced once per source as a process warning, and the calls are unchanged', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => {
      if ((warning as { code?: string }).code === 'PATCHBAY_USER_CODE_FAILED') warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      const pb = make({
        config: { providers: { a: { kind: 'llm', vendor: 'mock' } } },
        usageSinks: [
          () => {
            throw new Error('sink bug');
          },
        ],
      });
      pb.on('attempt', () => {
        throw new Error('listener bug');
      });
      for (let index = 0; index < 3; index++) expect((await pb.llm.generate(request)).provider).toBe('a');
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((warning) => warning.message.split(' ')[1]).sort()).toEqual(['listener', 'usage-sink']);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('validateCredentials answers, never throws, and holds credential fields only', () => {
  const config = {
    providers: { a: { kind: 'llm' as const, vendor: 'mock', settings: { acceptedApiKeys: ['good-key'] } } },
  };

  it('answers a schema failure ({ apiKey: "" }) as an issue', async () => {
    const pb = make({ config });
    const answer = await pb.validateCredentials('a', { apiKey: '' });
    expect(answer.valid).toBe(false);
    expect(answer.issues.map((issue) => issue.path)).toContain('apiKey');
  });

  it('refuses settings in the candidate (baseURL: the SSRF path) before any call', async () => {
    const pb = make({ config });
    const answer = await pb.validateCredentials('a', { apiKey: 'good-key', baseURL: 'http://169.254.169.254' });
    expect(answer).toMatchObject({ valid: false, health: undefined });
    expect(answer.issues).toEqual([expect.objectContaining({ path: 'baseURL' })]);
    const model = await pb.validateCredentials('a', { apiKey: 'good-key', acceptedApiKeys: 'x' } as never);
    expect(model.issues.map((issue) => issue.path)).toEqual(['acceptedApiKeys']);
  });

  it('answers a candidate that is not an object', async () => {
    const pb = make({ config });
    expect((await pb.validateCredentials('a', 'key' as never)).valid).toBe(false);
  });

  it('rejects a question about a provider the configuration does not have (a caller error, not a candidate)', async () => {
    const pb = make({ config });
    const error = await pb.validateCredentials('nope', { apiKey: 'good-key' }).catch((caught: unknown) => caught);
    expect(PatchbayError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('"nope"') });
  });
});
