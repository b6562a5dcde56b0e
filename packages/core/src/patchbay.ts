import { mergePatch } from './config/settings-cell.js';
import { invalidFieldsError } from './config/zod-issues.js';
import type { CredentialStore, CredentialValues } from './credentials/credential-store.js';
import { PatchbayError } from './errors/patchbay-error.js';
import { EventHub } from './events/event-hub.js';
import { buildStatusReport, type StatusReport } from './health/status-report.js';
import { InMemoryUsageAggregator } from './metering/in-memory-usage-aggregator.js';
import { PriceTable } from './metering/price-table.js';
import { UsageMeter } from './metering/usage-meter.js';
import { toUsageListener, type UsageSink } from './metering/usage-sink.js';
import type { ProviderFactory, ProviderRuntime } from './provider/provider-factory.js';
import { ProviderBreaker } from './routing/circuit-breaker.js';
import { loadConfig, memberId, routeKind } from './routing/load-config.js';
import { type ResolvedRoute, RouteExecutor, type RouteMember } from './routing/route-executor.js';
import {
  createRoutedProvider,
  type RoutedLanguageModel,
  type RoutedMessagingProvider,
  type RoutedSpeechSynthesizer,
  type RoutedTranscriber,
  type RouteHandle,
} from './routing/routed-providers.js';
import {
  breakerPolicySchema,
  defaultFailover,
  type PatchbayConfig,
  type PatchbayConfigInput,
  type RouteConfig,
  retryPolicySchema,
} from './routing/routing-config.js';
import type { PatchbayEvents } from './routing/routing-events.js';
import { redactConfig } from './secrets/redact.js';
import type { BaseProvider, HealthResult, ProviderKind } from './spec/provider.js';

export interface PatchbayOptions {
  /** The declarative configuration (JSON-serialisable); validated completely at load. */
  config: PatchbayConfigInput;
  /** The adapters configuration may use, e.g. `[openaiLanguageModelFactory, twilioSmsFactory]`. */
  factories: readonly ProviderFactory[];
  /** Per-tenant credentials. */
  credentialStore?: CredentialStore | undefined;
  /** Environment for credentials; defaults to `process.env`; `false` disables it. */
  env?: Readonly<Record<string, string | undefined>> | false | undefined;
  /** HTTP client handed to every adapter (tests, proxies). */
  fetch?: typeof globalThis.fetch | undefined;
  /** Receive every usage record (a database writer, a queue). */
  usageSinks?: readonly UsageSink[] | undefined;
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
  /** One configured provider, unrouted. */
  provider(id: string): BaseProvider;
  /** Every configured provider's `test()` in parallel, in the integration-status shape. */
  status(options?: { signal?: AbortSignal }): Promise<StatusReport>;
}

export interface CredentialValidation {
  /** True when the candidate passed the schema and a live `test()`. */
  valid: boolean;
  /** Schema problems by field, when any (the live test is then skipped). */
  issues: { path: string; message: string }[];
  health: HealthResult | undefined;
}

export interface Patchbay extends PatchbayProviders {
  /** The same providers seen by one tenant: its overrides, its credentials, its usage labels. */
  tenant(id: string): PatchbayProviders;
  /** Subscribe to `attempt`, `retry`, `failover`, `breaker`, `usage`; returns an unsubscribe. */
  on<K extends keyof PatchbayEvents>(type: K, listener: (event: PatchbayEvents[K]) => void): () => void;
  /** Usage summed per tenant, provider, model and unit since start. */
  readonly usage: InMemoryUsageAggregator;
  /**
   * Merges a patch into the configuration, validates the whole, and swaps it in
   * at once (e.g. a new primary). Invalid: throws naming the path; nothing changes.
   */
  updateConfig(patch: Record<string, unknown>): Promise<void>;
  /** The configuration with provider secrets redacted. */
  getConfig(): Record<string, unknown>;
  /**
   * Checks a candidate credential set for a configured provider against the
   * adapter's schema, then live with `test()` — using the candidate alone, no
   * environment or stored values. Use it before saving to the credential store.
   */
  validateCredentials(
    provider: string,
    candidate: CredentialValues,
    options?: { tenant?: string },
  ): Promise<CredentialValidation>;
  /** Stops breaker timers. */
  close(): void;
}

interface Scope {
  providers: Map<string, BaseProvider>;
  routes: Map<string, ResolvedRoute<BaseProvider>>;
}

/**
 * Builds providers and routes from configuration. Everything a caller holds —
 * `patchbay.llm`, a tenant's `tts` — reads the current configuration on every
 * call, so `updateConfig()` takes effect on the next call without new objects.
 */
export function createPatchbay(options: PatchbayOptions): Patchbay {
  const factories = options.factories;
  const events = new EventHub<PatchbayEvents>();
  const aggregator = new InMemoryUsageAggregator();
  events.on('usage', aggregator.record);
  for (const sink of options.usageSinks ?? []) events.on('usage', toUsageListener(sink));

  let input = copyConfig(options.config);
  let config = loadConfig(input, factories);
  let prices = new PriceTable(config.pricing);
  const executor = new RouteExecutor(events, new UsageMeter(() => prices, events));
  const breakers = new WeakMap<BaseProvider, ProviderBreaker>();
  const allBreakers = new Set<ProviderBreaker>();

  const runtimeFor = (environment: boolean): ProviderRuntime => ({
    credentialStore: options.credentialStore,
    env: environment ? options.env : false,
    fetch: options.fetch,
  });

  const build = (
    id: string,
    settings: Record<string, unknown>,
    environment: boolean,
    current: PatchbayConfig,
    path = `providers.${id}.settings`,
  ): BaseProvider => {
    const definition = current.providers[id] as PatchbayConfig['providers'][string];
    const factory = factories.find(
      (candidate) => candidate.kind === definition.kind && candidate.vendor === definition.vendor,
    );
    if (!factory)
      throw new PatchbayError({ code: 'invalid_request', message: `No adapter for "${definition.vendor}"` });
    try {
      return factory.create({ id, settings, runtime: runtimeFor(environment) });
    } catch (error) {
      throw prefixSettingsError(error, path);
    }
  };

  const breakerFor = (provider: BaseProvider, current: PatchbayConfig): ProviderBreaker => {
    let breaker = breakers.get(provider);
    if (!breaker) {
      breaker = new ProviderBreaker(provider.id, breakerPolicySchema.parse(current.defaults.breaker ?? {}), events);
      breakers.set(provider, breaker);
      allBreakers.add(breaker);
    }
    return breaker;
  };

  const resolveRoute = (
    name: string,
    route: RouteConfig,
    providers: Map<string, BaseProvider>,
    current: PatchbayConfig,
  ) => {
    const kind = routeKind(name, route, current) as ProviderKind;
    const members: RouteMember<BaseProvider>[] = route.providers.map((member) => {
      const provider = providers.get(memberId(member)) as BaseProvider;
      return {
        id: provider.id,
        provider,
        weight: typeof member === 'string' ? 1 : member.weight,
        breaker: breakerFor(provider, current),
      };
    });
    const resolved: ResolvedRoute<BaseProvider> = {
      name,
      kind,
      strategy: route.strategy,
      stickyKey: route.stickyKey,
      members,
      attemptTimeoutMs: route.attemptTimeoutMs ?? current.defaults.attemptTimeoutMs,
      deadlineMs: route.deadlineMs ?? current.defaults.deadlineMs,
      retry: retryPolicySchema.parse({ ...current.defaults.retry, ...route.retry }),
      failover: { ...defaultFailover, ...route.failover },
      repeatUnknownOutcome: route.repeatUnknownOutcome ?? !(kind === 'sms' || kind === 'whatsapp'),
      aliases: route.aliases,
    };
    return resolved;
  };

  /** Named routes plus one implicit route per kind that has providers but no route of its name. */
  const resolveRoutes = (
    routeConfigs: Record<string, RouteConfig>,
    providers: Map<string, BaseProvider>,
    current: PatchbayConfig,
  ) => {
    const routes = new Map<string, ResolvedRoute<BaseProvider>>();
    for (const [name, route] of Object.entries(routeConfigs))
      routes.set(name, resolveRoute(name, route, providers, current));
    for (const kind of ['llm', 'tts', 'stt', 'sms', 'whatsapp'] as const) {
      if (routes.has(kind)) continue;
      const ofKind = [...routes.values()].filter((route) => route.kind === kind);
      if (ofKind.length === 1) routes.set(kind, ofKind[0] as ResolvedRoute<BaseProvider>);
      else if (ofKind.length === 0) {
        const ids = Object.entries(current.providers)
          .filter(([, provider]) => provider.kind === kind)
          .map(([id]) => id);
        if (ids.length) routes.set(kind, resolveRoute(kind, routeDefaults(ids, kind), providers, current));
      }
    }
    return routes;
  };

  const buildShared = (current: PatchbayConfig, previous?: Scope): Scope => {
    const providers = new Map<string, BaseProvider>();
    for (const [id, definition] of Object.entries(current.providers)) {
      const existing = previous?.providers.get(id);
      providers.set(
        id,
        existing && existing.vendor === definition.vendor && existing.kind === definition.kind
          ? existing
          : build(id, definition.settings, true, current),
      );
    }
    return { providers, routes: resolveRoutes(current.routes, providers, current) };
  };

  let shared = buildShared(config);
  let tenantScopes = new Map<string, Scope>();

  const buildTenant = (tenant: string, current: PatchbayConfig, base: Scope): Scope => {
    const overrides = current.tenants[tenant];
    if (!overrides) return base;
    const providers = new Map<string, BaseProvider>();
    for (const [id, definition] of Object.entries(current.providers)) {
      const override = overrides.providers[id];
      if (!override && overrides.environmentCredentials) providers.set(id, base.providers.get(id) as BaseProvider);
      else {
        const settings = mergePatch(definition.settings, override?.settings ?? {}) as Record<string, unknown>;
        providers.set(
          id,
          build(id, settings, overrides.environmentCredentials, current, `tenants.${tenant}.providers.${id}.settings`),
        );
      }
    }
    const routeConfigs: Record<string, RouteConfig> = { ...current.routes };
    for (const [name, patch] of Object.entries(overrides.routes))
      routeConfigs[name] = { ...current.routes[name], ...patch } as RouteConfig;
    return { providers, routes: resolveRoutes(routeConfigs, providers, current) };
  };

  const scopeFor = (tenant: string | undefined): Scope => {
    if (tenant === undefined || !config.tenants[tenant]) return shared;
    let scope = tenantScopes.get(tenant);
    if (!scope) tenantScopes.set(tenant, (scope = buildTenant(tenant, config, shared)));
    return scope;
  };

  const applyConfig = async (nextInput: PatchbayConfigInput) => {
    const next = loadConfig(nextInput, factories);
    // Settings changes go to the existing instances (atomic per provider); everything else is rebuilt aside and swapped.
    const updates: [BaseProvider, Record<string, unknown>][] = [];
    for (const [id, definition] of Object.entries(next.providers)) {
      const existing = shared.providers.get(id);
      const before = config.providers[id];
      if (existing && before && before.vendor === definition.vendor && before.kind === definition.kind) {
        if (JSON.stringify(before.settings) !== JSON.stringify(definition.settings)) {
          updates.push([existing, replacementPatch(before.settings, definition.settings)]);
        }
      }
    }
    const nextShared = buildShared(next, shared);
    for (const tenant of Object.keys(next.tenants)) buildTenant(tenant, next, nextShared);
    for (const [provider, patch] of updates) {
      try {
        await provider.updateConfig(patch);
      } catch (error) {
        throw prefixSettingsError(error, `providers.${provider.id}.settings`);
      }
    }
    input = nextInput;
    config = next;
    prices = new PriceTable(next.pricing);
    shared = nextShared;
    tenantScopes = new Map();
  };

  const handles = new Map<string, BaseProvider>();
  const routed = (tenant: string | undefined, name: string): BaseProvider => {
    const key = `${tenant ?? ''}\u0000${name}`;
    let provider = handles.get(key);
    if (provider) return provider;
    const initial = scopeFor(tenant).routes.get(name);
    if (!initial) {
      throw new PatchbayError({
        code: 'not_configured',
        message: `No route "${name}" is configured${tenant ? ` for tenant "${tenant}"` : ''}`,
      });
    }
    const kind = initial.kind;
    const handle: RouteHandle<BaseProvider> = {
      name,
      kind,
      executor,
      pinned: tenant === undefined ? undefined : { tenant },
      current: () => {
        const route = scopeFor(tenant).routes.get(name);
        if (!route) throw new PatchbayError({ code: 'not_configured', message: `Route "${name}" was removed` });
        return route;
      },
      describe: () =>
        redactConfig({
          ...(config.routes[name] ??
            routeDefaults(
              handle.current().members.map((member) => member.id),
              kind,
            )),
        }),
      update: (patch) =>
        applyConfig(
          mergePatch(
            input,
            tenant === undefined
              ? { routes: { [name]: patch } }
              : { tenants: { [tenant]: { routes: { [name]: patch } } } },
          ) as PatchbayConfigInput,
        ),
    };
    provider = createRoutedProvider(handle);
    handles.set(key, provider);
    return provider;
  };

  const view = (tenant: string | undefined): PatchbayProviders => ({
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
      const provider = scopeFor(tenant).providers.get(id);
      if (!provider) throw new PatchbayError({ code: 'not_configured', message: `No provider "${id}" is configured` });
      return provider;
    },
    status: ({ signal } = {}) => {
      const scope = scopeFor(tenant);
      return buildStatusReport([...scope.providers.values()], {
        timeoutMs: config.health.timeoutMs,
        tenant,
        signal,
        circuit: (id) => {
          const provider = scope.providers.get(id);
          return provider ? breakers.get(provider)?.state : undefined;
        },
      });
    },
  });

  const tenantViews = new Map<string, PatchbayProviders>();
  const extras: Omit<Patchbay, keyof PatchbayProviders> = {
    tenant(id) {
      let tenantView = tenantViews.get(id);
      if (!tenantView) tenantViews.set(id, (tenantView = view(id)));
      return tenantView;
    },
    on: (type, listener) => events.on(type, listener),
    usage: aggregator,
    updateConfig: (patch) => applyConfig(mergePatch(input, patch) as PatchbayConfigInput),
    getConfig: () => {
      // Each adapter knows its own secret fields: show provider settings as the providers themselves redact them.
      const shown = redactConfig(input) as Record<string, unknown> & {
        providers: Record<string, { settings?: Record<string, unknown> }>;
        tenants?: Record<string, { providers?: Record<string, { settings?: Record<string, unknown> }> }>;
      };
      const redactedSettings = (provider: BaseProvider, keys: string[]) => {
        const settings = provider.getConfig();
        return Object.fromEntries(keys.map((key) => [key, key in settings ? settings[key] : '[redacted]']));
      };
      for (const [id, definition] of Object.entries(shown.providers)) {
        const provider = shared.providers.get(id);
        if (provider && definition.settings)
          definition.settings = redactedSettings(provider, Object.keys(definition.settings));
      }
      for (const [tenant, overrides] of Object.entries(shown.tenants ?? {})) {
        for (const [id, override] of Object.entries(overrides.providers ?? {})) {
          const provider = scopeFor(tenant).providers.get(id);
          if (provider && override.settings)
            override.settings = redactedSettings(provider, Object.keys(override.settings));
        }
      }
      return shown;
    },
    async validateCredentials(providerId, candidate, validationOptions = {}) {
      const definition = config.providers[providerId];
      if (!definition)
        throw new PatchbayError({ code: 'invalid_request', message: `No provider "${providerId}" is configured` });
      const factory = factories.find(
        (item) => item.kind === definition.kind && item.vendor === definition.vendor,
      ) as ProviderFactory;
      // Only the candidate: no environment, no stored values.
      const probe = factory.create({
        id: providerId,
        settings: { ...definition.settings, ...candidate },
        runtime: { env: false, fetch: options.fetch },
      });
      const health = await probe.test({ tenant: validationOptions.tenant });
      const issues =
        health.status === 'not_configured'
          ? [
              ...((health.details?.missing as string[] | undefined) ?? []).map((path) => ({
                path,
                message: 'required',
              })),
              ...((health.details?.invalid as { path: string; message: string }[] | undefined) ?? []),
            ]
          : [];
      return { valid: health.healthy, issues, health };
    },
    close() {
      for (const breaker of allBreakers) breaker.shutdown();
    },
  };
  // Copy descriptors, not values: the kind accessors must stay lazy (a kind may have no route).
  return Object.defineProperties(extras, Object.getOwnPropertyDescriptors(view(undefined))) as Patchbay;
}

function routeDefaults(ids: string[], kind: ProviderKind): RouteConfig {
  return { kind, strategy: 'priority', providers: ids, stickyKey: 'tenant' } as RouteConfig;
}

/** A deep copy that also proves the configuration is plain JSON. */
function copyConfig(config: PatchbayConfigInput): PatchbayConfigInput {
  return JSON.parse(JSON.stringify(config)) as PatchbayConfigInput;
}

/** A patch that turns `before` into `after` under merge-patch rules (removed keys become null). */
function replacementPatch(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = { ...after };
  for (const key of Object.keys(before)) if (!(key in after)) patch[key] = null;
  return patch;
}

/** Re-roots an adapter's settings error under its place in the configuration. */
function prefixSettingsError(error: unknown, prefix: string): unknown {
  if (!PatchbayError.isInstance(error) || error.code !== 'invalid_request') return error;
  const issues = error.details?.issues as { path: string; message: string }[] | undefined;
  if (!issues) return error;
  return invalidFieldsError(
    'Patchbay configuration',
    issues.map((issue) => ({
      path: issue.path.startsWith(prefix) ? issue.path : `${prefix}.${issue.path}`,
      message: issue.message,
    })),
  );
}
