import { LruMap } from '../config/lru-map.js';
import { describeIssues } from '../config/zod-issues.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import { redactedText, Secret } from '../secrets/secret.js';
import { type CredentialPolicy, type CredentialSpec, policyOf } from './credential-spec.js';
import type { CredentialStore, CredentialValues } from './credential-store.js';

export type CredentialSourceName = 'explicit' | 'tenant-store' | 'environment';

/**
 * Resolved credentials. `values` holds plain strings for the adapter to send;
 * the object itself prints `[redacted]` through JSON and `util.inspect`.
 */
export interface ResolvedCredentials<C> {
  readonly values: Readonly<C>;
  /** Which source supplied each field — never the value. */
  readonly sources: Readonly<Partial<Record<keyof C & string, CredentialSourceName>>>;
  /** Who may supply each field (`platform`, `tenant` or `either`). */
  readonly policy?: Readonly<Record<keyof C & string, CredentialPolicy>> | undefined;
  /** Fields whose tenant-store value was ignored because the field is platform-only. */
  readonly ignored?: readonly (keyof C & string)[] | undefined;
}

export interface CredentialResolverOptions<C extends Record<string, string | undefined>> {
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

/** Default bound of the per-tenant store cache: memory stays flat however many tenants call. */
export const defaultCredentialCacheMaxTenants = 10_000;

const inspect = Symbol.for('nodejs.util.inspect.custom');

function guarded<C extends object>(values: C): C {
  Object.defineProperty(values, 'toJSON', { value: () => redactedText, enumerable: false });
  Object.defineProperty(values, inspect, { value: () => `Credentials(${redactedText})`, enumerable: false });
  return Object.freeze(values);
}

function plain(value: string | Secret | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = Secret.isInstance(value) ? value.reveal() : value;
  return text === '' ? undefined : text;
}

/**
 * Walks explicit values, then the calling tenant's store entry, then the
 * environment, field by field. Only the calling tenant's entry is ever read.
 */
export class CredentialResolver<C extends Record<string, string | undefined>> {
  readonly #options: CredentialResolverOptions<C>;
  readonly #cache: LruMap<string, { values: CredentialValues | undefined; expires: number }>;
  #unsubscribe: (() => void) | undefined;
  /** The last successful resolution: most calls resolve the same values from the same sources again. */
  #last: { candidate: Record<string, string | undefined>; result: ResolvedCredentials<C> } | undefined;

  constructor(options: CredentialResolverOptions<C>) {
    this.#options = options;
    this.#cache = new LruMap(options.cacheMaxTenants ?? defaultCredentialCacheMaxTenants);
  }

  /** How many tenants' store answers are cached now (bounded by `cacheMaxTenants`). */
  get cachedTenants(): number {
    return this.#cache.size;
  }

  /** Stops listening to the store's change events. */
  dispose(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#cache.clear();
    this.#last = undefined;
  }

  get spec(): CredentialSpec<C> {
    return this.#options.spec;
  }

  /** Drops cached store answers (for one tenant, or all). */
  invalidate(tenant?: string): void {
    if (tenant === undefined) this.#cache.clear();
    else this.#cache.delete(tenant);
  }

  async resolve(options: {
    tenant?: string | undefined;
    explicit?: Partial<Record<keyof C, string | Secret | undefined>> | undefined;
  }): Promise<ResolvedCredentials<C>> {
    const { spec, provider } = this.#options;
    const stored = options.tenant === undefined ? undefined : await this.#fromStore(options.tenant);
    const env = this.#options.env === false ? undefined : (this.#options.env ?? process.env);
    const candidate: Record<string, string | undefined> = {};
    const sources: Partial<Record<keyof C & string, CredentialSourceName>> = {};
    const policy = {} as Record<keyof C & string, CredentialPolicy>;
    const ignored: (keyof C & string)[] = [];
    for (const field of spec.fields) {
      const supplier = policyOf(spec, field);
      policy[field] = supplier;
      const explicit = plain(options.explicit?.[field]);
      if (explicit !== undefined) {
        candidate[field] = explicit;
        sources[field] = 'explicit';
        continue;
      }
      const fromStore = plain(stored?.[field]);
      if (fromStore !== undefined) {
        // A platform-only field (the operator's admin key) is never taken from a tenant's entry.
        if (supplier === 'platform') ignored.push(field);
        else {
          candidate[field] = fromStore;
          sources[field] = 'tenant-store';
          continue;
        }
      }
      // A tenant-only field (the tenant's own account id) never falls back to the platform's environment.
      if (supplier === 'tenant') continue;
      for (const name of spec.env[field] ?? []) {
        const fromEnv = plain(env?.[name]);
        if (fromEnv !== undefined) {
          candidate[field] = fromEnv;
          sources[field] = 'environment';
          break;
        }
      }
    }
    const last = this.#last;
    if (last && this.#sameAsLast(last, candidate, sources, ignored)) return last.result;
    const parsed = spec.schema.safeParse(candidate);
    if (!parsed.success) {
      const issues = describeIssues(parsed.error);
      const missing = issues.filter((issue) => candidate[issue.path] === undefined).map((issue) => issue.path);
      const tenantOnly = missing.filter((field) => policy[field as keyof C & string] === 'tenant');
      const invalid = issues.filter((issue) => candidate[issue.path] !== undefined);
      throw new PatchbayError({
        code: 'not_configured',
        provider,
        message:
          `Credentials for provider "${provider}" are not configured` +
          (missing.length ? `; missing: ${missing.join(', ')}` : '') +
          (invalid.length
            ? `; invalid: ${invalid.map((issue) => `${issue.path} (${issue.message})`).join(', ')}`
            : '') +
          (tenantOnly.length
            ? `; supplied per tenant only (never from the environment): ${tenantOnly.join(', ')}`
            : '') +
          (ignored.length ? `; platform-only, ignored in the tenant store: ${ignored.join(', ')}` : '') +
          ` (tried ${this.describeSources(options.tenant).join(', ')})`,
        details: { missing, invalid, sourcesTried: this.describeSources(options.tenant), policy, ignored },
      });
    }
    // Frozen throughout: the same object answers later resolutions, and per-call work keys on its identity.
    const result: ResolvedCredentials<C> = Object.freeze({
      values: guarded({ ...parsed.data }),
      sources: Object.freeze(sources),
      policy: Object.freeze(policy),
      ignored: Object.freeze(ignored),
    });
    this.#last = { candidate, result };
    return result;
  }

  /** Same values from the same sources, and the same platform-only fields ignored: the same (frozen) answer. */
  #sameAsLast(
    last: { candidate: Record<string, string | undefined>; result: ResolvedCredentials<C> },
    candidate: Record<string, string | undefined>,
    sources: Partial<Record<keyof C & string, CredentialSourceName>>,
    ignored: readonly string[],
  ): boolean {
    for (const field of this.#options.spec.fields) {
      if (last.candidate[field] !== candidate[field] || last.result.sources[field] !== sources[field]) return false;
    }
    const lastIgnored = last.result.ignored ?? [];
    return lastIgnored.length === ignored.length && ignored.every((field, index) => lastIgnored[index] === field);
  }

  /** The sources a resolution walks, for messages: names only, never values. */
  describeSources(tenant?: string): string[] {
    const tried = ['explicit settings'];
    if (this.#options.store && tenant !== undefined) tried.push(`tenant store (tenant "${tenant}")`);
    if (this.#options.env !== false) {
      const names = Object.values(this.#options.spec.env).flat() as string[];
      tried.push(names.length ? `environment (${names.join(', ')})` : 'environment');
    }
    return tried;
  }

  async #fromStore(tenant: string): Promise<CredentialValues | undefined> {
    const store = this.#options.store;
    if (!store) return undefined;
    const ttl = this.#options.cacheTtlMs ?? 5_000;
    if (ttl > 0) {
      const cached = this.#cache.get(tenant);
      if (cached && cached.expires > Date.now()) return cached.values;
      this.#unsubscribe ??= store.subscribe?.((change) => {
        if (change.provider === this.#options.provider) this.#cache.delete(change.tenant);
      });
    }
    const values = await store.get(tenant, this.#options.provider);
    if (ttl > 0) this.#cache.set(tenant, { values, expires: Date.now() + ttl });
    return values;
  }
}
