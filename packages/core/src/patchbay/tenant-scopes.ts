import { LruMap } from '../config/lru-map.js';
import { own } from '../routing/load-config.js';
import type { ResolvedRoute } from '../routing/route-executor.js';
import type { BaseProvider } from '../spec/provider.js';
import { type ConfigStore, tenantShape } from './config-store.js';
import type { ProviderBuilder } from './provider-builder.js';
import type { ProviderEntry, ProviderRegistry } from './provider-registry.js';
import { resolveRoutes, routeConfigsFor } from './route-resolution.js';

/** What one tenant (or the platform, tenant `undefined`) sees: its provider instances and resolved routes. */
export interface Scope {
  readonly tenant: string | undefined;
  readonly generation: number;
  readonly providers: ReadonlyMap<string, ProviderEntry>;
  readonly routes: ReadonlyMap<string, ResolvedRoute<BaseProvider>>;
}

/** Default bound on tenant scopes held at once (tenants with overrides in the configuration). */
export const defaultMaxTenantScopes = 1_000;

/**
 * The single place a tenant id becomes what its calls use. A tenant without
 * overrides in the configuration uses the shared scope (the shared instances,
 * with its id carried in each call for credentials and usage). A tenant with
 * overrides gets its own scope, built on first use and kept in an LRU of
 * `maxTenantScopes`. Eviction: a scope goes only when every breaker of the
 * instances it owns lets calls through (closed, or half-open with its trial not
 * taken) — an open breaker keeps its scope (and its cool-down), so eviction does
 * not reset a breaker early; what an evicted scope loses is a closed breaker's
 * failure window, or a half-open one's "one trial first". An open scope is
 * kept for its cool-down, then while its half-open trial is in flight (with a
 * shared breaker state, while any instance holds the trial); and twice
 * `maxTenantScopes` is a hard bound (a vendor outage opening every tenant's
 * breaker at once): past it the least recently used scope goes, open or not.
 */
export class TenantScopes {
  readonly #store: ConfigStore;
  readonly #registry: ProviderRegistry;
  readonly #builder: ProviderBuilder;
  readonly #scopes: LruMap<string, Scope>;
  #shared: Scope | undefined;

  constructor(options: {
    store: ConfigStore;
    registry: ProviderRegistry;
    builder: ProviderBuilder;
    maxTenantScopes?: number | undefined;
  }) {
    this.#store = options.store;
    this.#registry = options.registry;
    this.#builder = options.builder;
    const maxScopes = options.maxTenantScopes ?? defaultMaxTenantScopes;
    this.#scopes = new LruMap(maxScopes, {
      canEvict: (tenant) => this.#registry.tenantBreakersLetCallsThrough(tenant),
      hardCapacity: maxScopes * 2,
      onEvict: (tenant) => this.#registry.removeTenant(tenant),
    });
  }

  /** Tenant scopes held now. */
  get size(): number {
    return this.#scopes.size;
  }

  /** Whether the tenant has overrides of its own (then it has its own scope). */
  hasOverrides(tenant: string | undefined): boolean {
    return tenant !== undefined && own(this.#store.config.tenants, tenant) !== undefined;
  }

  shared(): Scope {
    const generation = this.#store.generation;
    if (this.#shared?.generation !== generation) {
      const providers = this.#registry.entriesOf(undefined);
      this.#shared = {
        tenant: undefined,
        generation,
        providers,
        routes: resolveRoutes(routeConfigsFor(this.#store.config, undefined), providers, this.#store.config),
      };
    }
    return this.#shared;
  }

  scopeFor(tenant: string | undefined): Scope {
    if (tenant === undefined || !this.hasOverrides(tenant)) return this.shared();
    const existing = this.#scopes.get(tenant);
    if (existing?.generation === this.#store.generation) return existing;
    const scope = this.#build(tenant);
    this.#scopes.set(tenant, scope);
    return scope;
  }

  #build(tenant: string): Scope {
    const config = this.#store.config;
    const shared = this.shared();
    const providers = new Map<string, ProviderEntry>();
    for (const id of Object.keys(config.providers)) {
      const shape = tenantShape(config, tenant, id);
      if (!shape) {
        providers.set(id, shared.providers.get(id) as ProviderEntry);
        continue;
      }
      let entry = this.#registry.get(tenant, id);
      if (!entry) {
        const path = `tenants.${tenant}.providers.${id}.settings`;
        entry = this.#registry.add(tenant, id, this.#builder.build({ id, ...shape, path }), shape);
      }
      providers.set(id, entry);
    }
    return {
      tenant,
      generation: this.#store.generation,
      providers,
      routes: resolveRoutes(routeConfigsFor(config, tenant), providers, config),
    };
  }
}
