import { E as ErrorCode } from './error-codes-Dl_-ZDZA.js';
import { C as CredentialStore } from './credential-resolver-C6ppADFM.js';
import { B as BaseProvider, P as ProviderKind } from './provider-BZKWBVCw.js';

declare const brand: unique symbol;
interface PatchbayErrorOptions {
    code: ErrorCode;
    message: string;
    /** Provider id (not vendor) that failed, when one did. */
    provider?: string | undefined;
    vendor?: string | undefined;
    /** HTTP status of the vendor response, when there was one. */
    status?: number | undefined;
    /** Overrides the code's default retryability; only with evidence from the vendor. */
    retryable?: boolean | undefined;
    /** How long the vendor asked us to wait, already converted to milliseconds. */
    retryAfterMs?: number | undefined;
    /** The vendor's request id, for support tickets. */
    requestId?: string | undefined;
    /** The vendor's own error code or type, verbatim (never a secret). */
    vendorCode?: string | undefined;
    /**
     * True when the request may have reached the vendor and its effect is unknown
     * (a timeout after the body was sent). Routing never repeats such a call for a
     * kind with side effects (messaging) unless the route opts in.
     */
    outcomeUnknown?: boolean | undefined;
    /** Extra structured facts: field paths, missing credential names, sources tried. Redacted like a config. */
    details?: Record<string, unknown> | undefined;
    /**
     * What went wrong underneath. Kept only as a redacted summary (name, scrubbed
     * message and stack, `code`, `status`, nested causes): SDK errors carry
     * request headers and raw vendor bodies, which must not reach a log.
     */
    cause?: unknown;
}
/**
 * The one error type of Patchbay. Branded with a global symbol so that
 * `PatchbayError.isInstance()` holds across two installed copies of the package,
 * where `instanceof` would not.
 */
declare class PatchbayError extends Error {
    readonly [brand] = true;
    readonly code: ErrorCode;
    readonly retryable: boolean;
    readonly provider: string | undefined;
    readonly vendor: string | undefined;
    readonly status: number | undefined;
    readonly retryAfterMs: number | undefined;
    readonly requestId: string | undefined;
    readonly vendorCode: string | undefined;
    readonly outcomeUnknown: boolean;
    readonly details: Record<string, unknown> | undefined;
    constructor(options: PatchbayErrorOptions);
    static isInstance(value: unknown): value is PatchbayError;
    /** A copy attributed to a provider, for errors raised before the adapter knew its id. */
    withProvider(provider: string, vendor?: string): PatchbayError;
    toOptions(): PatchbayErrorOptions;
    toJSON(): Record<string, unknown>;
}
interface AttemptRecord {
    provider: string;
    vendor: string;
    code: ErrorCode;
    message: string;
    durationMs: number;
    /** 1 for the first try against this provider, 2 for its first retry… */
    attempt: number;
}
/** Raised by a routed provider when no member could serve the call; carries every attempt. */
declare class AllProvidersFailedError extends PatchbayError {
    readonly attempts: readonly AttemptRecord[];
    constructor(options: {
        route: string;
        attempts: AttemptRecord[];
        last: PatchbayError | undefined;
        reason?: string;
    });
    toJSON(): Record<string, unknown>;
}

/** What an adapter gets from its host besides its settings: never part of `getConfig()`. */
interface ProviderRuntime {
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
interface ProviderFactory<P extends BaseProvider = BaseProvider> {
    readonly kind: ProviderKind;
    readonly vendor: string;
    /** What an "add integration" page shows, e.g. `OpenAI (language models)`. Default: derived from vendor and kind. */
    readonly label?: string | undefined;
    /** The vendor's documentation for obtaining these credentials and settings. */
    readonly docsUrl?: string | undefined;
    create(options: {
        id: string;
        settings: Record<string, unknown>;
        runtime: ProviderRuntime;
    }): P;
}
declare function defineProviderFactory<P extends BaseProvider>(factory: ProviderFactory<P>): ProviderFactory<P>;

export { AllProvidersFailedError as A, PatchbayError as P, type AttemptRecord as a, type PatchbayErrorOptions as b, type ProviderFactory as c, type ProviderRuntime as d, defineProviderFactory as e };
