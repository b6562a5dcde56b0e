import type { z } from 'zod';
import { SettingsCell } from '../config/settings-cell.js';
import { CredentialResolver, type ResolvedCredentials } from '../credentials/credential-resolver.js';
import type { CredentialSpec } from '../credentials/credential-spec.js';
import { toPatchbayError } from '../errors/normalize-error.js';
import type { PatchbayError } from '../errors/patchbay-error.js';
import { rememberSecrets } from '../secrets/known-secrets.js';
import { redactConfig, secretValuesOf } from '../secrets/redact.js';
import { scrubSecrets } from '../secrets/scrub-text.js';
import type { Secret } from '../secrets/secret.js';
import type {
  BaseProvider,
  CallOptions,
  HealthResult,
  ProviderKind,
  RedactedConfig,
  TestOptions,
} from '../spec/provider.js';
import type { ProviderRuntime } from './provider-factory.js';

export interface ProviderInit<S extends Record<string, unknown>, C extends Record<string, string | undefined>> {
  id: string;
  vendor: string;
  /** Validates settings at construction and on every `updateConfig()`. */
  schema: z.ZodType<S>;
  settings: unknown;
  /** Credential fields are read from settings of the same name first. */
  credentials: CredentialSpec<C>;
  runtime?: ProviderRuntime | undefined;
  /**
   * Extra settings fields to redact besides the credential secrets. Fields named like credentials
   * (`*Key`, `*Token`, `*Secret`, `password`…), credential headers in any `headers` record and
   * credentials in URLs are redacted without being listed here.
   */
  secretSettings?: readonly string[] | undefined;
}

/** What `checkConnection` found; becomes the `connected` health result. */
export interface ConnectionCheck {
  message?: string | undefined;
  details?: Record<string, unknown> | undefined;
}

/**
 * The shared half of every adapter: settings that swap atomically, credentials
 * resolved per call for the call's tenant, redacted `getConfig()`, and a
 * `test()` that never throws. Adapters add their kind's methods and
 * `checkConnection` (the vendor's cheapest real call).
 */
export abstract class AbstractProvider<S extends Record<string, unknown>, C extends Record<string, string | undefined>>
  implements BaseProvider
{
  readonly specificationVersion = 'v1' as const;
  abstract readonly kind: ProviderKind;
  readonly id: string;
  readonly vendor: string;
  // Private fields: the runtime holds the environment, which must never print with the provider.
  readonly #runtime: ProviderRuntime;
  readonly #credentialResolver: CredentialResolver<C>;
  readonly #cell: SettingsCell<S>;
  readonly #secretFields: ReadonlySet<string>;
  readonly #settingsSchema: z.ZodType<S>;
  /** Settings snapshots whose secret values are already remembered. */
  readonly #remembered = new WeakSet<object>();
  /**
   * The last tenant-less resolution whose every field came from the settings: it depends on that settings
   * snapshot alone (neither a store nor the environment was read), so the same snapshot gets it again.
   */
  #fromSettings: { settings: S; credentials: ResolvedCredentials<C>; secrets: string[] } | undefined;

  constructor(init: ProviderInit<S, C>) {
    this.id = init.id;
    this.vendor = init.vendor;
    this.#runtime = init.runtime ?? {};
    this.#cell = new SettingsCell(init.schema, init.settings, `settings of provider "${init.id}"`);
    this.#settingsSchema = init.schema;
    this.#secretFields = new Set([...init.credentials.secret, ...(init.secretSettings ?? [])]);
    this.#credentialResolver = new CredentialResolver({
      provider: init.id,
      spec: init.credentials,
      store: this.#runtime.credentialStore,
      env: this.#runtime.env,
    });
  }

  /**
   * Releases what the instance holds outside itself (its subscription to the credential store's
   * changes, its cached store answers). Patchbay calls it when configuration replaces or drops the
   * instance; calls still in flight finish normally.
   */
  dispose(): void {
    this.#fromSettings = undefined;
    this.#credentialResolver.dispose();
  }

  /** Host-provided hooks (credential store, environment, fetch). */
  protected get runtime(): ProviderRuntime {
    return this.#runtime;
  }

  protected get credentialResolver(): CredentialResolver<C> {
    return this.#credentialResolver;
  }

  /** The adapter's settings schema (the provider catalogue renders it as JSON Schema). */
  protected get settingsSchema(): z.ZodType<S> {
    return this.#settingsSchema;
  }

  /** The current settings snapshot. Read it once per call and pass it down. */
  protected get settings(): S {
    return this.#cell.current;
  }

  /** The settings as they may be shown: redacted by the one rule of `redactConfig`. */
  getConfig(): RedactedConfig {
    return redactConfig(
      { id: this.id, vendor: this.vendor, kind: this.kind, ...this.#cell.current },
      this.#secretFields,
    );
  }

  async updateConfig(patch: Record<string, unknown>): Promise<void> {
    try {
      this.#cell.update(patch);
    } catch (error) {
      throw this.toError(error);
    }
  }

  /** What the provider shows of itself when serialised or inspected: its redacted config, nothing else. */
  toJSON(): RedactedConfig {
    return this.getConfig();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `${this.constructor.name} ${JSON.stringify(this.getConfig())}`;
  }

  /** Resolves credentials for one call, from the explicit values in its settings snapshot. */
  protected async resolveCredentials(
    settings: S,
    options: CallOptions | TestOptions = {},
  ): Promise<ResolvedCredentials<C>> {
    if (!this.#remembered.has(settings)) {
      // Gateway headers, URL tokens and other secret settings go on the wire too: any error may echo them.
      rememberSecrets(secretValuesOf(settings, this.#secretFields));
      this.#remembered.add(settings);
    }
    const known = this.credentialsAtHand(settings, options);
    if (known !== undefined) return known;
    const spec = this.credentialResolver.spec;
    const explicit: Partial<Record<keyof C, string | Secret | undefined>> = {};
    for (const field of spec.fields) {
      explicit[field] = settings[field] as string | Secret | undefined;
    }
    const credentials = await this.credentialResolver.resolve({ tenant: options.tenant, explicit });
    // Every secret sent to a vendor is remembered, so any PatchbayError cuts it out of vendor text.
    const secrets = this.knownSecrets(credentials);
    rememberSecrets(secrets);
    if (options.tenant === undefined && spec.fields.every((field) => credentials.sources[field] === 'explicit')) {
      this.#fromSettings = { settings, credentials, secrets };
    }
    return credentials;
  }

  /**
   * What `resolveCredentials` answers when it is known without waiting: a tenant-less call on the settings snapshot
   * whose every credential field came from the settings (resolved once). Undefined otherwise: then await
   * `resolveCredentials`. Lets a skeleton skip an await per call on its hottest path.
   */
  protected credentialsAtHand(
    settings: S,
    options: CallOptions | TestOptions = {},
  ): ResolvedCredentials<C> | undefined {
    const last = this.#fromSettings;
    if (options.tenant !== undefined || last === undefined || last.settings !== settings) return undefined;
    rememberSecrets(last.secrets);
    return last.credentials;
  }

  /** The revealed values of the secret credential fields, for `scrubText` on vendor text. */
  protected knownSecrets(credentials: ResolvedCredentials<C> | undefined): string[] {
    if (!credentials) return [];
    const values: string[] = [];
    for (const field of this.credentialResolver.spec.secret) {
      const value = credentials.values[field];
      if (typeof value === 'string') values.push(value);
    }
    return values;
  }

  /** Normalises any failure to a PatchbayError attributed to this provider. */
  protected toError(error: unknown, signal?: AbortSignal): PatchbayError {
    return toPatchbayError(error, { provider: this.id, vendor: this.vendor, signal });
  }

  protected abstract checkConnection(context: {
    settings: S;
    credentials: ResolvedCredentials<C>;
    signal: AbortSignal | undefined;
  }): Promise<ConnectionCheck>;

  async test(options: TestOptions = {}): Promise<HealthResult> {
    const started = performance.now();
    const settings = this.settings;
    let credentials: ResolvedCredentials<C> | undefined;
    try {
      credentials = await this.resolveCredentials(settings, options);
      const check = await this.checkConnection({ settings, credentials, signal: options.signal });
      return {
        status: 'connected',
        healthy: true,
        message: scrubSecrets(check.message ?? `Connected to ${this.vendor}`, this.knownSecrets(credentials)),
        latencyMs: Math.round(performance.now() - started),
        details: {
          ...redactConfig(check.details ?? {}),
          credentialSources: credentials.sources,
          credentialPolicy: credentials.policy,
          ...(credentials.ignored?.length ? { ignoredTenantCredentials: credentials.ignored } : {}),
        },
        checkedAt: new Date().toISOString(),
      };
    } catch (caught) {
      const error = this.toError(caught, options.signal);
      return {
        status: error.code === 'not_configured' ? 'not_configured' : 'error',
        healthy: false,
        // An adapter may have missed its own key in the vendor's text; this provider knows it.
        message: scrubSecrets(error.message, this.knownSecrets(credentials)),
        code: error.code,
        latencyMs: Math.round(performance.now() - started),
        details: error.details,
        checkedAt: new Date().toISOString(),
      };
    }
  }
}
