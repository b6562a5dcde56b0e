import { z } from 'zod';
import { lazySchema } from '../config/lazy-schema.js';
import { Secret } from '../secrets/secret.js';

/**
 * Who may supply a credential field:
 * - `platform`: the operator only — explicit settings or the environment (an admin API key). A value in
 *   the tenant store is ignored at call time (and reported in `test()` details) and refused when written
 *   through `patchbay.credentials`.
 * - `tenant`: the tenant only — explicit settings (a tenant override) or the tenant store, never the
 *   environment (a WhatsApp phone number id must not fall back to the platform's).
 * - `either` (default): explicit settings, then the tenant store, then the environment.
 */
export type CredentialPolicy = 'platform' | 'tenant' | 'either';

/**
 * What credentials an adapter needs: a zod schema over string fields, the
 * environment variables each field may come from (first set wins), which
 * fields are secret (redacted everywhere), and who may supply each.
 */
export interface CredentialSpec<C extends Record<string, string | undefined>> {
  /** Every field name, in the order they are reported. */
  fields: readonly (keyof C & string)[];
  schema: z.ZodType<C>;
  env: { readonly [K in keyof C]?: readonly string[] };
  secret: readonly (keyof C & string)[];
  /** Per field, who may supply it; a field not listed is `either`. */
  policy?: { readonly [K in keyof C]?: CredentialPolicy } | undefined;
}

/** The supply policy of one field (`either` unless the spec says otherwise). */
export function policyOf(
  spec: Pick<CredentialSpec<Record<string, string | undefined>>, 'policy'>,
  field: string,
): CredentialPolicy {
  const policy = spec.policy as Record<string, CredentialPolicy | undefined> | undefined;
  return (policy && Object.hasOwn(policy, field) ? policy[field] : undefined) ?? 'either';
}

/** The resolved credential values a shape describes. */
export type CredentialsOf<Shape extends Record<string, z.ZodType<string | undefined>>> = {
  -readonly [K in keyof Shape & string]: z.output<Shape[K]>;
};

/** Declares a credential spec with its types inferred from the schema shape. */
export function defineCredentials<Shape extends Record<string, z.ZodType<string | undefined>>>(spec: {
  fields: Shape;
  env: { readonly [K in keyof Shape]?: readonly string[] };
  secret: readonly (keyof Shape & string)[];
  policy?: { readonly [K in keyof Shape]?: CredentialPolicy } | undefined;
}): CredentialSpec<CredentialsOf<Shape>> {
  return {
    fields: Object.keys(spec.fields) as (keyof Shape & string)[],
    schema: z.object(spec.fields) as unknown as z.ZodType<CredentialsOf<Shape>>,
    env: spec.env,
    secret: spec.secret,
    policy: spec.policy,
  };
}

/** Schema for a settings field that accepts a secret as a plain string or a Secret. */
export const secretInput = lazySchema(() =>
  z.union([z.string().min(1), z.custom<Secret>((value) => Secret.isInstance(value))]),
);
