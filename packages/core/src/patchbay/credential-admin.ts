import type { AuditActor, AuditTrail } from '../audit/audit-trail.js';
import type { FieldIssue } from '../config/zod-issues.js';
import { invalidFieldsError } from '../config/zod-issues.js';
import type { CredentialSourceName } from '../credentials/credential-resolver.js';
import { type CredentialPolicy, type CredentialSpec, policyOf } from '../credentials/credential-spec.js';
import type { CredentialStore, CredentialValues } from '../credentials/credential-store.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import { own } from '../routing/load-config.js';
import type { PatchbayConfig } from '../routing/routing-config.js';
import { Secret } from '../secrets/secret.js';
import type { AuditAction } from '../spec/state.js';
import { sharedShape, tenantShape } from './config-store.js';
import { credentialSpecOf, type ProviderBuilder } from './provider-builder.js';

/** One credential field of a tenant's provider, as an admin page may show it: never its value. */
export interface CredentialFieldDescription {
  name: string;
  secret: boolean;
  /** Who may supply it. */
  policy: CredentialPolicy;
  /** Environment variables it may come from (names only; not read for `tenant` fields). */
  env: readonly string[];
  /** Whether the tenant store holds a value for it. */
  stored: boolean;
  /** Where a call for this tenant would take it from now; null when nowhere (a call would be `not_configured`). */
  source: CredentialSourceName | null;
}

export interface CredentialDescription {
  tenant: string;
  provider: string;
  fields: CredentialFieldDescription[];
}

/** Per-tenant credential administration: every write validated against the adapter's spec and audited. */
export interface CredentialAdmin {
  /** Replaces the tenant's stored credentials for a provider. */
  set(tenant: string, provider: string, values: CredentialValues, options?: AuditActor): Promise<CredentialDescription>;
  /** Replaces some fields of the stored credentials (the others stay); the tenant must have an entry. */
  rotate(
    tenant: string,
    provider: string,
    values: CredentialValues,
    options?: AuditActor,
  ): Promise<CredentialDescription>;
  /** Removes the tenant's stored credentials for a provider. */
  delete(tenant: string, provider: string, options?: AuditActor): Promise<CredentialDescription>;
  /** Field names, policies and sources for the tenant — never values. */
  describe(tenant: string, provider: string): Promise<CredentialDescription>;
}

export interface CredentialAdminHost {
  builder: ProviderBuilder;
  config(): PatchbayConfig;
  store: CredentialStore | undefined;
  env: Readonly<Record<string, string | undefined>> | false | undefined;
  audit: AuditTrail | undefined;
}

type Spec = CredentialSpec<Record<string, string | undefined>>;

function present(value: unknown): boolean {
  if (Secret.isInstance(value)) return value.reveal() !== '';
  return typeof value === 'string' && value !== '';
}

/** The credential spec of a configured provider, from a throwaway instance that reads nothing. */
export function specOfProvider(host: Pick<CredentialAdminHost, 'builder' | 'config'>, provider: string): Spec {
  if (typeof provider !== 'string' || !own(host.config().providers, provider))
    throw invalidFieldsError('credentials request', [
      { path: 'provider', message: `no provider "${String(provider)}" is configured` },
    ]);
  const definition = own(host.config().providers, provider) as PatchbayConfig['providers'][string];
  const factory = host.builder.factoryFor(definition);
  let spec: Spec | undefined;
  try {
    const template = factory?.create({ id: provider, settings: definition.settings, runtime: { env: false } });
    spec = template && credentialSpecOf(template);
    (template as { dispose?: () => void } | undefined)?.dispose?.();
  } catch {
    spec = undefined;
  }
  if (!spec)
    throw new PatchbayError({
      code: 'invalid_request',
      message: `Provider "${provider}" does not declare its credential fields`,
      provider,
    });
  return spec;
}

function checkTenant(tenant: unknown): asserts tenant is string {
  if (typeof tenant !== 'string' || tenant === '' || tenant.length > 256)
    throw invalidFieldsError('credentials request', [
      { path: 'tenant', message: 'a non-empty string of at most 256 characters' },
    ]);
}

/** Checks written values against the spec: known fields, string values, and nothing platform-only. */
export function credentialWriteIssues(spec: Spec, values: unknown, pathPrefix = 'values'): FieldIssue[] {
  if (typeof values !== 'object' || values === null || Array.isArray(values) || Secret.isInstance(values))
    return [{ path: pathPrefix, message: 'must be an object of credential fields' }];
  const issues: FieldIssue[] = [];
  const names = Object.keys(values);
  if (names.length === 0) issues.push({ path: pathPrefix, message: 'names no credential field' });
  for (const name of names) {
    const path = `${pathPrefix}.${name}`;
    if (!spec.fields.includes(name)) {
      issues.push({ path, message: `not a credential field (allowed: ${spec.fields.join(', ')})` });
      continue;
    }
    const value = (values as Record<string, unknown>)[name];
    if (!present(value)) issues.push({ path, message: 'must be a non-empty string or a Secret' });
    else if (policyOf(spec, name) === 'platform')
      issues.push({
        path,
        message: 'platform-only: supplied by the operator (settings or environment), not per tenant',
      });
  }
  return issues;
}

function needsStore(store: CredentialStore | undefined, method: 'set' | 'delete'): CredentialStore {
  if (!store?.[method])
    throw new PatchbayError({
      code: 'not_configured',
      message: `credentialStore: no credential store that supports ${method}() was given to createPatchbay`,
    });
  return store;
}

/** A plain copy of written values (untrusted keys land in a null-prototype record). */
function copyValues(values: CredentialValues): Record<string, string | Secret> {
  const copy = Object.create(null) as Record<string, string | Secret>;
  for (const [name, value] of Object.entries(values)) copy[name] = value;
  return copy;
}

export function createCredentialAdmin(host: CredentialAdminHost): CredentialAdmin {
  const audited = async <T>(
    action: AuditAction,
    tenant: unknown,
    provider: unknown,
    options: AuditActor | undefined,
    fields: () => readonly string[],
    run: () => Promise<{ result: T; before: unknown; after: unknown; fields?: readonly string[] }>,
  ): Promise<T> => {
    try {
      const { result, before, after, fields: written } = await run();
      host.audit?.record({
        action,
        actor: options?.actor,
        tenant: tenant as string,
        provider: provider as string,
        fields: written ?? fields(),
        before,
        after,
      });
      return result;
    } catch (error) {
      host.audit?.record({
        action,
        actor: options?.actor,
        tenant: typeof tenant === 'string' ? tenant : null,
        provider: typeof provider === 'string' ? provider : null,
        outcome: 'failure',
        fields: fields(),
        // PatchbayError messages name paths and never values; anything else is ours to summarise.
        detail: PatchbayError.isInstance(error) ? error.message.slice(0, 500) : 'the credential store failed',
      });
      throw error;
    }
  };
  const namesOf = (values: unknown) =>
    typeof values === 'object' && values !== null ? Object.keys(values).slice(0, 64) : [];

  const describe = async (tenant: string, provider: string): Promise<CredentialDescription> => {
    checkTenant(tenant);
    const spec = specOfProvider(host, provider);
    const config = host.config();
    const shape = tenantShape(config, tenant, provider) ?? sharedShape(config, provider);
    const settings = shape?.settings ?? {};
    const environment = shape?.environment !== false && host.env !== false;
    const env = host.env === false ? undefined : (host.env ?? process.env);
    const stored = await host.store?.get(tenant, provider);
    return {
      tenant,
      provider,
      fields: spec.fields.map((name) => {
        const policy = policyOf(spec, name);
        const names = spec.env[name] ?? [];
        const inStore = stored !== undefined && Object.hasOwn(stored, name) && present(stored[name]);
        let source: CredentialSourceName | null = null;
        if (present(settings[name])) source = 'explicit';
        else if (inStore && policy !== 'platform') source = 'tenant-store';
        else if (environment && policy !== 'tenant' && names.some((variable) => present(env?.[variable])))
          source = 'environment';
        return { name, secret: spec.secret.includes(name), policy, env: [...names], stored: inStore, source };
      }),
    };
  };

  return {
    describe,
    set: (tenant, provider, values, options) =>
      audited(
        'credentials.set',
        tenant,
        provider,
        options,
        () => namesOf(values),
        async () => {
          checkTenant(tenant);
          const spec = specOfProvider(host, provider);
          const issues = credentialWriteIssues(spec, values);
          if (issues.length) throw invalidFieldsError('credentials', issues, provider);
          const store = needsStore(host.store, 'set');
          const before = await store.get(tenant, provider);
          const after = copyValues(values);
          await store.set?.(tenant, provider, after);
          return { result: await describe(tenant, provider), before, after };
        },
      ),
    rotate: (tenant, provider, values, options) =>
      audited(
        'credentials.rotate',
        tenant,
        provider,
        options,
        () => namesOf(values),
        async () => {
          checkTenant(tenant);
          const spec = specOfProvider(host, provider);
          const issues = credentialWriteIssues(spec, values);
          if (issues.length) throw invalidFieldsError('credentials', issues, provider);
          const store = needsStore(host.store, 'set');
          const before = await store.get(tenant, provider);
          if (!before)
            throw invalidFieldsError(
              'credentials',
              [
                {
                  path: 'provider',
                  message: `tenant "${tenant}" has no stored credentials for "${provider}" to rotate (use set)`,
                },
              ],
              provider,
            );
          const after = Object.assign(copyValues(before), copyValues(values));
          await store.set?.(tenant, provider, after);
          return { result: await describe(tenant, provider), before, after };
        },
      ),
    delete: (tenant, provider, options) => {
      let removed: readonly string[] = [];
      return audited(
        'credentials.delete',
        tenant,
        provider,
        options,
        () => removed,
        async () => {
          checkTenant(tenant);
          specOfProvider(host, provider);
          const store = needsStore(host.store, 'delete');
          const before = await store.get(tenant, provider);
          removed = before ? Object.keys(before) : [];
          await store.delete?.(tenant, provider);
          return { result: await describe(tenant, provider), before, after: undefined, fields: removed };
        },
      );
    },
  };
}
