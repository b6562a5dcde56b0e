import { z } from 'zod';
import { lazySchema } from '../config/lazy-schema.js';
import { Secret } from '../secrets/secret.js';

/**
 * What credentials an adapter needs: a zod schema over string fields, the
 * environment variables each field may come from (first set wins), and which
 * fields are secret (redacted everywhere).
 */
export interface CredentialSpec<C extends Record<string, string | undefined>> {
  /** Every field name, in the order they are reported. */
  fields: readonly (keyof C & string)[];
  schema: z.ZodType<C>;
  env: { readonly [K in keyof C]?: readonly string[] };
  secret: readonly (keyof C & string)[];
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
}): CredentialSpec<CredentialsOf<Shape>> {
  return {
    fields: Object.keys(spec.fields) as (keyof Shape & string)[],
    schema: z.object(spec.fields) as unknown as z.ZodType<CredentialsOf<Shape>>,
    env: spec.env,
    secret: spec.secret,
  };
}

/** Schema for a settings field that accepts a secret as a plain string or a Secret. */
export const secretInput = lazySchema(() =>
  z.union([z.string().min(1), z.custom<Secret>((value) => Secret.isInstance(value))]),
);
