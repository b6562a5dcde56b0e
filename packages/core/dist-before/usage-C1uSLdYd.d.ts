import { a as HealthStatus, P as ProviderKind } from './provider-BZKWBVCw.js';

/**
 * Contracts for state Patchbay keeps beyond one call: audit records, status history, limit
 * counters and the status monitor's shared cache. Core ships in-memory implementations;
 * `@patchbay/postgres` (durable) and `@patchbay/redis` (shared across instances) implement the
 * same interfaces, and `@patchbay/testing` runs one conformance suite per interface against all.
 * Types only.
 */

type MaybePromise<T> = T | Promise<T>;
/** What changed. Values never appear in an audit record: only field names and fingerprints. */
type AuditAction = 'config.update' | 'provider.add' | 'provider.change' | 'provider.remove' | 'route.add' | 'route.change' | 'route.remove' | 'credentials.set' | 'credentials.rotate' | 'credentials.delete' | 'credentials.validate' | 'limits.change';
interface AuditRecord {
    /** Unique and time-ordered (sorts by `at`, then insertion). */
    id: string;
    /** ISO-8601. */
    at: string;
    /** Who did it, as the caller passed it (user id, service name); null when not given. */
    actor: string | null;
    tenant: string | null;
    provider: string | null;
    route: string | null;
    action: AuditAction;
    outcome: 'success' | 'failure';
    /** Names of the fields that changed (`apiKey`, `settings.baseURL`, `members`), never values. */
    fields: readonly string[];
    /** Keyed fingerprint of the value before/after (hex, not reversible); null when absent. */
    before: string | null;
    after: string | null;
    /** A short sentence without secrets, e.g. the failure reason. */
    detail?: string | undefined;
}
interface AuditQuery {
    tenant?: string | undefined;
    provider?: string | undefined;
    action?: AuditAction | undefined;
    /** ISO-8601, inclusive. */
    since?: string | undefined;
    /** ISO-8601, exclusive. */
    until?: string | undefined;
    /** Newest first; defaults to 100. */
    limit?: number | undefined;
}
/** Where audit records go. `record` may be slow or throw: Patchbay isolates it. */
interface AuditSink {
    record(record: AuditRecord): MaybePromise<void>;
}
/** An audit sink that can answer queries (in-memory, PostgreSQL). */
interface AuditLog extends AuditSink {
    query(query?: AuditQuery): Promise<AuditRecord[]>;
}
/** One result of a status check, as the monitor keeps it. */
interface StatusSample {
    provider: string;
    /** null for the platform-wide check. */
    tenant: string | null;
    /** Epoch milliseconds when the check finished. */
    at: number;
    status: HealthStatus;
    latencyMs: number | null;
    /** Error code when not connected. */
    code?: string | undefined;
}
interface StatusHistoryQuery {
    provider?: string | undefined;
    tenant?: string | null | undefined;
    /** Epoch ms, inclusive. */
    since?: number | undefined;
    /** Epoch ms, exclusive. */
    until?: number | undefined;
    limit?: number | undefined;
}
interface StatusHistoryStore {
    append(sample: StatusSample): MaybePromise<void>;
    /** Oldest first. */
    query(query?: StatusHistoryQuery): Promise<StatusSample[]>;
}
/** A fixed-window counter answer. Windows are aligned to the epoch: start = floor(now / windowMs) * windowMs. */
interface LimitReservation {
    /** false when adding `amount` would pass `limit`; nothing was added then. */
    granted: boolean;
    /** The window's total after this call (before it, when refused). */
    used: number;
    limit: number;
    windowStart: number;
    /** Epoch ms when the window ends and the counter restarts. */
    resetAt: number;
}
/**
 * Counters behind rate limits and budgets. `reserve` is atomic (check and add in one step) so
 * several instances sharing one store never pass a limit together.
 */
interface LimitStore {
    reserve(key: string, amount: number, limit: number, windowMs: number, now: number): MaybePromise<LimitReservation>;
    /** Corrects a reservation once the real usage is known; `delta` may be negative. */
    settle(key: string, delta: number, windowMs: number, windowStart: number): MaybePromise<void>;
    /** Current total of the window containing `now`. */
    peek(key: string, windowMs: number, now: number): MaybePromise<number>;
}
/**
 * Lets several instances share one status monitor: one holds the poll lease and writes reports,
 * the others read them.
 */
interface StatusReportCache {
    /** true when this instance holds (or just took) the poll lease for `scope`. */
    acquirePollLease(scope: string, instanceId: string, ttlMs: number): MaybePromise<boolean>;
    /** Stores a serialized report (JSON) for `scope`. */
    write(scope: string, report: string, ttlMs: number): MaybePromise<void>;
    read(scope: string): MaybePromise<string | undefined>;
}
/** A breaker transition one instance announces to the others (`half-open` is never shared: it is decided by lease). */
interface SharedBreakerTransition {
    state: 'open' | 'closed';
    /** For `open`: how long the cool-down lasts from when it is received. */
    cooldownMs?: number | undefined;
}
/**
 * Lets the breakers of several instances act as one: a breaker that opens announces it and the
 * others open too; after the cool-down, one instance cluster-wide holds the half-open trial.
 * Nothing here runs on the call path of a closed breaker: `publish` happens on transitions and is
 * never awaited by a call, `acquireTrial` when a cool-down ends. Keys are `tenant \0 provider`.
 */
interface SharedBreakerState {
    /** Announces a local transition to the other instances (fire and forget; must not throw). */
    publish(key: string, transition: SharedBreakerTransition): void;
    /** Delivers other instances' transitions for `key` (and the shared one on subscribe); returns an unsubscribe. */
    subscribe(key: string, listener: (transition: SharedBreakerTransition) => void): () => void;
    /**
     * Takes (or extends, when this instance holds it) the one half-open trial of `key` for `ttlMs`.
     * true: this instance makes the trial. A rejection means the shared state is unreachable: the
     * breaker then decides locally.
     */
    acquireTrial(key: string, ttlMs: number): Promise<boolean>;
    /** Gives the trial lease back (after the trial's outcome was published, or when it went unused). */
    releaseTrial(key: string): void;
}
/** State several instances share, handed to `createPatchbay({ sharedState })` (e.g. from `@patchbay/redis`). */
interface SharedState {
    breakers?: SharedBreakerState | undefined;
}

/** Billing units, as vendors bill them. */
type UsageUnit = 'input_tokens' | 'output_tokens' | 'cached_input_tokens' | 'characters' | 'audio_seconds' | 'messages' | 'segments' | 'requests';
interface UsageQuantity {
    unit: UsageUnit;
    quantity: number;
    /** Of `quantity`, the part that repeated input another member was already sent (live audio replayed after a failover). */
    replayed?: number | undefined;
}
type UsageOutcome = 'success' | 'error' | 'stream_cut' | 'aborted';
/** One line of metering: one unit of one attempt. Failed attempts are metered too. */
interface UsageRecord {
    tenant: string | undefined;
    kind: ProviderKind;
    provider: string;
    vendor: string;
    model: string | undefined;
    unit: UsageUnit;
    quantity: number;
    /** Of `quantity`, the part replayed after a live failover (audio an earlier member was already sent); absent when none. */
    replayed?: number | undefined;
    /** From the configured price table; `null` when no price is known (never a guessed 0). */
    cost: number | null;
    currency: string | null;
    latencyMs: number;
    outcome: UsageOutcome;
    /** The error code of a failed attempt. */
    errorCode: string | undefined;
    correlationId: string | undefined;
    /** Route that made the call, when it was routed. */
    route: string | undefined;
    attempt: number;
    timestamp: string;
}

export type { AuditAction as A, LimitReservation as L, MaybePromise as M, SharedBreakerState as S, UsageOutcome as U, AuditLog as a, AuditQuery as b, AuditRecord as c, AuditSink as d, LimitStore as e, SharedBreakerTransition as f, SharedState as g, StatusHistoryQuery as h, StatusHistoryStore as i, StatusReportCache as j, StatusSample as k, UsageQuantity as l, UsageRecord as m, UsageUnit as n };
