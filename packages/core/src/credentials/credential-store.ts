import { Secret } from '../secrets/secret.js';

/** Credential values as stored: field name → secret or plain string. */
export type CredentialValues = Readonly<Record<string, string | Secret>>;

/**
 * Where per-tenant credentials live (a database table, a secrets manager).
 * Every read names its tenant: an implementation must never answer one tenant
 * with another's values. `subscribe` lets caches drop stale values at once.
 */
export interface CredentialStore {
  get(tenant: string, provider: string): Promise<CredentialValues | undefined> | CredentialValues | undefined;
  set?(tenant: string, provider: string, values: CredentialValues): Promise<void> | void;
  delete?(tenant: string, provider: string): Promise<void> | void;
  subscribe?(listener: (change: { tenant: string; provider: string }) => void): () => void;
}

/** A CredentialStore in memory; values are kept as Secrets. */
export class InMemoryCredentialStore implements CredentialStore {
  readonly #tenants = new Map<string, Map<string, CredentialValues>>();
  readonly #listeners = new Set<(change: { tenant: string; provider: string }) => void>();

  constructor(initial: Record<string, Record<string, Record<string, string | Secret>>> = {}) {
    for (const [tenant, providers] of Object.entries(initial)) {
      for (const [provider, values] of Object.entries(providers)) this.set(tenant, provider, values);
    }
  }

  get(tenant: string, provider: string): CredentialValues | undefined {
    return this.#tenants.get(tenant)?.get(provider);
  }

  set(tenant: string, provider: string, values: CredentialValues): void {
    const stored: Record<string, Secret> = {};
    for (const [field, value] of Object.entries(values)) stored[field] = Secret.from(value);
    let providers = this.#tenants.get(tenant);
    if (!providers) this.#tenants.set(tenant, (providers = new Map()));
    providers.set(provider, Object.freeze(stored));
    this.#notify(tenant, provider);
  }

  delete(tenant: string, provider: string): void {
    this.#tenants.get(tenant)?.delete(provider);
    this.#notify(tenant, provider);
  }

  subscribe(listener: (change: { tenant: string; provider: string }) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #notify(tenant: string, provider: string): void {
    for (const listener of this.#listeners) listener({ tenant, provider });
  }

  toJSON(): string {
    return '[InMemoryCredentialStore]';
  }
}
