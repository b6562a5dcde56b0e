import { LruMap } from '../config/lru-map.js';
import { countOption, durationOption } from '../config/option-checks.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import { EventHub } from '../events/event-hub.js';
import { patchbayStatusHooks, type StatusHooks } from '../health/status-hooks.js';
import {
  foldHealth,
  type IntegrationStatus,
  type OverallStatus,
  overallStatus,
  type StatusReport,
  testWithTimeout,
} from '../health/status-report.js';
import type { Patchbay } from '../patchbay.js';
import { raceSignal } from '../routing/signals.js';
import type { HealthResult, HealthStatus } from '../spec/provider.js';
import type { StatusHistoryStore, StatusReportCache, StatusSample } from '../spec/state.js';
import { ConcurrencyLimit, mapWithConcurrency } from './concurrency-limit.js';
import { type CustomCheck, runCustomCheck } from './custom-check.js';
import { InMemoryStatusHistoryStore } from './in-memory-status-history.js';
import { type StatusSummary, summarizeStatusSamples } from './status-statistics.js';
import { type UsageWindowRow, UsageWindows, type UsageWindowsOptions } from './usage-windows.js';

/** A provider's (or custom check's) status changed, or a scope's overall status did. */
export type StatusChangedEvent =
  | {
      target: 'integration';
      integration: string;
      tenant: string | null;
      previous: HealthStatus;
      current: HealthStatus;
      message: string;
      at: string;
    }
  | {
      target: 'overall';
      tenant: string | null;
      previous: OverallStatus;
      current: OverallStatus;
      at: string;
    };

/** User code the monitor called failed (a check threw, the history store or cache failed or hung, a listener threw). */
export interface StatusMonitorErrorEvent {
  source: 'check' | 'history' | 'cache' | 'listener';
  error: unknown;
  /** The custom check's name, for `check`. */
  check?: string | undefined;
}

export interface StatusMonitorEvents extends Record<string, unknown> {
  status_changed: StatusChangedEvent;
  error: StatusMonitorErrorEvent;
}

export interface StatusMonitorOptions {
  /** Time between the end of one poll round and the start of the next. Default 60 s. */
  intervalMs?: number | undefined;
  /** Spread of each interval, as a share of it (0.1: ±10 %), so instances do not poll in step. Default 0.1. */
  jitter?: number | undefined;
  /** Time limit of each check; default the configuration's `health.timeoutMs`. */
  timeoutMs?: number | undefined;
  /** Checks running at once, across providers, custom checks and tenants. Default 4. */
  concurrency?: number | undefined;
  /** Named checks for dependencies that are not providers; they join every report and its overall status. */
  checks?: Readonly<Record<string, CustomCheck>> | undefined;
  /** Tenants polled in the background besides the platform view. Others are checked when first asked for. */
  tenants?: readonly string[] | undefined;
  /** Tenant reports held for tenants not in `tenants` (least recently read dropped first). Default 1,000. */
  maxTenants?: number | undefined;
  /** Where samples go; default an `InMemoryStatusHistoryStore`. */
  history?: StatusHistoryStore | undefined;
  /** Shares reports across instances: the lease holder polls and writes, the others read. */
  cache?: StatusReportCache | undefined;
  /** This instance's id for the poll lease; default a random UUID. */
  instanceId?: string | undefined;
  /** Answer `patchbay.status()` from this monitor while it runs. Default true. */
  attach?: boolean | undefined;
  /** Start polling at once. Default true; otherwise call `start()`. */
  autoStart?: boolean | undefined;
  /** Usage kept in time buckets for `usage({ windowMs })` (the status page); `false` keeps none. */
  usage?: UsageWindowsOptions | false | undefined;
  /** Random source for the jitter (tests). */
  random?: (() => number) | undefined;
}

export interface TenantStatusView {
  /** Null-prototype map from tenant id to its report. */
  tenants: Record<string, StatusReport>;
  /** The worst overall status across the tenants (healthy when there are none). */
  overall_status: OverallStatus;
  last_checked: string;
}

export interface StatusMonitor {
  readonly running: boolean;
  /** Tenant reports held (polled tenants plus at most `maxTenants` others), for diagnostics. */
  readonly tenantReports: number;
  /** Starts polling (no-op when running). */
  start(): void;
  /** Stops polling, aborts checks in flight, detaches from `patchbay.status()`; leaves no timer. */
  stop(): void;
  /** The last report for the platform or a tenant, at once; checks first only when none exists yet. */
  report(options?: { tenant?: string | undefined; signal?: AbortSignal | undefined }): Promise<StatusReport>;
  /** Checks now (joining a check already in flight for the same scope). */
  refresh(options?: { tenant?: string | undefined; signal?: AbortSignal | undefined }): Promise<StatusReport>;
  /** Reports for many tenants (for an admin page), at most `concurrency` tenants checked at once. */
  tenants(
    ids: readonly string[],
    options?: { refresh?: boolean | undefined; concurrency?: number | undefined },
  ): Promise<TenantStatusView>;
  /** Samples of one provider or check, oldest first. */
  history(
    integration: string,
    options?: { tenant?: string | undefined; windowMs?: number | undefined; limit?: number | undefined },
  ): Promise<StatusSample[]>;
  /** Uptime and latency percentiles of one provider or check over a window (default 1 h). */
  summary(
    integration: string,
    options?: { tenant?: string | undefined; windowMs?: number | undefined },
  ): Promise<StatusSummary>;
  /**
   * Usage and cost per tenant, provider and unit over the last `windowMs` (whole buckets; at most
   * the configured span, default 24 h), recorded while the monitor runs. `tenant: null` is the
   * platform's own usage; omitted, every tenant's.
   */
  usage(options: { windowMs: number; tenant?: string | null | undefined }): UsageWindowRow[];
  on<K extends keyof StatusMonitorEvents>(type: K, listener: (event: StatusMonitorEvents[K]) => void): () => void;
}

interface ScopeState {
  tenant: string | undefined;
  /** Last raw results (before folding with breaker state and recent calls). */
  raw: Map<string, { result: HealthResult; kind: string; vendor: string; custom: boolean }>;
  report: StatusReport | undefined;
  checkedAt: number;
  inflight: Promise<StatusReport> | undefined;
  refoldQueued: boolean;
}

const customKind = 'check';
const customVendor = 'custom';

function scopeName(tenant: string | undefined): string {
  return tenant === undefined ? 'platform' : `tenant:${tenant}`;
}

function isReport(value: unknown): value is StatusReport {
  const report = value as Partial<StatusReport> | null;
  return (
    typeof report === 'object' &&
    report !== null &&
    typeof report.integrations === 'object' &&
    report.integrations !== null &&
    typeof report.overall_status === 'string' &&
    typeof report.last_checked === 'string'
  );
}

const overallRank: Record<OverallStatus, number> = { healthy: 0, partial: 1, degraded: 2 };

/**
 * Polls a Patchbay's providers (and custom checks) on an interval and serves the last report at
 * once. While it runs, `patchbay.status()` answers from it (`refresh: true` checks now).
 */
export function createStatusMonitor(patchbay: Patchbay, options: StatusMonitorOptions = {}): StatusMonitor {
  const hooks = (patchbay as { [patchbayStatusHooks]?: StatusHooks } | undefined)?.[patchbayStatusHooks];
  if (!hooks) {
    throw new PatchbayError({
      code: 'invalid_request',
      message: 'createStatusMonitor: expected a Patchbay made by createPatchbay',
    });
  }
  const intervalMs = durationOption(options.intervalMs, 60_000, 'intervalMs', true);
  const jitter = options.jitter ?? 0.1;
  const random = options.random ?? Math.random;
  const gate = new ConcurrencyLimit(countOption(options.concurrency, 4, 'concurrency'));
  const history = options.history ?? new InMemoryStatusHistoryStore();
  const cache = options.cache;
  const instanceId = options.instanceId ?? crypto.randomUUID();
  const checkTimeout = () => durationOption(options.timeoutMs, hooks.timeoutMs(), 'timeoutMs', true);
  checkTimeout();
  if (options.jitter !== undefined && !(options.jitter >= 0 && options.jitter <= 1)) {
    throw new PatchbayError({ code: 'invalid_request', message: 'jitter: must be a share between 0 and 1' });
  }
  const checks = Object.entries(options.checks ?? {});
  for (const [name, check] of checks) {
    if (typeof check !== 'function') {
      throw new PatchbayError({ code: 'invalid_request', message: `checks.${name}: must be a function` });
    }
    if (hooks.entry(undefined, name)) {
      throw new PatchbayError({
        code: 'invalid_request',
        message: `checks.${name}: a provider already has this id; name the check differently`,
      });
    }
  }

  const events = new EventHub<StatusMonitorEvents>({
    onListenerError: (error, type) => {
      if (type !== 'error') events.emit('error', { source: 'listener', error });
    },
  });
  const reportError = (event: StatusMonitorErrorEvent) => events.emit('error', event);

  const newState = (tenant: string | undefined): ScopeState => ({
    tenant,
    raw: new Map(),
    report: undefined,
    checkedAt: 0,
    inflight: undefined,
    refoldQueued: false,
  });
  const platform = newState(undefined);
  const polled = new Map<string, ScopeState>();
  for (const tenant of options.tenants ?? []) {
    if (typeof tenant !== 'string')
      throw new PatchbayError({ code: 'invalid_request', message: 'tenants: every tenant id must be a string' });
    polled.set(tenant, newState(tenant));
  }
  const onDemand = new LruMap<string, ScopeState>(countOption(options.maxTenants, 1_000, 'maxTenants'));

  const stateFor = (tenant: string | undefined): ScopeState => {
    if (tenant === undefined) return platform;
    if (typeof tenant !== 'string')
      throw new PatchbayError({ code: 'invalid_request', message: 'tenant: the tenant id must be a string' });
    const known = polled.get(tenant) ?? onDemand.get(tenant);
    if (known) return known;
    const created = newState(tenant);
    onDemand.set(tenant, created);
    return created;
  };
  const heldStates = (): ScopeState[] => [platform, ...polled.values(), ...onDemand.values()];

  let running = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopController = new AbortController();
  let detach: (() => void) | undefined;

  /** Builds the report from the last raw results, folding in breaker state and recent calls now. */
  const fold = (state: ScopeState, lastChecked: string): StatusReport => {
    const integrations: Record<string, IntegrationStatus> = {};
    for (const [id, line] of state.raw) {
      const entry = line.custom ? undefined : hooks.entry(state.tenant, id);
      if (!line.custom && !entry) continue; // removed from the configuration since the check
      const circuit = entry?.circuit();
      const recent = entry?.recent();
      const result = entry ? foldHealth(line.result, circuit, recent) : line.result;
      integrations[id] = {
        status: result.status,
        message: result.message,
        healthy: result.healthy,
        details: result.details,
        kind: line.kind,
        vendor: line.vendor,
        latency_ms: result.latencyMs,
        circuit,
        recent_calls: recent,
      };
    }
    return {
      integrations,
      overall_status: overallStatus(Object.values(integrations).map((line) => line.status)),
      last_checked: lastChecked,
    };
  };

  const publish = (state: ScopeState, next: StatusReport): void => {
    const previous = state.report;
    state.report = next;
    if (!previous) return;
    const tenant = state.tenant ?? null;
    for (const [id, line] of Object.entries(next.integrations)) {
      const before = Object.hasOwn(previous.integrations, id) ? previous.integrations[id] : undefined;
      if (before && before.status !== line.status) {
        events.emit('status_changed', {
          target: 'integration',
          integration: id,
          tenant,
          previous: before.status,
          current: line.status,
          message: line.message,
          at: new Date().toISOString(),
        });
      }
    }
    if (previous.overall_status !== next.overall_status) {
      events.emit('status_changed', {
        target: 'overall',
        tenant,
        previous: previous.overall_status,
        current: next.overall_status,
        at: new Date().toISOString(),
      });
    }
  };

  const appendSamples = (state: ScopeState, at: number): void => {
    for (const [id, line] of state.raw) {
      const sample: StatusSample = {
        provider: id,
        tenant: state.tenant ?? null,
        at,
        status: line.result.status,
        latencyMs: line.result.latencyMs,
        code: line.result.code,
      };
      try {
        Promise.resolve(history.append(sample)).catch((error: unknown) => reportError({ source: 'history', error }));
      } catch (error) {
        reportError({ source: 'history', error });
      }
    }
  };

  /** A store or cache call, bounded in time; undefined (reported) when it fails or hangs. */
  const bounded = async <T>(source: 'history' | 'cache', call: () => T | Promise<T>): Promise<T | undefined> => {
    let timeout: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([
        Promise.resolve().then(call),
        new Promise<never>((_, reject) => {
          timeout = setTimeout(
            () => reject(new Error(`The status ${source} did not answer within ${checkTimeout()} ms`)),
            checkTimeout(),
          );
        }),
      ]);
    } catch (error) {
      reportError({ source, error });
      return undefined;
    } finally {
      clearTimeout(timeout);
    }
  };

  const checkLocally = async (state: ScopeState): Promise<StatusReport> => {
    const timeoutMs = checkTimeout();
    const signal = stopController.signal;
    const entries = hooks.entries(state.tenant);
    const providerResults = entries.map((entry) =>
      gate.run(async () => ({
        id: entry.provider.id,
        kind: entry.provider.kind,
        vendor: entry.provider.vendor,
        custom: false,
        result: await testWithTimeout(entry.provider, timeoutMs, { tenant: state.tenant, signal }),
      })),
    );
    const customResults = checks.map(([name, check]) =>
      gate.run(async () => ({
        id: name,
        kind: customKind,
        vendor: customVendor,
        custom: true,
        result: await runCustomCheck(name, check, {
          timeoutMs,
          tenant: state.tenant,
          signal,
          onThrow: (error) => reportError({ source: 'check', error, check: name }),
        }),
      })),
    );
    const lines = await Promise.all([...providerResults, ...customResults]);
    const at = Date.now();
    state.raw = new Map(lines.map(({ id, ...line }) => [id, line]));
    state.checkedAt = at;
    appendSamples(state, at);
    const report = fold(state, new Date(at).toISOString());
    publish(state, report);
    return report;
  };

  /** One check of a scope: through the shared cache when there is one (the lease holder checks, others read). */
  const check = (state: ScopeState, viaCache: boolean): Promise<StatusReport> => {
    if (state.inflight) return state.inflight;
    const run = async (): Promise<StatusReport> => {
      if (cache && viaCache) {
        const scope = scopeName(state.tenant);
        const leaseMs = intervalMs * 3;
        const lease = await bounded('cache', () => cache.acquirePollLease(scope, instanceId, leaseMs));
        if (lease === false) {
          const stored = await bounded('cache', () => cache.read(scope));
          if (typeof stored === 'string') {
            try {
              const parsed: unknown = JSON.parse(stored);
              if (isReport(parsed)) {
                state.checkedAt = Date.parse(parsed.last_checked) || Date.now();
                publish(state, parsed);
                return parsed;
              }
            } catch (error) {
              reportError({ source: 'cache', error });
            }
          }
        }
        const report = await checkLocally(state);
        if (lease === true) await bounded('cache', () => cache.write(scope, JSON.stringify(report), leaseMs));
        return report;
      }
      return checkLocally(state);
    };
    const pending = run().finally(() => {
      if (state.inflight === pending) state.inflight = undefined;
    });
    state.inflight = pending;
    return pending;
  };

  const waitFor = (promise: Promise<StatusReport>, signal: AbortSignal | undefined) =>
    signal ? raceSignal(promise, signal) : promise;

  const pollRound = async (): Promise<void> => {
    await Promise.all(
      [platform, ...polled.values()].map((state) =>
        check(state, true).catch((error: unknown) => reportError({ source: 'check', error })),
      ),
    );
  };

  const schedule = (delayMs: number): void => {
    timer = setTimeout(() => {
      timer = undefined;
      void pollRound().then(() => {
        if (running) schedule(intervalMs * (1 + jitter * (2 * random() - 1)));
      });
    }, delayMs);
    (timer as { unref?: () => void }).unref?.();
  };

  // Breaker changes and call outcomes change the folded status between polls: refold once per tick.
  const refold = (state: ScopeState): void => {
    if (!state.report || state.raw.size === 0 || state.refoldQueued) return;
    state.refoldQueued = true;
    queueMicrotask(() => {
      state.refoldQueued = false;
      if (state.report) publish(state, fold(state, state.report.last_checked));
    });
  };
  let unsubscribeCalls: (() => void) | undefined;
  let unsubscribeClose: (() => void) | undefined;
  const usageWindows = options.usage === false ? undefined : new UsageWindows(options.usage);
  let unsubscribeUsage: (() => void) | undefined;

  const monitor: StatusMonitor = {
    get running() {
      return running;
    },
    get tenantReports() {
      return polled.size + onDemand.size;
    },
    start() {
      if (running) return;
      running = true;
      stopController = new AbortController();
      if (options.attach !== false) {
        detach = hooks.attach({
          status: (tenant, { refresh, signal }) =>
            refresh ? monitor.refresh({ tenant, signal }) : monitor.report({ tenant, signal }),
        });
      }
      unsubscribeClose = hooks.onClose(() => monitor.stop());
      unsubscribeCalls = hooks.onCallSeen(({ tenant, reason }) => {
        // A breaker event does not say whose instance it was: refold every held report (breaker changes are rare).
        // A platform call refolds the platform report only, so busy traffic costs O(1) per call.
        if (reason === 'breaker') {
          for (const state of heldStates()) refold(state);
          return;
        }
        if (tenant === undefined) {
          refold(platform);
          return;
        }
        const state = polled.get(tenant) ?? onDemand.peek(tenant);
        if (state) refold(state);
        refold(platform);
      });
      if (usageWindows) unsubscribeUsage = patchbay.on('usage', usageWindows.record);
      schedule(0);
    },
    stop() {
      running = false;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      stopController.abort(new PatchbayError({ code: 'aborted', message: 'The status monitor stopped' }));
      // Checks asked for after stop() (monitor.refresh) run with a fresh signal.
      stopController = new AbortController();
      detach?.();
      detach = undefined;
      unsubscribeCalls?.();
      unsubscribeCalls = undefined;
      unsubscribeClose?.();
      unsubscribeClose = undefined;
      unsubscribeUsage?.();
      unsubscribeUsage = undefined;
    },
    async report({ tenant, signal } = {}) {
      const state = stateFor(tenant);
      if (state.report) {
        // A tenant nobody polls is refreshed in the background once its report is older than one interval.
        if (state !== platform && !polled.has(tenant as string) && Date.now() - state.checkedAt >= intervalMs) {
          check(state, true).catch((error: unknown) => reportError({ source: 'check', error }));
        }
        return state.report;
      }
      return waitFor(check(state, true), signal);
    },
    refresh({ tenant, signal } = {}) {
      return waitFor(check(stateFor(tenant), false), signal);
    },
    async tenants(ids, { refresh = false, concurrency = 4 } = {}) {
      countOption(concurrency, 4, 'concurrency');
      if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
        throw new PatchbayError({ code: 'invalid_request', message: 'tenants: expected an array of tenant ids' });
      }
      const unique = [...new Set(ids as string[])];
      const reports = await mapWithConcurrency(unique, concurrency, (tenant) =>
        refresh ? monitor.refresh({ tenant }) : monitor.report({ tenant }),
      );
      const tenants: Record<string, StatusReport> = Object.create(null);
      let worst: OverallStatus = 'healthy';
      unique.forEach((tenant, index) => {
        const report = reports[index] as StatusReport;
        tenants[tenant] = report;
        if (overallRank[report.overall_status] > overallRank[worst]) worst = report.overall_status;
      });
      return { tenants, overall_status: worst, last_checked: new Date().toISOString() };
    },
    async history(integration, { tenant, windowMs, limit } = {}) {
      // The window is (now - windowMs, now]: a sample exactly one window old belongs to the previous window.
      const since = windowMs === undefined ? undefined : Date.now() - windowMs + 1;
      return (
        (await bounded('history', () =>
          history.query({ provider: integration, tenant: tenant ?? null, since, limit }),
        )) ?? []
      );
    },
    async summary(integration, { tenant, windowMs = 3_600_000 } = {}) {
      return summarizeStatusSamples(await monitor.history(integration, { tenant, windowMs }));
    },
    usage: ({ windowMs, tenant }) => usageWindows?.rows({ windowMs, tenant }) ?? [],
    on: (type, listener) => events.on(type, listener),
  };
  if (options.autoStart !== false) monitor.start();
  return monitor;
}
