import { z } from 'zod';

declare const brand: unique symbol;
declare const inspect: unique symbol;
declare const redactedText = "[redacted]";
/**
 * Holds a credential so that it cannot leak by accident: JSON, `util.inspect`,
 * string conversion and template literals all print `[redacted]`. The value
 * lives in a private field, so even a structured clone or a spread sees nothing.
 * Only `reveal()` gives it out, at the one place it goes on the wire.
 */
declare class Secret {
    #private;
    readonly [brand] = true;
    constructor(value: string);
    static isInstance(value: unknown): value is Secret;
    /** Wraps a plain string; passes an existing Secret through. */
    static from(value: string | Secret): Secret;
    reveal(): string;
    /** Compares in constant time for equal lengths, without revealing either value. */
    equals(other: Secret | string): boolean;
    toString(): string;
    toJSON(): string;
    [Symbol.toPrimitive](): string;
    [inspect](): string;
}
/** The value of a secret-or-string, for the single place it is sent to a vendor. */
declare function reveal(value: string | Secret | undefined): string | undefined;

/**
 * Who may supply a credential field:
 * - `platform`: the operator only — explicit settings or the environment (an admin API key). A value in
 *   the tenant store is ignored at call time (and reported in `test()` details) and refused when written
 *   through `patchbay.credentials`.
 * - `tenant`: the tenant only — explicit settings (a tenant override) or the tenant store, never the
 *   environment (a WhatsApp phone number id must not fall back to the platform's).
 * - `either` (default): explicit settings, then the tenant store, then the environment.
 */
type CredentialPolicy = 'platform' | 'tenant' | 'either';
/**
 * What credentials an adapter needs: a zod schema over string fields, the
 * environment variables each field may come from (first set wins), which
 * fields are secret (redacted everywhere), and who may supply each.
 */
interface CredentialSpec<C extends Record<string, string | undefined>> {
    /** Every field name, in the order they are reported. */
    fields: readonly (keyof C & string)[];
    schema: z.ZodType<C>;
    env: {
        readonly [K in keyof C]?: readonly string[];
    };
    secret: readonly (keyof C & string)[];
    /** Per field, who may supply it; a field not listed is `either`. */
    policy?: {
        readonly [K in keyof C]?: CredentialPolicy;
    } | undefined;
}
/** The resolved credential values a shape describes. */
type CredentialsOf<Shape extends Record<string, z.ZodType<string | undefined>>> = {
    -readonly [K in keyof Shape & string]: z.output<Shape[K]>;
};
/** Declares a credential spec with its types inferred from the schema shape. */
declare function defineCredentials<Shape extends Record<string, z.ZodType<string | undefined>>>(spec: {
    fields: Shape;
    env: {
        readonly [K in keyof Shape]?: readonly string[];
    };
    secret: readonly (keyof Shape & string)[];
    policy?: {
        readonly [K in keyof Shape]?: CredentialPolicy;
    } | undefined;
}): CredentialSpec<CredentialsOf<Shape>>;
/** Schema for a settings field that accepts a secret as a plain string or a Secret. */
declare const secretInput: z.ZodUnion<readonly [z.ZodString, z.ZodCustom<Secret, Secret>]>;

export { type CredentialSpec as C, Secret as S, type CredentialsOf as a, type CredentialPolicy as b, reveal as c, defineCredentials as d, redactedText as r, secretInput as s };
