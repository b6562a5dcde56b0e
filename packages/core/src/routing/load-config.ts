import { describeConfigIssues } from '../config/unknown-keys.js';
import { type FieldIssue, invalidFieldsError } from '../config/zod-issues.js';
import type { ProviderFactory } from '../provider/provider-factory.js';
import type { ProviderKind } from '../spec/provider.js';
import {
  type PatchbayConfig,
  type PatchbayConfigInput,
  patchbayConfigSchema,
  type RouteConfig,
} from './routing-config.js';

const kindNames: readonly string[] = ['llm', 'tts', 'stt', 'sms', 'whatsapp'];

/**
 * A record's own entry, never one inherited from `Object.prototype`: a provider
 * or route named `toString` or `constructor` is just a name.
 */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function memberId(member: RouteConfig['providers'][number]): string {
  return typeof member === 'string' ? member : member.provider;
}

/** The kind a route serves: named by its `kind`, by its name, or by its members. */
export function routeKind(
  name: string,
  route: Pick<RouteConfig, 'kind' | 'providers'>,
  config: PatchbayConfig,
): ProviderKind | undefined {
  if (route.kind) return route.kind as ProviderKind;
  if (kindNames.includes(name)) return name as ProviderKind;
  const first = route.providers[0];
  return first === undefined ? undefined : (own(config.providers, memberId(first))?.kind as ProviderKind | undefined);
}

/**
 * Validates a configuration completely before anything is built: shape and
 * types (zod), then references — every route member exists and is of the
 * route's kind, every vendor has a factory, tenant overrides name real things.
 * Every problem is reported with its path, all at once.
 */
export function loadConfig(input: PatchbayConfigInput, factories: readonly ProviderFactory[]): PatchbayConfig {
  const parsed = patchbayConfigSchema.safeParse(input);
  if (!parsed.success)
    throw invalidFieldsError('Patchbay configuration', describeConfigIssues(patchbayConfigSchema, parsed.error));
  const config = parsed.data;
  const issues: FieldIssue[] = [];
  const known = new Set(factories.map((factory) => `${factory.kind}:${factory.vendor}`));
  for (const [id, provider] of Object.entries(config.providers)) {
    if (!known.has(`${provider.kind}:${provider.vendor}`)) {
      issues.push({
        path: `providers.${id}.vendor`,
        message: `no adapter for ${provider.kind} vendor "${provider.vendor}" was given (have: ${[...known].join(', ') || 'none'})`,
      });
    }
  }
  const checkRoute = (path: string, name: string, route: RouteConfig) => {
    const kind = routeKind(name, route, config);
    route.providers.forEach((member, index) => {
      const id = memberId(member);
      const provider = own(config.providers, id);
      if (!provider) issues.push({ path: `${path}.providers.${index}`, message: `unknown provider "${id}"` });
      else if (kind && provider.kind !== kind) {
        issues.push({
          path: `${path}.providers.${index}`,
          message: `provider "${id}" is ${provider.kind}, the route is ${kind}`,
        });
      }
    });
    const ids = route.providers.map(memberId);
    if (new Set(ids).size !== ids.length)
      issues.push({ path: `${path}.providers`, message: 'a provider is listed twice' });
  };
  for (const [name, route] of Object.entries(config.routes)) checkRoute(`routes.${name}`, name, route);
  for (const [tenant, overrides] of Object.entries(config.tenants)) {
    for (const id of Object.keys(overrides.providers)) {
      if (!own(config.providers, id))
        issues.push({ path: `tenants.${tenant}.providers.${id}`, message: `unknown provider "${id}"` });
    }
    for (const [name, patch] of Object.entries(overrides.routes)) {
      const base = own(config.routes, name);
      if (!base) {
        issues.push({ path: `tenants.${tenant}.routes.${name}`, message: `unknown route "${name}"` });
        continue;
      }
      checkRoute(`tenants.${tenant}.routes.${name}`, name, { ...base, ...patch } as RouteConfig);
    }
  }
  config.pricing.forEach((entry, index) => {
    if (entry.provider !== undefined && !own(config.providers, entry.provider)) {
      issues.push({ path: `pricing.${index}.provider`, message: `unknown provider "${entry.provider}"` });
    }
    if (entry.provider === undefined && entry.vendor === undefined) {
      issues.push({ path: `pricing.${index}`, message: 'a price names a provider or a vendor' });
    }
  });
  for (const [name, limit] of Object.entries(config.limits)) {
    if (limit.provider !== undefined && !own(config.providers, limit.provider))
      issues.push({ path: `limits.${name}.provider`, message: `unknown provider "${limit.provider}"` });
    if (limit.route !== undefined && !own(config.routes, limit.route) && !kindNames.includes(limit.route))
      issues.push({ path: `limits.${name}.route`, message: `unknown route "${limit.route}"` });
  }
  if (issues.length) throw invalidFieldsError('Patchbay configuration', issues);
  return config;
}
