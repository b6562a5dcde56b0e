import { copyConfigValue } from '../config/same-value.js';
import { mergePatch } from '../config/settings-cell.js';
import type { FieldIssue } from '../config/zod-issues.js';
import { invalidFieldsError } from '../config/zod-issues.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import { loadConfig, own } from '../routing/load-config.js';
import {
  type BreakerPolicy,
  breakerPolicySchema,
  type PatchbayConfig,
  type PatchbayConfigInput,
} from '../routing/routing-config.js';
import type { BaseProvider } from '../spec/provider.js';
import type { ProviderBuilder } from './provider-builder.js';
import { type ProviderRegistry, type ProviderShape, reconciliation, replacementPatch } from './provider-registry.js';

/** The shape of a provider instance a tenant owns, or `undefined` when the tenant uses the shared one. */
export function tenantShape(config: PatchbayConfig, tenant: string, id: string): ProviderShape | undefined {
  const overrides = own(config.tenants, tenant);
  const definition = own(config.providers, id);
  if (!overrides || !definition) return undefined;
  const override = own(overrides.providers, id);
  if (!override && overrides.environmentCredentials) return undefined;
  return {
    definition,
    settings: mergePatch(definition.settings, override?.settings ?? {}) as Record<string, unknown>,
    environment: overrides.environmentCredentials,
  };
}

export function sharedShape(config: PatchbayConfig, id: string): ProviderShape | undefined {
  const definition = own(config.providers, id);
  return definition && { definition, settings: definition.settings, environment: true };
}

export function breakerPolicyOf(config: PatchbayConfig): BreakerPolicy {
  return breakerPolicySchema.parse(config.defaults.breaker ?? {});
}

interface Prepared {
  input: PatchbayConfigInput;
  config: PatchbayConfig;
  /** Validated instances for shared providers that are new or replaced: they become the live ones. */
  built: Map<string, BaseProvider>;
}

/**
 * The configuration, changed only as a whole: `apply()` validates the entire
 * next configuration — shape, references, every provider's settings against its
 * adapter schema, every tenant's overrides — before anything changes, and then
 * swaps it in one synchronous step. Providers whose shape did not change keep
 * their instance and breaker; settings changes go to the same instance;
 * replaced or removed instances are disposed.
 */
export class ConfigStore {
  readonly #builder: ProviderBuilder;
  readonly #registry: ProviderRegistry;
  #input: PatchbayConfigInput;
  #config: PatchbayConfig;
  #generation = 0;

  constructor(input: PatchbayConfigInput, builder: ProviderBuilder, registry: ProviderRegistry) {
    this.#builder = builder;
    this.#registry = registry;
    const prepared = this.#prepare(input);
    this.#input = prepared.input;
    this.#config = prepared.config;
    registry.setBreakerPolicy(breakerPolicyOf(prepared.config));
    for (const [id, provider] of prepared.built)
      registry.add(undefined, id, provider, sharedShape(prepared.config, id) as ProviderShape);
  }

  /** The configuration as written (secrets kept as given). */
  get input(): PatchbayConfigInput {
    return this.#input;
  }

  get config(): PatchbayConfig {
    return this.#config;
  }

  /** Increases with every applied change; scopes built for an older generation are rebuilt. */
  get generation(): number {
    return this.#generation;
  }

  /** Merges a patch into the current input and applies the result. */
  update(patch: Record<string, unknown>): Promise<void> {
    return this.apply(mergePatch(this.#input, copyConfigValue(patch, '(patch)')) as PatchbayConfigInput);
  }

  async apply(nextInput: PatchbayConfigInput): Promise<void> {
    const prepared = this.#prepare(nextInput);
    // From here on nothing can fail validation: the swap is synchronous, so no call sees half of it.
    const updates = this.#reconcile(prepared);
    this.#input = prepared.input;
    this.#config = prepared.config;
    this.#generation++;
    await Promise.all(updates);
  }

  #prepare(nextInput: PatchbayConfigInput): Prepared {
    const input = copyConfigValue(nextInput) as PatchbayConfigInput;
    const config = loadConfig(input, this.#builder.factories);
    const built = new Map<string, BaseProvider>();
    const issues: FieldIssue[] = [];
    const attempt = (action: () => void) => {
      try {
        action();
      } catch (error) {
        const listed = PatchbayError.isInstance(error)
          ? (error.details?.issues as FieldIssue[] | undefined)
          : undefined;
        if (!listed) throw error;
        issues.push(...listed);
      }
    };
    for (const [id, definition] of Object.entries(config.providers)) {
      const shape = sharedShape(config, id) as ProviderShape;
      const entry = this.#registry.get(undefined, id);
      const change = entry ? reconciliation(entry, shape) : 'replace';
      if (change === 'same') continue;
      attempt(() => {
        const provider = this.#builder.build({
          id,
          definition,
          settings: definition.settings,
          environment: true,
          path: `providers.${id}.settings`,
        });
        if (change === 'replace') built.set(id, provider);
      });
    }
    for (const tenant of Object.keys(config.tenants)) {
      for (const id of Object.keys(config.providers)) {
        const shape = tenantShape(config, tenant, id);
        if (!shape) continue;
        const entry = this.#registry.get(tenant, id);
        if (entry && reconciliation(entry, shape) === 'same') continue;
        attempt(() => this.#builder.build({ id, ...shape, path: `tenants.${tenant}.providers.${id}.settings` }));
      }
    }
    if (issues.length) throw invalidFieldsError('Patchbay configuration', issues);
    return { input, config, built };
  }

  #reconcile(prepared: Prepared): Promise<void>[] {
    const { config, built } = prepared;
    const registry = this.#registry;
    const updates: Promise<void>[] = [];
    registry.setBreakerPolicy(breakerPolicyOf(config));
    for (const id of [...registry.entriesOf(undefined).keys()])
      if (!own(config.providers, id)) registry.remove(undefined, id);
    for (const id of Object.keys(config.providers)) {
      const shape = sharedShape(config, id) as ProviderShape;
      const entry = registry.get(undefined, id);
      const fresh = built.get(id);
      if (fresh) registry.add(undefined, id, fresh, shape);
      else if (entry && reconciliation(entry, shape) === 'update') updates.push(this.#updateSettings(entry, shape));
    }
    for (const tenant of registry.tenants()) {
      if (tenant === undefined) continue;
      if (!own(config.tenants, tenant)) {
        registry.removeTenant(tenant);
        continue;
      }
      for (const [id, entry] of [...registry.entriesOf(tenant)]) {
        const shape = tenantShape(config, tenant, id);
        const change = shape ? reconciliation(entry, shape) : 'replace';
        // A replaced tenant instance is dropped here and rebuilt (already validated) when its scope is next used.
        if (change === 'replace') registry.remove(tenant, id);
        else if (change === 'update') updates.push(this.#updateSettings(entry, shape as ProviderShape));
      }
    }
    return updates;
  }

  /** Same instance, new settings: validated already, applied at once (AbstractProvider swaps synchronously). */
  #updateSettings(entry: { provider: BaseProvider; settings: Record<string, unknown> }, shape: ProviderShape) {
    const patch = replacementPatch(entry.settings, shape.settings);
    entry.settings = shape.settings;
    return entry.provider.updateConfig(patch);
  }
}
