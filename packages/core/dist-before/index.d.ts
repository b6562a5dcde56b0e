export { A as AuditActor, a as AuditFingerprintKey, b as AuditOptions, C as CatalogueCredentialField, c as CatalogueEntry, d as CredentialAdmin, e as CredentialDescription, f as CredentialFieldDescription, g as CredentialValidation, h as CustomCheck, i as CustomCheckResult, I as IdentifierField, j as InMemoryUsageAggregator, k as IntegrationStatus, O as OverallStatus, P as Patchbay, l as PatchbayErrorEvent, m as PatchbayErrorHandler, n as PatchbayErrorSource, o as PatchbayEventMap, p as PatchbayOptions, q as PatchbayProviders, r as PatchbaySizes, R as ReportedCost, s as RouteAliases, t as RoutedLanguageModel, u as RoutedMessagingProvider, v as RoutedSpeechSynthesizer, w as RoutedTranscriber, S as StatusChangedEvent, x as StatusMonitor, y as StatusMonitorErrorEvent, z as StatusMonitorEvents, B as StatusMonitorOptions, D as StatusReport, E as StatusSummary, T as TenantStatusView, U as UsageQueueOptions, F as UsageSink, G as UsageSummaryRow, H as UsageWindowRow, J as UsageWindows, K as UsageWindowsOptions, L as createFingerprinter, M as createPatchbay, N as createStatusMonitor, Q as patchbaySizes, V as summarizeStatusSamples } from './status-monitor-Dgm1Ty4Z.js';
import { a as AuditLog, c as AuditRecord, b as AuditQuery, e as LimitStore, L as LimitReservation, i as StatusHistoryStore, k as StatusSample, h as StatusHistoryQuery, j as StatusReportCache } from './usage-C1uSLdYd.js';
export { A as AuditAction, d as AuditSink, M as MaybePromise, S as SharedBreakerState, f as SharedBreakerTransition, g as SharedState, U as UsageOutcome, l as UsageQuantity, m as UsageRecord, n as UsageUnit } from './usage-C1uSLdYd.js';
import { C as CredentialStore, a as CredentialValues } from './credential-resolver-C6ppADFM.js';
export { b as CredentialSourceName, I as InMemoryCredentialStore } from './credential-resolver-C6ppADFM.js';
import { S as Secret } from './credential-spec-hJtA3byY.js';
export { b as CredentialPolicy, r as redactedText, c as reveal } from './credential-spec-hJtA3byY.js';
export { E as ErrorCode, e as errorCodes, h as healthCodes, r as retryableByDefault } from './error-codes-Dl_-ZDZA.js';
export { A as AllProvidersFailedError, a as AttemptRecord, P as PatchbayError, b as PatchbayErrorOptions, c as ProviderFactory, d as ProviderRuntime } from './provider-factory-BFziUHIm.js';
export { A as AttemptEvent, B as BreakerEvent, a as BreakerPolicy, b as BreakerState, F as FailoverEvent, L as LimitConfig, c as LimitConfigInput, d as LimitMetric, e as LimitWarningEvent, f as PatchbayConfig, g as PatchbayConfigInput, P as PatchbayEvents, h as PriceEntry, i as PriceLookup, j as PriceTable, R as RetryEvent, k as RetryPolicy, l as RouteConfig, m as RouteConfigInput, T as TenantConfig, U as UnitPrice } from './routing-events-tEXyk4_G.js';
export { B as BaseProvider, C as CallOptions, H as HealthResult, a as HealthStatus, P as ProviderKind, R as RedactedConfig, T as TestOptions } from './provider-BZKWBVCw.js';
export { s as scrubText } from './scrub-text-DAQ7Ekfu.js';
export { A as AudioEncoding, a as AudioFormat, b as AudioSource, C as CallWarning, D as DeliveryStatus, J as JsonSchema, L as LanguageModel, c as LanguageModelCapabilities, d as LanguageModelFinishReason, e as LanguageModelImagePart, f as LanguageModelMessage, g as LanguageModelRequest, h as LanguageModelResponseFormat, i as LanguageModelResult, j as LanguageModelStreamPart, k as LanguageModelStreamResult, l as LanguageModelTextPart, m as LanguageModelTool, n as LanguageModelToolCall, o as LanguageModelToolCallPart, p as LanguageModelToolChoice, q as LanguageModelToolResultPart, r as LanguageModelUsage, s as LiveFailoverOptions, t as LiveTranscriptionEvent, u as LiveTranscriptionFailover, v as LiveTranscriptionRequest, w as LiveTranscriptionSession, M as MessageMedia, x as MessagingCapabilities, y as MessagingChannel, z as MessagingProvider, O as OutboundMessage, S as SendResult, B as SpeechRequest, E as SpeechResult, F as SpeechStreamResult, G as SpeechSynthesizer, H as SpeechSynthesizerCapabilities, I as SpeechTextStreamOptions, K as SpeechTextStreamResult, T as Transcriber, N as TranscriberCapabilities, P as TranscriptionRequest, Q as TranscriptionResult, R as TranscriptionWord, V as Voice, W as WhatsAppTemplate } from './transcriber-Bnkc-Xgg.js';
import 'zod';

/** Default number of records an in-memory audit log keeps. */
declare const defaultAuditLogCapacity = 10000;
/**
 * An `AuditLog` in memory: the newest `capacity` records (older ones dropped first, counted in
 * `dropped`), queryable newest first. A ring buffer: memory is fixed by `capacity` however many records
 * pass through. For a durable trail use `@patchbay/postgres`.
 */
declare class InMemoryAuditLog implements AuditLog {
    #private;
    readonly capacity: number;
    constructor(options?: {
        capacity?: number | undefined;
    });
    get size(): number;
    /** Records dropped to stay within `capacity`. */
    get dropped(): number;
    record(record: AuditRecord): void;
    query(query?: AuditQuery): Promise<AuditRecord[]>;
}

/** One stored row: the sealed value and its version, which every write increments. */
interface SealedEntry {
    readonly sealed: string;
    readonly version: number;
}
/** A row as listed for re-encryption. */
interface SealedRow extends SealedEntry {
    readonly tenant: string;
    readonly provider: string;
}
/**
 * Where sealed credentials are kept (a database table, a KV store): opaque
 * strings with a version per row. The version makes re-encryption a
 * compare-and-set, so a `set()` that lands while keys rotate is never reverted.
 * A SQL table `(tenant text, provider text, sealed text, version bigint,
 * primary key (tenant, provider))` implements it in four statements; see each method.
 */
interface SealedCredentialStorage {
    /** The row, or undefined. `SELECT sealed, version … WHERE tenant = $1 AND provider = $2` */
    read(tenant: string, provider: string): Promise<SealedEntry | undefined> | SealedEntry | undefined;
    /**
     * Stores unconditionally (a user's `set()`), creating the row at version 1 or
     * incrementing its version. `INSERT … VALUES ($1, $2, $3, 1) ON CONFLICT (tenant, provider)
     * DO UPDATE SET sealed = $3, version = t.version + 1`
     */
    write(tenant: string, provider: string, sealed: string): Promise<void> | void;
    /**
     * Replaces the row only if it still has `version`, incrementing it; answers
     * whether it did. A removed row is not recreated. `UPDATE … SET sealed = $3,
     * version = version + 1 WHERE tenant = $1 AND provider = $2 AND version = $4` (rowCount = 1)
     */
    replace(tenant: string, provider: string, sealed: string, version: number): Promise<boolean> | boolean;
    /** `DELETE … WHERE tenant = $1 AND provider = $2` */
    remove(tenant: string, provider: string): Promise<void> | void;
    /** Every row, for re-encryption under a new key. May be a snapshot or a cursor. */
    entries?(): AsyncIterable<SealedRow> | Iterable<SealedRow>;
}
interface EncryptionKeyring {
    /** Key id used for new writes. */
    primary: string;
    /**
     * Keys by id. Each is exactly 32 random bytes: a `Uint8Array`, or its
     * standard base64 (44 characters ending in `=`), optionally as a `Secret`.
     * Ids are 1–64 characters of `A-Z a-z 0-9 _ -`. Old ids stay here until
     * every entry is re-encrypted.
     */
    keys: Readonly<Record<string, Uint8Array | string | Secret>>;
}
/** What one `reencrypt()` pass did. */
interface ReencryptionReport {
    /** Entries rewritten under the primary key (or from the legacy format). */
    rewritten: number;
    /** Entries already sealed with the primary key. */
    current: number;
    /** Entries that changed under the pass (a concurrent `set()` or `delete()`): the newer write was kept. */
    superseded: number;
    /** Entries that could not be opened (corrupt, or sealed with a key no longer in the keyring); left as they were. */
    failed: {
        tenant: string;
        provider: string;
        reason: string;
    }[];
}
/**
 * A CredentialStore that keeps values encrypted at rest with AES-256-GCM
 * (96-bit random IV, 128-bit tag, checked on open). Each entry records its key
 * id, so keys rotate without downtime: add the new key, make it primary (new
 * writes use it, old entries still open), call `reencrypt()`, then drop the old
 * key. The tenant, provider and key id are bound into each entry as
 * length-prefixed authenticated data: an entry copied to another tenant's or
 * provider's row fails to open instead of leaking across tenants.
 */
declare class EncryptedCredentialStore implements CredentialStore {
    #private;
    constructor(storage: SealedCredentialStorage, keyring: EncryptionKeyring);
    /** Replaces the keyring (rotation steps 1 and 3). Validates every key before anything changes. */
    setKeyring(keyring: EncryptionKeyring): void;
    get(tenant: string, provider: string): Promise<CredentialValues | undefined>;
    set(tenant: string, provider: string, values: CredentialValues): Promise<void>;
    delete(tenant: string, provider: string): Promise<void>;
    subscribe(listener: (change: {
        tenant: string;
        provider: string;
    }) => void): () => void;
    /**
     * Rewrites every entry not sealed with the primary key. Each rewrite is a
     * compare-and-set on the row's version: a `set()` or `delete()` that lands
     * meanwhile wins, and the entry is re-read. An entry that cannot be opened is
     * left untouched and reported; the pass goes on. Safe to run again.
     */
    reencrypt(): Promise<ReencryptionReport>;
    toJSON(): string;
}
/** The row key of a (tenant, provider) pair: length-prefixed, so `a\0b`/`c` and `a`/`b\0c` differ. */
declare function sealedRowKey(tenant: string, provider: string): string;
/** Sealed storage in memory, for tests and single-process services. */
declare class InMemorySealedStorage implements SealedCredentialStorage {
    readonly rows: Map<string, SealedRow>;
    read(tenant: string, provider: string): SealedEntry | undefined;
    write(tenant: string, provider: string, sealed: string): void;
    replace(tenant: string, provider: string, sealed: string, version: number): boolean;
    remove(tenant: string, provider: string): void;
    entries(): Iterable<SealedRow>;
}

/** Default bound on the counters one in-memory store holds (least recently used go first). */
declare const defaultLimitStoreMaxKeys = 100000;
/**
 * A `LimitStore` for one process. One counter per (key, window length), holding only the current
 * window: a counter whose window has ended counts as 0 and is overwritten on its next use. At most
 * `maxKeys` counters are held (least recently used evicted first), so a flood of tenants cannot grow
 * memory; an evicted counter restarts at 0, which can only let a tenant through early, never refuse
 * one wrongly. Several instances need a shared store (`@patchbay/redis`).
 */
declare class InMemoryLimitStore implements LimitStore {
    #private;
    constructor(options?: {
        maxKeys?: number | undefined;
    });
    /** Counters held now (bounded by `maxKeys`). */
    get size(): number;
    reserve(key: string, amount: number, limit: number, windowMs: number, now: number): LimitReservation;
    settle(key: string, delta: number, windowMs: number, windowStart: number): void;
    peek(key: string, windowMs: number, now: number): number;
}

interface InMemoryStatusHistoryOptions {
    /** Samples kept per provider and tenant (oldest dropped first). Default 1,440 (a day at one a minute). */
    maxSamplesPerSeries?: number | undefined;
    /** Provider-and-tenant series kept (least recently written dropped first). Default 10,000. */
    maxSeries?: number | undefined;
}
/**
 * The status monitor's default history: bounded twice (samples per series, series held), so
 * memory stays flat however many tenants and providers are polled. Not shared across instances:
 * `@patchbay/postgres` implements the same `StatusHistoryStore` durably.
 */
declare class InMemoryStatusHistoryStore implements StatusHistoryStore {
    #private;
    constructor(options?: InMemoryStatusHistoryOptions);
    /** Series held (for tests and diagnostics). */
    get seriesCount(): number;
    append(sample: StatusSample): void;
    query(query?: StatusHistoryQuery): Promise<StatusSample[]>;
}

interface InMemoryStatusReportCacheOptions {
    /** Scopes held (leases and reports each; least recently used dropped first). Default 10,000. */
    maxScopes?: number | undefined;
    /** Clock in epoch milliseconds, for tests. Default `Date.now`. */
    now?: (() => number) | undefined;
}
/**
 * A `StatusReportCache` for one process: the lease and reports behave as the shared one in
 * `@patchbay/redis` does (one holder per scope until its lease expires, the holder may renew,
 * reports expire), which makes it the reference for the conformance suite and lets several
 * monitors in one process share one poller. Bounded by `maxScopes`.
 */
declare class InMemoryStatusReportCache implements StatusReportCache {
    #private;
    constructor(options?: InMemoryStatusReportCacheOptions);
    acquirePollLease(scope: string, instanceId: string, ttlMs: number): boolean;
    write(scope: string, report: string, ttlMs: number): void;
    read(scope: string): string | undefined;
}

export { AuditLog, AuditQuery, AuditRecord, CredentialStore, CredentialValues, EncryptedCredentialStore, type EncryptionKeyring, InMemoryAuditLog, InMemoryLimitStore, InMemorySealedStorage, type InMemoryStatusHistoryOptions, InMemoryStatusHistoryStore, InMemoryStatusReportCache, type InMemoryStatusReportCacheOptions, LimitReservation, LimitStore, type ReencryptionReport, type SealedCredentialStorage, type SealedEntry, type SealedRow, Secret, StatusHistoryQuery, StatusHistoryStore, StatusReportCache, StatusSample, defaultAuditLogCapacity, defaultLimitStoreMaxKeys, sealedRowKey };
