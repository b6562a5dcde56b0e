/**
 * The contract every provider implements, whatever its kind or vendor.
 * Types only: behaviour lives elsewhere in core and in the adapters.
 */
type ProviderKind = 'llm' | 'tts' | 'stt' | 'sms' | 'whatsapp';
/** Options every call takes, at every layer down to the vendor request. */
interface CallOptions {
    /** Aborts the call; routing, retries and the vendor request all stop. */
    signal?: AbortSignal | undefined;
    /** Tenant on whose behalf the call runs: selects credentials and labels usage. */
    tenant?: string | undefined;
    /** Ties usage records, events and delivery logs of one logical operation together. */
    correlationId?: string | undefined;
}
type HealthStatus = 'connected' | 'not_configured' | 'error';
/** What `test()` reports: the answer to "does this provider work with these credentials right now?". */
interface HealthResult {
    status: HealthStatus;
    /** `status === 'connected'`. */
    healthy: boolean;
    /** One human sentence, never containing a secret. */
    message: string;
    latencyMs: number;
    details?: Record<string, unknown> | undefined;
    /** ISO-8601 time the check finished. */
    checkedAt: string;
    /** The error code when `status` is `error` or `not_configured`. */
    code?: string | undefined;
}
interface TestOptions {
    signal?: AbortSignal | undefined;
    tenant?: string | undefined;
}
/** A provider's configuration as `getConfig()` shows it: every secret reads `[redacted]`. */
type RedactedConfig = Readonly<Record<string, unknown>>;
interface BaseProvider {
    readonly specificationVersion: 'v1';
    /** Unique id within a Patchbay configuration, e.g. `openai-main`. */
    readonly id: string;
    readonly kind: ProviderKind;
    /** Vendor name, e.g. `openai`, `twilio`; `routed` for a routed group. */
    readonly vendor: string;
    /**
     * A cheap live check (listing models, fetching the account) that costs nothing
     * and sends nothing to end users. Never throws: failures become the result.
     */
    test(options?: TestOptions): Promise<HealthResult>;
    /** The current settings with every secret redacted. */
    getConfig(): RedactedConfig;
    /**
     * Validates `patch` merged over the current settings and swaps them in at once.
     * Calls in flight finish with the settings they started with; the next call
     * uses the new ones. An invalid patch throws `invalid_request` naming the
     * field path, and nothing changes.
     */
    updateConfig(patch: Record<string, unknown>): Promise<void>;
}

export type { BaseProvider as B, CallOptions as C, HealthResult as H, ProviderKind as P, RedactedConfig as R, TestOptions as T, HealthStatus as a };
