import { createFakeClock, type FakeClock, type MockLanguageModel, mockFactories } from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createPatchbay, type Patchbay } from '../patchbay.js';
import type { PatchbayConfigInput } from '../routing/routing-config.js';
import type { HealthResult } from '../spec/provider.js';
import type { StatusReportCache } from '../spec/state.js';
import { InMemoryStatusHistoryStore } from './in-memory-status-history.js';
import { createStatusMonitor, type StatusChangedEvent, type StatusMonitor } from './status-monitor.js';

let clock: FakeClock | undefined;
let open: Patchbay[] = [];
let monitors: StatusMonitor[] = [];

const llm = (extra: Record<string, unknown> = {}) => ({
  kind: 'llm' as const,
  vendor: 'mock',
  settings: { script: { text: 'ok' }, ...extra },
});

function patchbay(config: PatchbayConfigInput = { providers: { a: llm(), b: llm() } }): Patchbay {
  const instance = createPatchbay({ config, factories: mockFactories, env: false });
  open.push(instance);
  return instance;
}

function monitor(...args: Parameters<typeof createStatusMonitor>): StatusMonitor {
  const created = createStatusMonitor(...args);
  monitors.push(created);
  return created;
}

const mock = (pb: Patchbay, id: string) => pb.provider(id) as MockLanguageModel;

afterEach(() => {
  for (const created of monitors) created.stop();
  for (const instance of open) instance.close();
  monitors = [];
  open = [];
  clock?.uninstall();
  clock = undefined;
});

describe('createStatusMonitor', () => {
  it('stops with the Patchbay: close() leaves no monitor timer behind', async () => {
    clock = createFakeClock({ now: 0 });
    const pb = patchbay();
    let tests = 0;
    const status = monitor(pb, { intervalMs: 60_000, checks: { probe: () => ++tests > 0 } });
    await clock.runDue();
    expect(tests).toBe(1);
    await pb.close();
    expect(status.running).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
    await clock.advance(600_000);
    expect(tests).toBe(1);
  });

  it('is what carries the timers: an unmonitored Patchbay with routes, providers and calls leaves none pending', async () => {
    clock = createFakeClock({ now: 0 });
    const pb = patchbay({
      providers: {
        a: llm({ script: [{ error: 'unavailable' }, { text: 'a' }] }),
        b: llm(),
        sms: { kind: 'sms', vendor: 'mock' },
      },
      routes: { llm: { providers: ['a', 'b'], retry: { maxRetries: 1 }, attemptTimeoutMs: 5_000, deadlineMs: 20_000 } },
      tenants: { acme: { providers: { b: { settings: { script: { text: 'acme' } } } } } },
    });
    const request = { messages: [{ role: 'user' as const, content: 'hi' }] };
    expect(clock.pendingTimers()).toBe(0);
    // A failover from a to b, then calls a serves, a tenant's call, an SMS and a status check.
    expect((await pb.llm.generate(request)).provider).toBe('b');
    expect((await pb.llm.generate(request)).provider).toBe('a');
    await pb.llm.generate(request);
    await pb.tenant('acme').llm.generate(request);
    await pb.sms.send({ to: '+250788123456', body: 'hi' });
    expect((await pb.status()).overall_status).toBe('healthy');
    expect(clock.pendingTimers()).toBe(0);
    // …whereas a monitor arms its round at once.
    const status = monitor(pb, { intervalMs: 60_000 });
    expect(clock.pendingTimers()).toBe(1);
    status.stop();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('polls on its interval with jitter, serves the last report at once, and leaves no timer after stop()', async () => {
    clock = createFakeClock({ now: 0 });
    const pb = patchbay();
    let tests = 0;
    const probe = () => {
      tests++;
      return true;
    };
    // random() = 1 → +10 % jitter: the next round starts 66 s after the previous one ended.
    const status = monitor(pb, { intervalMs: 60_000, jitter: 0.1, random: () => 1, checks: { probe } });
    await clock.runDue();
    expect(tests).toBe(1);
    const first = await pb.status();
    expect(first.overall_status).toBe('healthy');
    expect(first.integrations.a?.status).toBe('connected');
    await clock.advance(65_999);
    expect(tests).toBe(1);
    // Served from memory: asking does not test again.
    expect(await pb.status()).toBe(first);
    expect(tests).toBe(1);
    await clock.advance(1);
    expect(tests).toBe(2);
    status.stop();
    expect(clock.pendingTimers()).toBe(0);
    await clock.advance(600_000);
    expect(tests).toBe(2);
    expect(status.running).toBe(false);
  });

  it('re-arms after the round ends: a check slower than the interval never overlaps the next round', async () => {
    clock = createFakeClock({ now: 0 });
    const pb = patchbay();
    const starts: number[] = [];
    let running = 0;
    let most = 0;
    // Each check of `a` takes 25 s, longer than the 10 s interval (and within the 60 s check timeout).
    Object.assign(mock(pb, 'a'), {
      test: async (): Promise<HealthResult> => {
        starts.push(Date.now());
        most = Math.max(most, ++running);
        try {
          await new Promise((resolve) => setTimeout(resolve, 25_000));
          return { status: 'connected', healthy: true, message: 'slow', latencyMs: 25_000, checkedAt: '' };
        } finally {
          running--;
        }
      },
    });
    monitor(pb, { intervalMs: 10_000, jitter: 0, timeoutMs: 60_000 });
    await clock.advance(34_999);
    expect(starts).toEqual([0]);
    await clock.advance(1);
    // Round 1 ran 0–25 s; round 2 was armed when it ended and starts 10 s later.
    expect(starts).toEqual([0, 35_000]);
    await clock.advance(65_000);
    expect(starts).toEqual([0, 35_000, 70_000]);
    expect(most).toBe(1);
    expect((await pb.status()).integrations.a?.status).toBe('connected');
  });

  it('emits status_changed per provider and overall when a provider goes down and comes back', async () => {
    clock = createFakeClock({ now: 0 });
    const pb = patchbay();
    const status = monitor(pb, { intervalMs: 10_000, jitter: 0 });
    const changes: StatusChangedEvent[] = [];
    status.on('status_changed', (event) => changes.push(event));
    await clock.runDue();
    expect(changes).toEqual([]);
    mock(pb, 'b').setHealth('error');
    await clock.advance(10_000);
    expect(changes).toMatchObject([
      { target: 'integration', integration: 'b', tenant: null, previous: 'connected', current: 'error' },
      { target: 'overall', tenant: null, previous: 'healthy', current: 'degraded' },
    ]);
    expect((await pb.status()).integrations.b?.healthy).toBe(false);
    mock(pb, 'b').setHealth('connected');
    await clock.advance(10_000);
    expect(changes.slice(2)).toMatchObject([
      { target: 'integration', integration: 'b', previous: 'error', current: 'connected' },
      { target: 'overall', previous: 'degraded', current: 'healthy' },
    ]);
  });

  it('refresh: true checks at once, joining a check already in flight', async () => {
    clock = createFakeClock({ now: 0 });
    const pb = patchbay();
    monitor(pb, { intervalMs: 60_000 });
    await clock.runDue();
    mock(pb, 'a').setHealth('error');
    expect((await pb.status()).integrations.a?.status).toBe('connected');
    const [one, two] = await Promise.all([pb.status({ refresh: true }), pb.status({ refresh: true })]);
    expect(one).toBe(two);
    expect(one.integrations.a?.status).toBe('error');
  });

  it('folds breaker state and failing calls between polls (a provider whose calls fail is not connected)', async () => {
    clock = createFakeClock({ now: 0 });
    const pb = patchbay({
      providers: { a: llm({ script: { error: 'unavailable' } }), b: llm() },
      routes: { llm: { providers: ['a', 'b'] } },
    });
    const status = monitor(pb, { intervalMs: 60_000 });
    const changes: StatusChangedEvent[] = [];
    status.on('status_changed', (event) => changes.push(event));
    await clock.runDue();
    expect((await pb.status()).integrations.a?.status).toBe('connected');
    for (let index = 0; index < 3; index++) await pb.llm.generate({ messages: [{ role: 'user', content: 'hi' }] });
    await clock.runDue();
    const report = await pb.status();
    expect(report.integrations.a).toMatchObject({ status: 'error', healthy: false });
    expect(changes).toContainEqual(expect.objectContaining({ integration: 'a', current: 'error' }));
  });

  it('runs at most `concurrency` checks at once and times out a hanging custom check without blocking the others', async () => {
    clock = createFakeClock({ now: 0 });
    const pb = patchbay({ providers: {} });
    let running = 0;
    let most = 0;
    const slow = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 100));
      running--;
      return true;
    };
    const status = monitor(pb, {
      concurrency: 2,
      timeoutMs: 1_000,
      checks: {
        one: slow,
        two: slow,
        three: slow,
        hang: () => new Promise(() => {}),
        thrower: () => {
          throw new Error('connect to postgres://admin:hunter2@db failed');
        },
        reported: async () => ({ status: 'error' as const, message: 'Stripe answered 401' }),
      },
    });
    const errors: unknown[] = [];
    status.on('error', (event) => errors.push(event.error));
    await clock.advance(2_000);
    const report = await status.report();
    expect(most).toBe(2);
    expect(report.integrations.one).toMatchObject({ status: 'connected', kind: 'check', vendor: 'custom' });
    expect(report.integrations.hang).toMatchObject({ status: 'error' });
    expect(report.integrations.hang?.message).toContain('timed out after 1000 ms');
    expect(report.integrations.reported?.message).toBe('Stripe answered 401');
    expect(report.integrations.thrower?.status).toBe('error');
    expect(JSON.stringify(report)).not.toContain('hunter2');
    expect(errors).toHaveLength(1);
    expect(report.overall_status).toBe('degraded');
  });

  it('refuses a custom check named like a provider, and a non-Patchbay', () => {
    const pb = patchbay();
    expect(() => createStatusMonitor(pb, { checks: { a: () => true }, autoStart: false })).toThrow(/checks\.a/);
    expect(() => createStatusMonitor({} as Patchbay)).toThrow(/createPatchbay/);
    for (const [field, value] of [
      ['intervalMs', 0],
      ['timeoutMs', Number.NaN],
      ['concurrency', Number.NaN],
      ['maxTenants', 0.5],
      ['jitter', 2],
    ] as const) {
      expect(() => createStatusMonitor(pb, { [field]: value, autoStart: false })).toThrow(new RegExp(`^${field}:`));
    }
  });

  it('keeps per-tenant reports and a bulk view with bounded concurrency and bounded memory', async () => {
    clock = createFakeClock({ now: 0 });
    const pb = patchbay({
      providers: { a: llm({ requireApiKey: true }) },
      tenants: { acme: { providers: { a: { settings: { apiKey: 'sk-acme' } } } } },
    });
    let most = 0;
    let running = 0;
    const status = monitor(pb, {
      tenants: ['acme'],
      maxTenants: 50,
      checks: {
        database: async ({ tenant }) => {
          running++;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 10));
          running--;
          return tenant !== 'broken';
        },
      },
    });
    await clock.advance(100);
    expect((await pb.tenant('acme').status()).overall_status).toBe('healthy');
    expect((await pb.status()).integrations.a?.status).toBe('not_configured');
    const ids = Array.from({ length: 500 }, (_, index) => `tenant-${index}`);
    const pending = status.tenants([...ids, 'broken', '__proto__'], { concurrency: 3 });
    await clock.advance(10_000);
    const view = await pending;
    expect(most).toBeLessThanOrEqual(4);
    expect(Object.getPrototypeOf(view.tenants)).toBe(null);
    const proto = '__proto__';
    expect(view.tenants[proto]?.integrations.database?.status).toBe('connected');
    expect(view.tenants.broken?.integrations.database?.status).toBe('error');
    expect(view.overall_status).toBe('degraded');
    // 502 tenants asked for, 1 polled + at most 50 others held.
    expect(status.tenantReports).toBe(51);
  });

  it('records bounded history: uptime and latency percentiles over a window', async () => {
    clock = createFakeClock({ now: 0 });
    const pb = patchbay({ providers: { a: llm() } });
    const history = new InMemoryStatusHistoryStore({ maxSamplesPerSeries: 100 });
    const status = monitor(pb, { intervalMs: 60_000, jitter: 0, history });
    await clock.runDue();
    for (let minute = 1; minute < 240; minute++) {
      if (minute === 200) mock(pb, 'a').setHealth('error');
      if (minute === 230) mock(pb, 'a').setHealth('connected');
      await clock.advance(60_000);
    }
    const all = await status.history('a');
    expect(all).toHaveLength(100);
    const lastHour = await status.summary('a', { windowMs: 3_600_000 });
    expect(lastHour.samples).toBe(60);
    expect(lastHour.uptime).toBeCloseTo(30 / 60);
    expect(lastHour.latencyMs.p50).not.toBeNull();
  });

  it('with a shared cache, the lease holder polls and another instance reads its report', async () => {
    clock = createFakeClock({ now: 0 });
    const leases = new Map<string, { holder: string; until: number }>();
    const reports = new Map<string, string>();
    const cache: StatusReportCache = {
      acquirePollLease(scope, instanceId, ttlMs) {
        const lease = leases.get(scope);
        if (lease && lease.holder !== instanceId && lease.until > Date.now()) return false;
        leases.set(scope, { holder: instanceId, until: Date.now() + ttlMs });
        return true;
      },
      write: (scope, report) => void reports.set(scope, report),
      read: (scope) => reports.get(scope),
    };
    const first = patchbay();
    const second = patchbay();
    mock(second, 'a').setHealth('error');
    monitor(first, { cache, instanceId: 'one', attach: true });
    await clock.runDue();
    monitor(second, { cache, instanceId: 'two' });
    await clock.runDue();
    // The second instance never checked its own (failing) provider: it shows the lease holder's report.
    expect((await second.status()).integrations.a?.status).toBe('connected');
    expect(reports.has('platform')).toBe(true);
  });

  it('checks locally when the shared cache holds something that is not a report', async () => {
    clock = createFakeClock({ now: 0 });
    const pb = patchbay();
    mock(pb, 'a').setHealth('error');
    const status = monitor(pb, {
      cache: { acquirePollLease: () => false, write: () => {}, read: () => '{"__proto__": {"polluted": true}}' },
    });
    await clock.runDue();
    const report = await pb.status();
    expect(report.integrations.a?.status).toBe('error');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(status.running).toBe(true);
  });

  it('isolates a history store and cache that throw or hang', async () => {
    clock = createFakeClock({ now: 0 });
    const pb = patchbay();
    const status = monitor(pb, {
      timeoutMs: 500,
      history: {
        append: () => {
          throw new Error('disk full');
        },
        query: () => new Promise(() => {}),
      },
      cache: {
        acquirePollLease: () => new Promise(() => {}),
        write: () => {},
        read: () => undefined,
      },
    });
    const errors: string[] = [];
    status.on('error', (event) => errors.push(event.source));
    await clock.advance(1_000);
    expect((await pb.status()).overall_status).toBe('healthy');
    const pending = status.history('a');
    await clock.advance(500);
    expect(await pending).toEqual([]);
    expect(errors).toContain('cache');
    expect(errors).toContain('history');
  });

  it('answers status() directly again once stopped', async () => {
    clock = createFakeClock({ now: 0 });
    const pb = patchbay();
    const status = monitor(pb);
    await clock.runDue();
    const cached = await pb.status();
    status.stop();
    const direct = await pb.status();
    expect(direct).not.toBe(cached);
    expect(direct.overall_status).toBe('healthy');
  });
});

describe('createStatusMonitor defaults and tenant reports (README: Status monitor)', () => {
  it('spreads each interval by ±10 % by default (jitter 0.1)', async () => {
    clock = createFakeClock({ now: 0 });
    const pb = patchbay();
    let rounds = 0;
    const draws = [1, 0];
    // random() = 1 → +10 %, then 0 → −10 %.
    monitor(pb, { intervalMs: 60_000, random: () => draws.shift() ?? 0.5, checks: { probe: () => void rounds++ } });
    await clock.runDue();
    expect(rounds).toBe(1);
    await clock.advance(65_999);
    expect(rounds).toBe(1);
    await clock.advance(1);
    expect(rounds).toBe(2);
    await clock.advance(53_999);
    expect(rounds).toBe(2);
    await clock.advance(1);
    expect(rounds).toBe(3);
  });

  it('times each check out at the configuration’s health.timeoutMs by default (5,000 ms)', async () => {
    clock = createFakeClock({ now: 0 });
    const pb = patchbay({ providers: { a: llm() } });
    monitor(pb, { checks: { stuck: () => new Promise<never>(() => {}) } });
    let report: Awaited<ReturnType<Patchbay['status']>> | undefined;
    void pb.status().then((answer) => {
      report = answer;
    });
    await clock.advance(4_999);
    expect(report).toBeUndefined();
    await clock.advance(1);
    expect(report?.integrations.stuck).toMatchObject({
      status: 'error',
      message: 'Check "stuck" timed out after 5000 ms',
    });
    expect(report?.integrations.a?.status).toBe('connected');
  });

  it('holds 1,000 tenant reports by default: the 1,001st tenant read drops the least recently read', async () => {
    clock = createFakeClock({ now: 0 });
    const pb = patchbay({ providers: { a: llm() } });
    const checked = new Map<string, number>();
    const status = monitor(pb, {
      checks: { probe: ({ tenant }) => void (tenant && checked.set(tenant, (checked.get(tenant) ?? 0) + 1)) },
    });
    await clock.runDue();
    for (let index = 0; index < 1_000; index++) await status.report({ tenant: `t${index}` });
    expect(status.tenantReports).toBe(1_000);
    expect(checked.size).toBe(1_000);
    await status.report({ tenant: 't1000' });
    expect(status.tenantReports).toBe(1_000);
    // t1 is still held (served without a check); t0, read least recently, was dropped and is checked again.
    await status.report({ tenant: 't1' });
    expect(checked.get('t1')).toBe(1);
    await status.report({ tenant: 't0' });
    expect(checked.get('t0')).toBe(2);
  });

  it('drops the least recently read tenant report first, not the least recently added', async () => {
    clock = createFakeClock({ now: 0 });
    const pb = patchbay({ providers: { a: llm() } });
    const checked: string[] = [];
    const status = monitor(pb, {
      maxTenants: 3,
      checks: { probe: ({ tenant }) => void (tenant && checked.push(tenant)) },
    });
    await clock.runDue();
    for (const tenant of ['a', 'b', 'c']) await status.report({ tenant });
    // Reading "a" again makes "b" the least recently read.
    await status.report({ tenant: 'a' });
    await status.report({ tenant: 'd' });
    expect(checked).toEqual(['a', 'b', 'c', 'd']);
    await status.report({ tenant: 'a' });
    await status.report({ tenant: 'c' });
    expect(checked).toEqual(['a', 'b', 'c', 'd']);
    await status.report({ tenant: 'b' });
    expect(checked).toEqual(['a', 'b', 'c', 'd', 'b']);
  });

  it('serves a tenant report older than one interval at once and refreshes it in the background', async () => {
    clock = createFakeClock({ now: 0 });
    const pb = patchbay({ providers: { a: llm() } });
    let healthy = true;
    let tenantChecks = 0;
    const status = monitor(pb, {
      intervalMs: 60_000,
      jitter: 0,
      checks: {
        db: ({ tenant }) => {
          if (tenant !== undefined) tenantChecks++;
          return healthy;
        },
      },
    });
    await clock.runDue();
    const first = await status.report({ tenant: 'acme' });
    expect(first.integrations.db?.status).toBe('connected');
    expect(tenantChecks).toBe(1);
    healthy = false;
    await clock.advance(59_999);
    expect(await status.report({ tenant: 'acme' })).toBe(first);
    await clock.runDue();
    expect(tenantChecks).toBe(1);
    await clock.advance(1);
    // One interval old: the old report is the answer, and a check starts behind it.
    expect(await status.report({ tenant: 'acme' })).toBe(first);
    await clock.runDue();
    expect(tenantChecks).toBe(2);
    const refreshed = await status.report({ tenant: 'acme' });
    expect(refreshed).not.toBe(first);
    expect(refreshed.integrations.db?.status).toBe('error');
  });

  it('stop() aborts the checks in flight: their signals abort and the pending report settles at once', async () => {
    clock = createFakeClock({ now: 0 });
    const pb = patchbay({ providers: { a: llm() } });
    const signals: AbortSignal[] = [];
    const status = monitor(pb, {
      timeoutMs: 60_000,
      checks: {
        stuck: ({ signal }) => {
          signals.push(signal);
          return new Promise<never>(() => {});
        },
      },
    });
    let report: Awaited<ReturnType<Patchbay['status']>> | undefined;
    void status.report().then((answer) => {
      report = answer;
    });
    await clock.runDue();
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(false);
    status.stop();
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toMatchObject({ code: 'aborted' });
    await clock.runDue();
    expect(report?.integrations.stuck?.status).toBe('error');
    expect(report?.integrations.stuck?.message).not.toContain('timed out');
    expect(clock.pendingTimers()).toBe(0);
  });

  it('takes the poll lease for 3 intervals', async () => {
    clock = createFakeClock({ now: 0 });
    const leases: number[] = [];
    const writes: number[] = [];
    const cache: StatusReportCache = {
      acquirePollLease: (_scope, _instance, ttlMs) => {
        leases.push(ttlMs);
        return true;
      },
      write: (_scope, _report, ttlMs) => void writes.push(ttlMs),
      read: () => undefined,
    };
    monitor(patchbay(), { cache });
    monitor(patchbay(), { cache, intervalMs: 10_000 });
    await clock.runDue();
    expect(leases).toEqual([180_000, 30_000]);
    expect(writes).toEqual([180_000, 30_000]);
  });
});

describe('InMemoryStatusHistoryStore', () => {
  it('stays bounded at high cardinality (series and samples)', async () => {
    const store = new InMemoryStatusHistoryStore({ maxSeries: 100, maxSamplesPerSeries: 5 });
    for (let tenant = 0; tenant < 10_000; tenant++) {
      for (let sample = 0; sample < 10; sample++) {
        store.append({ provider: 'a', tenant: `t${tenant}`, at: sample, status: 'connected', latencyMs: sample });
      }
    }
    expect(store.seriesCount).toBe(100);
    expect(await store.query({ provider: 'a', tenant: 't0' })).toEqual([]);
    const last = await store.query({ provider: 'a', tenant: 't9999' });
    expect(last.map((sample) => sample.at)).toEqual([5, 6, 7, 8, 9]);
    expect(await store.query({ provider: 'a', tenant: 't9999', since: 7, until: 9 })).toHaveLength(2);
    expect((await store.query({ limit: 3 })).map((sample) => sample.at)).toEqual([9, 9, 9]);
  });

  it('keeps 1,440 samples per series by default, dropping the oldest', async () => {
    const store = new InMemoryStatusHistoryStore();
    const append = (at: number) => store.append({ provider: 'a', tenant: null, at, status: 'connected', latencyMs: 1 });
    for (let at = 0; at < 1_440; at++) append(at);
    const full = await store.query({ provider: 'a', tenant: null });
    expect([full.length, full[0]?.at]).toEqual([1_440, 0]);
    append(1_440);
    const after = await store.query({ provider: 'a', tenant: null });
    expect([after.length, after[0]?.at, after.at(-1)?.at]).toEqual([1_440, 1, 1_440]);
  });

  it('keeps 10,000 series by default, dropping the least recently written', async () => {
    const store = new InMemoryStatusHistoryStore();
    const append = (tenant: number) =>
      store.append({ provider: 'a', tenant: `t${tenant}`, at: tenant, status: 'connected', latencyMs: 1 });
    for (let tenant = 0; tenant < 10_000; tenant++) append(tenant);
    expect(store.seriesCount).toBe(10_000);
    expect(await store.query({ provider: 'a', tenant: 't0' })).toHaveLength(1);
    append(10_000);
    expect(store.seriesCount).toBe(10_000);
    expect(await store.query({ provider: 'a', tenant: 't0' })).toEqual([]);
    expect(await store.query({ provider: 'a', tenant: 't1' })).toHaveLength(1);
  });
});
