import { memberId, own, routeKind } from '../routing/load-config.js';
import type { ResolvedRoute, RouteMember } from '../routing/route-executor.js';
import {
  defaultFailover,
  type PatchbayConfig,
  type RouteConfig,
  retryPolicySchema,
} from '../routing/routing-config.js';
import type { BaseProvider, ProviderKind } from '../spec/provider.js';
import type { ProviderEntry } from './provider-registry.js';

const kinds = ['llm', 'tts', 'stt', 'sms', 'whatsapp'] as const;

export function implicitRoute(ids: string[], kind: ProviderKind): RouteConfig {
  return { kind, strategy: 'priority', providers: ids, stickyKey: 'tenant' } as RouteConfig;
}

function resolveRoute(
  name: string,
  route: RouteConfig,
  providers: ReadonlyMap<string, ProviderEntry>,
  config: PatchbayConfig,
): ResolvedRoute<BaseProvider> {
  const kind = routeKind(name, route, config) as ProviderKind;
  const members: RouteMember<BaseProvider>[] = route.providers.map((member) => {
    const entry = providers.get(memberId(member)) as ProviderEntry;
    return {
      id: entry.id,
      provider: entry.provider,
      weight: typeof member === 'string' ? 1 : member.weight,
      breaker: entry.breaker,
    };
  });
  return {
    name,
    kind,
    strategy: route.strategy,
    stickyKey: route.stickyKey,
    members,
    attemptTimeoutMs: route.attemptTimeoutMs ?? config.defaults.attemptTimeoutMs,
    deadlineMs: route.deadlineMs ?? config.defaults.deadlineMs,
    retry: retryPolicySchema.parse({ ...config.defaults.retry, ...route.retry }),
    failover: { ...defaultFailover, ...route.failover },
    aliases: route.aliases,
    repeatUnknownOutcome: route.repeatUnknownOutcome ?? !(kind === 'sms' || kind === 'whatsapp'),
    limited: Object.keys(config.limits ?? {}).length > 0,
  };
}

/** The route configurations one tenant sees: the shared routes with its route patches over them. */
export function routeConfigsFor(config: PatchbayConfig, tenant: string | undefined): Map<string, RouteConfig> {
  const routes = new Map<string, RouteConfig>(Object.entries(config.routes));
  const overrides = tenant === undefined ? undefined : own(config.tenants, tenant);
  for (const [name, patch] of Object.entries(overrides?.routes ?? {}))
    routes.set(name, { ...(routes.get(name) as RouteConfig), ...patch } as RouteConfig);
  return routes;
}

/** Named routes plus one implicit route per kind that has providers but no route of its name. */
export function resolveRoutes(
  routeConfigs: ReadonlyMap<string, RouteConfig>,
  providers: ReadonlyMap<string, ProviderEntry>,
  config: PatchbayConfig,
): Map<string, ResolvedRoute<BaseProvider>> {
  const routes = new Map<string, ResolvedRoute<BaseProvider>>();
  for (const [name, route] of routeConfigs) routes.set(name, resolveRoute(name, route, providers, config));
  for (const kind of kinds) {
    if (routes.has(kind)) continue;
    const ofKind = [...routes.values()].filter((route) => route.kind === kind);
    if (ofKind.length === 1) routes.set(kind, ofKind[0] as ResolvedRoute<BaseProvider>);
    else if (ofKind.length === 0) {
      const ids = Object.entries(config.providers)
        .filter(([, provider]) => provider.kind === kind)
        .map(([id]) => id);
      if (ids.length) routes.set(kind, resolveRoute(kind, implicitRoute(ids, kind), providers, config));
    }
  }
  return routes;
}
