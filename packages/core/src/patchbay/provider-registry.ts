import { sameValue } from '../config/same-value.js';
import type { EventHub } from '../events/event-hub.js';
import { ProviderBreaker } from '../routing/circuit-breaker.js';
import type { BreakerPolicy } from '../routing/routing-config.js';
import type { PatchbayEvents } from '../routing/routing-events.js';
import type { BaseProvider } from '../spec/provider.js';
import type { SharedBreakerState } from '../spec/state.js';
import type { ProviderDefinition } from './provider-builder.js';

/** What an instance was built from: the registry keeps it while this stays the same. */
export interface ProviderShape {
  definition: ProviderDefinition;
  settings: Record<string, unknown>;
  /** Whether the instance may read the platform's environment credentials. */
  environment: boolean;
}

export interface ProviderEntry extends ProviderShape {
  readonly tenant: string | undefined;
  readonly id: string;
  readonly provider: BaseProvider;
  breaker: ProviderBreaker;
}

/** What keeping an entry needs: nothing, a settings update on the same instance, or a new instance. */
export type Reconciliation = 'same' | 'update' | 'replace';

export function reconciliation(entry: ProviderShape, next: ProviderShape): Reconciliation {
  if (
    entry.definition.kind !== next.definition.kind ||
    entry.definition.vendor !== next.definition.vendor ||
    entry.environment !== next.environment
  )
    return 'replace';
  return sameValue(entry.settings, next.settings) ? 'same' : 'update';
}

/** A patch that turns `before` into `after` under merge-patch rules (removed keys become null). */
export function replacementPatch(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> {
  const patch: Record<string, unknown> = { ...after };
  for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) patch[key] = null;
  return patch;
}

/**
 * Provider instances and their breakers, keyed by identity: (tenant, provider
 * id), the shared ones under tenant `undefined`. An instance lives as long as
 * what it was built from stays the same, so its breaker state (an open breaker
 * and its cool-down) survives reconfiguration; a replaced or removed instance's
 * breaker is shut down at once (no timer outlives its instance).
 */
export class ProviderRegistry {
  readonly #entries = new Map<string | undefined, Map<string, ProviderEntry>>();
  readonly #events: EventHub<PatchbayEvents>;
  #breakerPolicy: BreakerPolicy;
  readonly #sharedBreakers: SharedBreakerState | undefined;

  constructor(
    events: EventHub<PatchbayEvents>,
    breakerPolicy: BreakerPolicy,
    sharedBreakers?: SharedBreakerState | undefined,
  ) {
    this.#events = events;
    this.#breakerPolicy = breakerPolicy;
    this.#sharedBreakers = sharedBreakers;
  }

  /** A breaker for (tenant, provider id), linked to the shared state when there is one. */
  #breaker(tenant: string | undefined, id: string, policy: BreakerPolicy): ProviderBreaker {
    const shared = this.#sharedBreakers && { state: this.#sharedBreakers, key: `${tenant ?? ''}\u0000${id}` };
    return new ProviderBreaker(id, policy, this.#events, shared);
  }

  get(tenant: string | undefined, id: string): ProviderEntry | undefined {
    return this.#entries.get(tenant)?.get(id);
  }

  /** The entries of one tenant (or the shared ones). */
  entriesOf(tenant: string | undefined): ReadonlyMap<string, ProviderEntry> {
    return this.#entries.get(tenant) ?? new Map();
  }

  /** Tenants that own instances now. */
  tenants(): (string | undefined)[] {
    return [...this.#entries.keys()];
  }

  /** Every live breaker (for tests and `close()`). */
  get breakerCount(): number {
    let count = 0;
    for (const entries of this.#entries.values()) count += entries.size;
    return count;
  }

  add(tenant: string | undefined, id: string, provider: BaseProvider, shape: ProviderShape): ProviderEntry {
    this.remove(tenant, id);
    const entry: ProviderEntry = {
      tenant,
      id,
      provider,
      ...shape,
      breaker: this.#breaker(tenant, id, this.#breakerPolicy),
    };
    let entries = this.#entries.get(tenant);
    if (!entries) this.#entries.set(tenant, (entries = new Map()));
    entries.set(id, entry);
    return entry;
  }

  remove(tenant: string | undefined, id: string): void {
    const entries = this.#entries.get(tenant);
    const entry = entries?.get(id);
    if (!entry || !entries) return;
    entry.breaker.shutdown();
    disposeProvider(entry.provider);
    entries.delete(id);
    if (entries.size === 0) this.#entries.delete(tenant);
  }

  /** Disposes every instance a tenant owns (its scope was evicted or its overrides removed). */
  removeTenant(tenant: string): void {
    for (const id of [...this.entriesOf(tenant).keys()]) this.remove(tenant, id);
  }

  /**
   * Whether dropping a tenant's instances loses no breaker decision: every breaker lets calls through (closed, or
   * half-open with its trial not taken). An open breaker, or a half-open one whose trial is in flight, says no.
   */
  tenantBreakersLetCallsThrough(tenant: string): boolean {
    for (const entry of this.entriesOf(tenant).values()) if (!entry.breaker.allowsCall) return false;
    return true;
  }

  /** A new breaker policy replaces every breaker (their windows were measured under the old one). */
  setBreakerPolicy(policy: BreakerPolicy): void {
    if (sameValue(policy, this.#breakerPolicy)) return;
    this.#breakerPolicy = policy;
    for (const entries of this.#entries.values()) {
      for (const entry of entries.values()) {
        entry.breaker.shutdown();
        entry.breaker = this.#breaker(entry.tenant, entry.id, policy);
      }
    }
  }

  close(): void {
    for (const entries of this.#entries.values()) {
      for (const entry of entries.values()) {
        entry.breaker.shutdown();
        disposeProvider(entry.provider);
      }
    }
    this.#entries.clear();
  }
}

/** Adapters built on AbstractProvider release their store subscription; a custom provider may have nothing to release. */
function disposeProvider(provider: unknown): void {
  try {
    (provider as { dispose?: () => void }).dispose?.();
  } catch {
    // A custom provider's dispose must not break reconfiguration.
  }
}
