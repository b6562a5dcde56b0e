import type { FieldIssue } from '../config/zod-issues.js';
import type { CredentialValues } from '../credentials/credential-store.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import { own } from '../routing/load-config.js';
import type { PatchbayConfig } from '../routing/routing-config.js';
import { Secret } from '../secrets/secret.js';
import type { HealthResult } from '../spec/provider.js';
import { credentialFieldsOf, type ProviderBuilder } from './provider-builder.js';

export interface CredentialValidation {
  /** True when the candidate passed the schema and a live `test()`. */
  valid: boolean;
  /** Problems by field (unknown fields, schema failures, missing values); the live test is skipped when any. */
  issues: FieldIssue[];
  health: HealthResult | undefined;
}

function invalid(issues: FieldIssue[]): CredentialValidation {
  return { valid: false, issues, health: undefined };
}

/**
 * Checks a candidate credential set for a configured provider: first that it
 * holds credential fields only — a candidate cannot carry settings such as
 * `baseURL`, so the server never sends a key to a host the caller chose — then
 * the adapter's schema, then live with `test()` against a throwaway instance
 * that sees the candidate alone (no environment, no stored values). Every
 * problem is an answer (`valid: false` with issues), never a throw.
 */
export async function validateCandidateCredentials(options: {
  builder: ProviderBuilder;
  config: PatchbayConfig;
  providerId: string;
  candidate: CredentialValues;
  tenant?: string | undefined;
  signal?: AbortSignal | undefined;
}): Promise<CredentialValidation> {
  const { builder, config, providerId, candidate } = options;
  const definition = own(config.providers, providerId);
  if (!definition)
    throw new PatchbayError({ code: 'invalid_request', message: `No provider "${providerId}" is configured` });
  if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate))
    return invalid([{ path: '(root)', message: 'the candidate must be an object of credential fields' }]);
  const factory = builder.factoryFor(definition);
  if (!factory) throw new PatchbayError({ code: 'invalid_request', message: `No adapter for "${definition.vendor}"` });

  // The settings without any credential in them: the candidate is the only source.
  let template: ReturnType<typeof factory.create>;
  try {
    template = factory.create({ id: providerId, settings: definition.settings, runtime: { env: false } });
  } catch {
    return invalid([{ path: '(root)', message: `the configured settings of "${providerId}" are invalid` }]);
  }
  const fields = credentialFieldsOf(template);
  if (!fields)
    return invalid([{ path: '(root)', message: `provider "${providerId}" does not declare its credential fields` }]);
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(candidate)) {
    if (!fields.includes(key))
      issues.push({ path: key, message: `not a credential field of "${providerId}" (allowed: ${fields.join(', ')})` });
    else if (typeof value !== 'string' && !Secret.isInstance(value))
      issues.push({ path: key, message: 'must be a string or a Secret' });
  }
  if (issues.length) return invalid(issues);

  const settings: Record<string, unknown> = { ...definition.settings };
  for (const field of fields) delete settings[field];
  Object.assign(settings, candidate);
  let probe: ReturnType<typeof factory.create>;
  try {
    probe = factory.create({ id: providerId, settings, runtime: { env: false, fetch: builder.runtime(false).fetch } });
  } catch (error) {
    const listed = PatchbayError.isInstance(error) ? (error.details?.issues as FieldIssue[] | undefined) : undefined;
    return invalid(listed ?? [{ path: '(root)', message: 'the candidate was rejected by the adapter' }]);
  }
  const health = await probe.test({ tenant: options.tenant, signal: options.signal });
  const found =
    health.status === 'not_configured'
      ? [
          ...((health.details?.missing as string[] | undefined) ?? []).map((path) => ({ path, message: 'required' })),
          ...((health.details?.invalid as FieldIssue[] | undefined) ?? []),
        ]
      : [];
  return { valid: health.healthy, issues: found, health };
}
