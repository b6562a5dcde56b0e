import type { CredentialStore } from '../credentials/credential-store.js';
import type { BaseProvider, ProviderKind } from '../spec/provider.js';

/** What an adapter gets from its host besides its settings: never part of `getConfig()`. */
export interface ProviderRuntime {
  /** Per-tenant credentials, read for the tenant of each call. */
  credentialStore?: CredentialStore | undefined;
  /** Environment to read credentials from; defaults to `process.env`; `false` disables it. */
  env?: Readonly<Record<string, string | undefined>> | false | undefined;
  /** Replaces the HTTP client (tests, proxies, tracing). */
  fetch?: typeof globalThis.fetch | undefined;
}

/**
 * How configuration builds a provider: each adapter exports one, and the host
 * is given the list it may use. Nothing registers itself on import.
 */
export interface ProviderFactory<P extends BaseProvider = BaseProvider> {
  readonly kind: ProviderKind;
  readonly vendor: string;
  /** What an "add integration" page shows, e.g. `OpenAI (language models)`. Default: derived from vendor and kind. */
  readonly label?: string | undefined;
  /** The vendor's documentation for obtaining these credentials and settings. */
  readonly docsUrl?: string | undefined;
  create(options: { id: string; settings: Record<string, unknown>; runtime: ProviderRuntime }): P;
}

export function defineProviderFactory<P extends BaseProvider>(factory: ProviderFactory<P>): ProviderFactory<P> {
  return Object.freeze(factory);
}
