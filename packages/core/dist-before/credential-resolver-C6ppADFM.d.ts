import { S as Secret, C as CredentialSpec, b as CredentialPolicy } from './credential-spec-hJtA3byY.js';

/** Credential values as stored: field name → secret or plain string. */
type CredentialValues = Readonly<Record<string, string | Secret>>;
/**
 * Where per-tenant credentials live (a database table, a secrets manager).
 * Every read names its tenant: an implementation must never answer one tenant
 * with another's values. `subscribe` lets caches drop stale values at once.
 */
interface CredentialStore {
    get(tenant: string, provider: string): Promise<CredentialValues | undefined> | CredentialValues | undefined;
    set?(tenant: string, provider: string, values: CredentialValues): Promise<void> | void;
    delete?(tenant: string, provider: string): Promise<void> | void;
    subscribe?(listener: (change: {
        tenant: string;
        provider: string;
    }) => void): () => void;
}
/** A CredentialStore in memory; values are kept as Secrets. */
declare class InMemoryCredentialStore implements CredentialStore {
    #private;
    constructor(initial?: Record<string, Record<string, Record<string, string | Secret>>>);
    get(tenant: string, provider: string): CredentialValues | undefined;
    set(tenant: string, provider: string, values: CredentialValues): void;
    delete(tenant: string, provider: string): void;
    subscribe(listener: (change: {
        tenant: string;
        provider: string;
    }) => void): () => void;
    toJSON(): string;
}

type CredentialSourceName = 'explicit' | 'tenant-store' | 'environment';
/**
 * Resolved credentials. `values` holds plain strings for the adapter to send;
 * the object itself prints `[redacted]` through JSON and `util.inspect`.
 */
interface ResolvedCredentials<C> {
    readonly values: Readonly<C>;
    /** Which source supplied each field — never the value. */
    readonly sources: Readonly<Partial<Record<keyof C & string, CredentialSourceName>>>;
    /** Who may supply each field (`platform`, `tenant` or `either`). */
    readonly policy?: Readonly<Record<keyof C & string, CredentialPolicy>> | undefined;
    /** Fields whose tenant-store value was ignored because the field is platform-only. */
    readonly ignored?: readonly (keyof C & string)[] | undefined;
}
interface CredentialResolverOptions<C extends Record<string, string | undefined>> {
    provider: string;
    spec: CredentialSpec<C>;
    store?: CredentialStore | undefined;
    /** Defaults to `process.env`, read at every resolution. `false` disables the environment. */
    env?: Readonly<Record<string, string | undefined>> | false | undefined;
    /** How long store answers are reused per tenant (ms). Store change events clear it at once. */
    cacheTtlMs?: number | undefined;
    /** How many tenants' store answers are cached at most (least recently used go first). Default 10,000. */
    cacheMaxTenants?: number | undefined;
}
/**
 * Walks explicit values, then the calling tenant's store entry, then the
 * environment, field by field. Only the calling tenant's entry is ever read.
 */
declare class CredentialResolver<C extends Record<string, string | undefined>> {
    #private;
    constructor(options: CredentialResolverOptions<C>);
    /** How many tenants' store answers are cached now (bounded by `cacheMaxTenants`). */
    get cachedTenants(): number;
    /** Stops listening to the store's change events. */
    dispose(): void;
    get spec(): CredentialSpec<C>;
    /** Drops cached store answers (for one tenant, or all). */
    invalidate(tenant?: string): void;
    resolve(options: {
        tenant?: string | undefined;
        explicit?: Partial<Record<keyof C, string | Secret | undefined>> | undefined;
    }): Promise<ResolvedCredentials<C>>;
    /** The sources a resolution walks, for messages: names only, never values. */
    describeSources(tenant?: string): string[];
}

export { type CredentialStore as C, InMemoryCredentialStore as I, type ResolvedCredentials as R, type CredentialValues as a, type CredentialSourceName as b, CredentialResolver as c };
