import { type AuditActor, type AuditOptions, AuditTrail } from './audit/audit-trail.js';
import { configChanges } from './audit/config-changes.js';
import { LruMap } from './config/lru-map.js';
import { countOption, durationOption } from './config/option-checks.js';
import type { CredentialStore, CredentialValues } from './credentials/credential-store.js';
import { healthCodes } from './errors/error-codes.js';
import { PatchbayError } from './errors/patchbay-error.js';
import { EventHub } from './events/event-hub.js';
import { RecentOutcomes } from './health/recent-outcomes.js';
import { patchbayStatusHooks, type StatusEntry, type StatusHooks, type StatusSource } from './health/status-hooks.js';
import { buildStatusReport, type StatusReport } from './health/status-report.js';
import { InMemoryLimitStore } from './limits/in-memory-limit-store.js';
import { defaultLimitStoreTimeoutMs, LimitGate } from './limits/limit-gate.js';
import { InMemoryUsageAggregator } from './metering/in-memory-usage-aggregator.js';
import { PriceTable } from './metering/price-table.js';
import { type ReportedCost, reportedCostRecord } from './metering/reported-cost.js';
import { UsageMeter } from './metering/usage-meter.js';
import type { UsageSink } from './metering/usage-sink.js';
import { ConfigStore } from './patchbay/config-store.js';
import { type CredentialAdmin, createCredentialAdmin } from './patchbay/credential-admin.js';
import { type CredentialValidation, validateCandidateCredentials } from './patchbay/credential-validation.js';
import { ErrorChannel, type PatchbayErrorEvent, type PatchbayErrorHandler } from './patchbay/error-channel.js';
import { ProviderBuilder } from './patchbay/provider-builder.js';
import { type CatalogueEntry, describeFactory } from './patchbay/provider-catalogue.js';
import { ProviderRegistry } from './patchbay/provider-registry.js';
import { implicitRoute } from './patchbay/route-resolution.js';
import { dispatchByTenant, pinTenant } from './patchbay/tenant-binding.js';
import { defaultMaxTenantScopes, type Scope, TenantScopes } from './patchbay/tenant-scopes.js';
import { UsageDispatcher, type UsageQueueOptions } from './patchbay/usage-dispatcher.js';
import type { ProviderFactory } from './provider/provider-factory.js';
import { own } from './routing/load-config.js';
import { type ResolvedRoute, RouteExecutor } from './routing/route-executor.js';
import {
  createRoutedProvider,
  type RoutedLanguageModel,
  type RoutedMessagingProvider,
  type RoutedSpeechSynthesizer,
  type RoutedTranscriber,
  type RouteHandle,
} from './routing/routed-providers.js';
import { breakerPolicySchema, type PatchbayConfig, type PatchbayConfigInput } from './routing/routing-config.js';
import type { PatchbayEvents } from './routing/routing-events.js';
import { redactConfig } from './secrets/redact.js';
import type { BaseProvider } from './spec/provider.js';
import type { LimitStore, SharedState } from './spec/state.js';

export type { AuditActor, AuditOptions } from './audit/audit-trail.js';
export type { LimitWarningEvent } from './limits/limit-gate.js';
export type {
  CredentialAdmin,
  CredentialDescription,
  CredentialFieldDescription,
} from './patchbay/credential-admin.js';
export type { CredentialValidation } from './patchbay/credential-validation.js';
export type { PatchbayErrorEvent, PatchbayErrorHandler, PatchbayErrorSource } from './patchbay/error-channel.js';
export type { CatalogueCredentialField, CatalogueEntry } from './patchbay/provider-catalogue.js';
export type { UsageQueueOptions } from './patchbay/usage-dispatcher.js';

export interface PatchbayOptions {
  /** The declarative configuration (plain data; `Secret`s allowed wherever a secret goes); validated completely at load. */
  config: PatchbayConfigInput;
  /** The adapters configuration may use, e.g. `[openaiLanguageModelFactory, twilioSmsProviderFactory]`. */
  factories: readonly ProviderFactory[];
  /** Per-tenant credentials. */
  credentialStore?: CredentialStore | undefined;
  /** Environment for credentials; defaults to `process.env`; `false` disables it. */
  env?: Readonly<Record<string, string | undefined>> | false | undefined;
  /** HTTP client handed to every adapter (tests, proxies). */
  fetch?: typeof globalThis.fetch | undefined;
  /** Receive every usage record (a database writer, a queue). Each sink is isolated: see `usageQueue`. */
  usageSinks?: readonly UsageSink[] | undefined;
  /** Bounds of the per-sink queue that holds records while an asynchronous sink is busy. */
  usageQueue?: (UsageQueueOptions & { closeTimeoutMs?: number | undefined }) | undefined;
  /**
   * Receives failures of user code — a listener that threw, a usage sink that
   * threw or rejected, a full sink queue, a sink that did not drain at `close()`.
   * The `error` event gets the same reports. Neither changes a call's result.
   */
  onError?: PatchbayErrorHandler | undefined;
  /**
   * Audit trail of configuration and credential changes: records go to `audit.sinks` (e.g. an
   * `InMemoryAuditLog`), isolated from the operation. Without it nothing is recorded.
   */
  audit?: AuditOptions | undefined;
  /**
   * Counters behind `config.limits` (budgets and rate limits). Default: an `InMemoryLimitStore` for this
   * process; give a shared one (`@patchbay/redis`) when several instances enforce the same limits.
   */
  limitStore?: LimitStore | undefined;
  /** How long a call waits for an asynchronous limit store before going ahead without it (fail open). Default 200 ms. */
  limitStoreTimeoutMs?: number | undefined;
  /** State shared with other instances (breakers), e.g. `createRedisSharedState(…)` from `@patchbay/redis`. */
  sharedState?: SharedState | undefined;
  /** Bounds on per-tenant structures (least recently used go first; rebuilt on the next use). */
  tenantLimits?:
    | {
        /**
         * Tenant scopes (tenants with overrides) held at once. Default 1,000. A scope with an open breaker is kept past
         * it (for its cool-down), up to twice this many.
         */
        maxScopes?: number | undefined;
        /** Tenant views (`tenant(id)`) and routed handles held at once. Default 1,000 views, 4× as many handles. */
        maxViews?: number | undefined;
      }
    | undefined;
}

/** Routed providers, per kind and per route name; what application code calls. */
export interface PatchbayProviders {
  /** The `llm` route (or the only LLM route, or all LLM providers in configured order). */
  readonly llm: RoutedLanguageModel;
  readonly tts: RoutedSpeechSynthesizer;
  readonly stt: RoutedTranscriber;
  readonly sms: RoutedMessagingProvider;
  readonly whatsapp: RoutedMessagingProvider;
  /** A route by name. */
  route(name: string): BaseProvider;
  /** One configured provider, unrouted (in a tenant's view: bound to that tenant). */
  provider(id: string): BaseProvider;
  /**
   * Every configured provider's `test()` in parallel, folded with breaker state and recent calls.
   * While a status monitor runs (`createStatusMonitor`), answers its last report at once instead;
   * `refresh: true` makes the monitor check now.
   */
  status(options?: { signal?: AbortSignal; refresh?: boolean }): Promise<StatusReport>;
}

/** Every event `patchbay.on` offers: the routing events plus `error` (the error channel). */
export interface PatchbayEventMap extends PatchbayEvents {
  error: PatchbayErrorEvent;
}

export interface Patchbay extends PatchbayProviders {
  /** The same providers seen by one tenant: its overrides, its credentials, its usage labels. */
  tenant(id: string): PatchbayProviders;
  /** Subscribe to `attempt`, `retry`, `failover`, `breaker`, `usage`, `error`; returns an unsubscribe. */
  on<K extends keyof PatchbayEventMap>(type: K, listener: (event: PatchbayEventMap[K]) => void): () => void;
  /** Usage summed per tenant, provider, model and unit since start. */
  readonly usage: InMemoryUsageAggregator;
  /**
   * Merges a patch into the configuration, validates the whole, and swaps it in
   * at once (e.g. a new primary). Invalid: throws naming the path; nothing changes.
   * Audited (one record per provider, route or limit changed) with the `actor` given.
   */
  updateConfig(patch: Record<string, unknown>, options?: AuditActor): Promise<void>;
  /** Per-tenant credentials: set, rotate, delete, describe — validated against each adapter's spec and audited. */
  readonly credentials: CredentialAdmin;
  /** What every configured factory offers (label, kind, capabilities, credential fields, settings schema). */
  catalogue(): CatalogueEntry[];
  /** The configuration with provider secrets redacted. */
  getConfig(): Record<string, unknown>;
  /**
   * Checks a candidate credential set (credential fields only) for a configured
   * provider against the adapter's schema, then live with `test()` — using the
   * candidate alone, no environment or stored values. Never throws for a bad
   * candidate: the answer lists the issues.
   */
  validateCredentials(
    provider: string,
    candidate: CredentialValues,
    options?: { tenant?: string; signal?: AbortSignal; actor?: string | null },
  ): Promise<CredentialValidation>;
  /**
   * Meters a cost a vendor reported after the call (an SMS delivery report's price): one usage record
   * with quantity 0 and that cost, to the aggregator, the sinks and `usage` listeners alike.
   * A provider that is not configured, or a malformed amount or currency, is `invalid_request`.
   */
  recordReportedCost(cost: ReportedCost): void;
  /** Waits until every usage sink has taken every record so far (bounded by `timeoutMs` when given). */
  flush(options?: { timeoutMs?: number }): Promise<{ drained: boolean; pending: number }>;
  /**
   * Flushes the usage sinks (waiting at most `usageQueue.closeTimeoutMs`, default
   * 5 s; a sink still busy then is reported on the error channel), then stops
   * every breaker timer.
   */
  close(): Promise<void>;
}

/** Key of a non-enumerable function on a Patchbay returning the sizes of its per-tenant structures. */
export const patchbaySizes: unique symbol = Symbol.for('patchbay.sizes');

/** Sizes of the per-tenant structures (each bounded; see `tenantLimits`). */
export interface PatchbaySizes {
  views: number;
  routeHandles: number;
  tenantScopes: number;
  providerInstances: number;
  recentOutcomeKeys: number;
  /** The largest per-instance credential cache (tenants). */
  credentialCacheTenants: number;
}

const defaultCloseTimeoutMs = 5_000;
const defaultMaxViews = 1_000;

function waitAtMost<T>(promise: Promise<T>, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref?.();
    promise.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      },
    );
  });
}

/** Whether a tenant's calls to a provider go to an instance of its own (its overrides or credential policy). */
function ownsInstance(config: PatchbayConfig, tenant: string | undefined, id: string): boolean {
  if (tenant === undefined) return false;
  const overrides = own(config.tenants, tenant);
  return overrides !== undefined && (!overrides.environmentCredentials || own(overrides.providers, id) !== undefined);
}

/** Provider ids never contain NUL (they are identifiers), so the last NUL splits a tenant key unambiguously. */
function outcomeKey(config: PatchbayConfig, tenant: string | undefined, id: string): string {
  return ownsInstance(config, tenant, id) ? `\u0000${tenant}\u0000${id}` : id;
}

/**
 * Composes the parts: the config store (validate everything, then swap), the
 * provider registry (instances and breakers by tenant + provider), tenant
 * scopes (the one place a tenant id becomes what its calls use), the route
 * executor, metering, the usage dispatcher and the error channel. Everything a
 * caller holds reads the current configuration on every call.
 */
export function createPatchbay(options: PatchbayOptions): Patchbay {
  // Options outside the configuration, checked before anything is built: a bad one names its path.
  const limitStoreTimeoutMs = durationOption(
    options.limitStoreTimeoutMs,
    defaultLimitStoreTimeoutMs,
    'limitStoreTimeoutMs',
  );
  const closeTimeoutMs = durationOption(
    options.usageQueue?.closeTimeoutMs,
    defaultCloseTimeoutMs,
    'usageQueue.closeTimeoutMs',
  );
  const maxViews = countOption(options.tenantLimits?.maxViews, defaultMaxViews, 'tenantLimits.maxViews');
  const maxTenantScopes = countOption(
    options.tenantLimits?.maxScopes,
    defaultMaxTenantScopes,
    'tenantLimits.maxScopes',
  );
  const errors = new ErrorChannel(options.onError);
  const events = new EventHub<PatchbayEvents>({
    onListenerError: (error, eventType) => errors.report({ source: 'listener', error, eventType }),
  });
  // Fed by the meter directly (see UsageMeter), and first: listeners see records the aggregator already counts.
  const aggregator = new InMemoryUsageAggregator();
  const dispatcher = new UsageDispatcher(options.usageSinks ?? [], errors, options.usageQueue);
  if (dispatcher.hasSinks) events.on('usage', dispatcher.record);

  const audit = options.audit ? new AuditTrail(options.audit, errors) : undefined;
  const builder = new ProviderBuilder(options.factories, {
    credentialStore: options.credentialStore,
    env: options.env,
    fetch: options.fetch,
  });
  const registry = new ProviderRegistry(events, breakerPolicySchema.parse({}), options.sharedState?.breakers);
  const store = new ConfigStore(options.config, builder, registry);
  const scopes = new TenantScopes({ store, registry, builder, maxTenantScopes });

  let prices = new PriceTable(store.config.pricing);
  let pricedGeneration = store.generation;
  const currentPrices = () => {
    if (pricedGeneration !== store.generation) {
      prices = new PriceTable(store.config.pricing);
      pricedGeneration = store.generation;
    }
    return prices;
  };
  const limitStore = options.limitStore ?? new InMemoryLimitStore();
  const limits = new LimitGate({
    store: limitStore,
    generation: () => store.generation,
    limits: () => store.config.limits,
    prices: currentPrices,
    warn: (event) => events.emit('limit_warning', event),
    storeFailed: (error) => errors.report({ source: 'limit-store', error }),
    storeTimeoutMs: limitStoreTimeoutMs,
  });

  /** Every configuration change goes through here, so each one is audited (a routed provider's too). */
  const updateConfig = async (patch: Record<string, unknown>, actor: string | null | undefined) => {
    if (!audit) return store.update(patch);
    const before = store.input;
    try {
      await store.update(patch);
    } catch (error) {
      const issues = PatchbayError.isInstance(error)
        ? ((error.details?.issues as { path: string }[] | undefined) ?? [])
        : [];
      audit.record({
        action: 'config.update',
        actor,
        outcome: 'failure',
        fields: issues.map((issue) => issue.path).slice(0, 100),
        detail: `rejected: ${issues.length} invalid field(s)`,
      });
      throw error;
    }
    for (const entry of configChanges(before, store.input)) audit.record({ ...entry, actor });
  };

  const outcomes = new RecentOutcomes();
  const callSeen = new EventHub<{
    seen: { provider: string; tenant: string | undefined; reason: 'attempt' | 'breaker' };
  }>({
    onListenerError: (error, eventType) => errors.report({ source: 'listener', error, eventType }),
  });
  // Whether the status monitor listens (asked on every attempt).
  const seeing = callSeen.watch('seen');
  // Health bookkeeping is told of attempts directly, ahead of `attempt` listeners: no event object per call.
  const executor = new RouteExecutor(
    events,
    new UsageMeter(currentPrices, events, aggregator),
    limits,
    (tenant, provider, outcome, errorCode) => {
      if (outcome === 'skipped') return;
      if (outcome === 'error' && (!errorCode || !healthCodes.has(errorCode))) return;
      outcomes.record(
        tenant === undefined ? provider : outcomeKey(store.config, tenant, provider),
        outcome === 'error',
      );
      if (seeing.active) callSeen.emit('seen', { provider, tenant, reason: 'attempt' });
    },
  );
  events.on('breaker', (event) => {
    if (callSeen.has('seen')) callSeen.emit('seen', { provider: event.provider, tenant: undefined, reason: 'breaker' });
  });
  let statusSource: StatusSource | undefined;
  const statusEntry = (tenant: string | undefined, id: string): StatusEntry | undefined => {
    const scope = scopes.scopeFor(tenant);
    const entry = scope.providers.get(id);
    if (!entry) return undefined;
    return {
      provider: entry.provider,
      circuit: () => scope.providers.get(id)?.breaker.state,
      recent: () => outcomes.summary(outcomeKey(store.config, tenant, id)),
    };
  };
  const statusHooks: StatusHooks = {
    entries: (tenant) => [...scopes.scopeFor(tenant).providers.keys()].flatMap((id) => statusEntry(tenant, id) ?? []),
    entry: statusEntry,
    timeoutMs: () => store.config.health.timeoutMs,
    attach(source) {
      statusSource = source;
      return () => {
        if (statusSource === source) statusSource = undefined;
      };
    },
    onCallSeen: (listener) => callSeen.on('seen', listener),
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
  };
  const closeListeners = new Set<() => void>();
  const notifyClose = () => {
    for (const listener of [...closeListeners]) {
      try {
        listener();
      } catch (error) {
        errors.report({ source: 'listener', error });
      }
    }
    closeListeners.clear();
  };

  const handles = new LruMap<string, BaseProvider>(maxViews * 4);
  // The shared handles (one per route name in use) are read on every `patchbay.llm`: a plain map, no LRU touch.
  const sharedHandles = new Map<string, BaseProvider>();
  const routed = (tenant: string | undefined, name: string): BaseProvider => {
    if (tenant === undefined) {
      const shared = sharedHandles.get(name);
      if (shared) return shared;
    }
    const key = tenant === undefined ? `\u0000${name}` : `${tenant.length}:${tenant}\u0000${name}`;
    const cached = handles.get(key);
    if (cached) return cached;
    const initial = scopes.scopeFor(tenant).routes.get(name);
    if (!initial) {
      throw new PatchbayError({
        code: 'not_configured',
        message: `No route "${name}" is configured${tenant !== undefined ? ` for tenant "${tenant}"` : ''}`,
      });
    }
    const kind = initial.kind;
    let sharedRoute: ResolvedRoute<BaseProvider> | undefined;
    let sharedGeneration = -1;
    const handle: RouteHandle<BaseProvider> = {
      name,
      kind,
      executor,
      pinned: tenant === undefined ? undefined : { tenant },
      current: () => {
        // The shared scope changes only with the configuration's generation: its route is kept until then.
        if (tenant === undefined && sharedRoute !== undefined && sharedGeneration === store.generation)
          return sharedRoute;
        const route = scopes.scopeFor(tenant).routes.get(name);
        if (!route) throw new PatchbayError({ code: 'not_configured', message: `Route "${name}" was removed` });
        if (tenant === undefined) {
          sharedRoute = route;
          sharedGeneration = store.generation;
        }
        return route;
      },
      describe: () =>
        redactConfig({
          ...(own(store.config.routes, name) ??
            implicitRoute(
              handle.current().members.map((member) => member.id),
              kind,
            )),
        }),
      update: (patch) =>
        updateConfig(
          tenant === undefined
            ? { routes: { [name]: patch } }
            : { tenants: { [tenant]: { routes: { [name]: patch } } } },
          undefined,
        ),
      // The shared handle sends a call that names a tenant to that tenant's handle: same scope as `tenant(id)`.
      forTenant:
        tenant === undefined ? (named) => (scopes.hasOverrides(named) ? routed(named, name) : undefined) : undefined,
    };
    const provider = createRoutedProvider(handle);
    handles.set(key, provider);
    if (tenant === undefined) {
      // Route names come from the configuration (an unknown one threw above); cleared if configurations churn.
      if (sharedHandles.size >= maxViews * 4) sharedHandles.clear();
      sharedHandles.set(name, provider);
    }
    return provider;
  };

  const providerIn = (scope: Scope, id: string): BaseProvider => {
    const entry = scope.providers.get(id);
    if (!entry) throw new PatchbayError({ code: 'not_configured', message: `No provider "${id}" is configured` });
    return entry.provider;
  };

  const view = (tenant: string | undefined): PatchbayProviders => {
    // One wrapper per instance, so `provider(id)` answers the same object while the instance lives.
    const bound = new WeakMap<BaseProvider, BaseProvider>();
    return {
      get llm() {
        return routed(tenant, 'llm') as RoutedLanguageModel;
      },
      get tts() {
        return routed(tenant, 'tts') as RoutedSpeechSynthesizer;
      },
      get stt() {
        return routed(tenant, 'stt') as RoutedTranscriber;
      },
      get sms() {
        return routed(tenant, 'sms') as RoutedMessagingProvider;
      },
      get whatsapp() {
        return routed(tenant, 'whatsapp') as RoutedMessagingProvider;
      },
      route: (name) => routed(tenant, name),
      provider: (id) => {
        const provider = providerIn(scopes.scopeFor(tenant), id);
        let wrapped = bound.get(provider);
        if (!wrapped) {
          wrapped =
            tenant !== undefined
              ? pinTenant(provider, tenant)
              : dispatchByTenant(provider, (named) => providerIn(scopes.scopeFor(named), id));
          bound.set(provider, wrapped);
        }
        return wrapped;
      },
      status: ({ signal, refresh } = {}) => {
        if (statusSource) return statusSource.status(tenant, { refresh, signal });
        const scope = scopes.scopeFor(tenant);
        const config = store.config;
        return buildStatusReport(
          [...scope.providers.values()].map((entry) => entry.provider),
          {
            timeoutMs: config.health.timeoutMs,
            tenant,
            signal,
            circuit: (id) => scope.providers.get(id)?.breaker.state,
            recent: (id) => outcomes.summary(outcomeKey(config, tenant, id)),
          },
        );
      },
    };
  };

  const views = new LruMap<string, PatchbayProviders>(maxViews);
  const patchbay: Omit<Patchbay, keyof PatchbayProviders> = {
    tenant(id) {
      if (typeof id !== 'string')
        throw new PatchbayError({ code: 'invalid_request', message: 'tenant: the tenant id must be a string' });
      let tenantView = views.get(id);
      if (!tenantView) views.set(id, (tenantView = view(id)));
      return tenantView;
    },
    on: (type, listener) =>
      type === 'error'
        ? errors.on(listener as (event: PatchbayErrorEvent) => void)
        : events.on(type as keyof PatchbayEvents, listener as (event: unknown) => void),
    usage: aggregator,
    updateConfig: (patch, updateOptions) => updateConfig(patch, updateOptions?.actor),
    credentials: createCredentialAdmin({
      builder,
      config: () => store.config,
      store: options.credentialStore,
      env: options.env,
      audit,
    }),
    catalogue: () => options.factories.map((factory) => structuredClone(describeFactory(factory))),
    getConfig: () => {
      // Each adapter knows its own secret fields: show provider settings as the providers themselves redact them.
      const shown = redactConfig(store.input) as Record<string, unknown> & {
        providers: Record<string, { settings?: Record<string, unknown> }>;
        tenants?: Record<string, { providers?: Record<string, { settings?: Record<string, unknown> }> }>;
      };
      const redactedSettings = (provider: BaseProvider, keys: string[]) => {
        const settings = provider.getConfig();
        return Object.fromEntries(
          keys.map((key) => [key, Object.hasOwn(settings, key) ? settings[key] : '[redacted]']),
        );
      };
      const shared = scopes.shared();
      for (const [id, definition] of Object.entries(shown.providers)) {
        const entry = shared.providers.get(id);
        if (entry && definition.settings)
          definition.settings = redactedSettings(entry.provider, Object.keys(definition.settings));
      }
      for (const overrides of Object.values(shown.tenants ?? {})) {
        for (const [id, override] of Object.entries(overrides.providers ?? {})) {
          const entry = shared.providers.get(id);
          // Tenant values are shown only when the shared instance would show them (its secret fields stay redacted).
          if (entry && override.settings)
            override.settings = redactedSettings(entry.provider, Object.keys(override.settings));
        }
      }
      return shown;
    },
    validateCredentials: async (providerId, candidate, validationOptions = {}) => {
      const fields = typeof candidate === 'object' && candidate !== null ? Object.keys(candidate).slice(0, 64) : [];
      let answer: CredentialValidation;
      try {
        answer = await validateCandidateCredentials({
          builder,
          config: store.config,
          providerId,
          candidate,
          tenant: validationOptions.tenant,
          signal: validationOptions.signal,
        });
      } catch (error) {
        audit?.record({
          action: 'credentials.validate',
          actor: validationOptions.actor,
          tenant: validationOptions.tenant,
          provider: typeof providerId === 'string' ? providerId : null,
          outcome: 'failure',
          fields,
          detail: PatchbayError.isInstance(error) ? error.message.slice(0, 500) : 'validation failed',
        });
        throw error;
      }
      audit?.record({
        action: 'credentials.validate',
        actor: validationOptions.actor,
        tenant: validationOptions.tenant,
        provider: providerId,
        outcome: answer.valid ? 'success' : 'failure',
        fields,
        after: candidate,
        detail: answer.valid
          ? undefined
          : `invalid: ${answer.issues.map((issue) => issue.path).join(', ') || (answer.health?.code ?? answer.health?.status)}`.slice(
              0,
              500,
            ),
      });
      return answer;
    },
    recordReportedCost(cost) {
      const definition = typeof cost?.provider === 'string' ? own(store.config.providers, cost.provider) : undefined;
      const record = reportedCostRecord(cost, definition, new Date().toISOString());
      aggregator.record(record);
      events.emit('usage', record);
    },
    async flush(flushOptions = {}) {
      if (flushOptions.timeoutMs === undefined) {
        await dispatcher.drained();
        return { drained: true, pending: dispatcher.pending };
      }
      const drained = await waitAtMost(dispatcher.drained(), durationOption(flushOptions.timeoutMs, 0, 'timeoutMs'));
      return { drained, pending: dispatcher.pending };
    },
    async close() {
      notifyClose();
      // Nothing to drain: stop the timers at once, so a caller that does not await still leaves none behind.
      if (dispatcher.pending === 0) {
        registry.close();
        executor.close();
        return;
      }
      const drained = await waitAtMost(dispatcher.drained(), closeTimeoutMs);
      if (!drained) {
        errors.report({
          source: 'usage-drain-timeout',
          error: new Error(`Usage sinks did not drain within ${closeTimeoutMs} ms at close()`),
          dropped: dispatcher.pending,
        });
      }
      registry.close();
      executor.close();
    },
  };
  // Sizes of every per-tenant structure, for tests and diagnostics (not part of the typed API).
  const sizes = (): PatchbaySizes => {
    let credentialCacheTenants = 0;
    for (const tenant of registry.tenants()) {
      for (const entry of registry.entriesOf(tenant).values()) {
        const resolver = (entry.provider as unknown as { credentialResolver?: { cachedTenants?: number } })
          .credentialResolver;
        credentialCacheTenants = Math.max(credentialCacheTenants, resolver?.cachedTenants ?? 0);
      }
    }
    return {
      views: views.size,
      routeHandles: handles.size,
      tenantScopes: scopes.size,
      providerInstances: registry.breakerCount,
      recentOutcomeKeys: outcomes.size,
      credentialCacheTenants,
    };
  };
  Object.defineProperty(patchbay, patchbaySizes, { value: sizes, enumerable: false });
  Object.defineProperty(patchbay, patchbayStatusHooks, { value: statusHooks, enumerable: false });
  // Copy descriptors, not values: the kind accessors must stay lazy (a kind may have no route).
  return Object.defineProperties(patchbay, Object.getOwnPropertyDescriptors(view(undefined))) as Patchbay;
}
