import { a as HealthStatus, P as ProviderKind, H as HealthResult, B as BaseProvider, C as CallOptions, T as TestOptions, R as RedactedConfig } from './provider-BZKWBVCw.js';
import { S as Secret, b as CredentialPolicy } from './credential-spec-hJtA3byY.js';
import { d as AuditSink, m as UsageRecord, n as UsageUnit, U as UsageOutcome, l as UsageQuantity, S as SharedBreakerState, e as LimitStore, g as SharedState, k as StatusSample, i as StatusHistoryStore, j as StatusReportCache } from './usage-C1uSLdYd.js';
import { a as CredentialValues, b as CredentialSourceName, C as CredentialStore } from './credential-resolver-C6ppADFM.js';
import { P as PatchbayError, c as ProviderFactory } from './provider-factory-BFziUHIm.js';
import { L as LanguageModel, c as LanguageModelCapabilities, g as LanguageModelRequest, i as LanguageModelResult, k as LanguageModelStreamResult, G as SpeechSynthesizer, H as SpeechSynthesizerCapabilities, B as SpeechRequest, E as SpeechResult, F as SpeechStreamResult, I as SpeechTextStreamOptions, K as SpeechTextStreamResult, V as Voice, T as Transcriber, N as TranscriberCapabilities, P as TranscriptionRequest, Q as TranscriptionResult, v as LiveTranscriptionRequest, w as LiveTranscriptionSession, z as MessagingProvider, x as MessagingCapabilities, O as OutboundMessage, S as SendResult } from './transcriber-Bnkc-Xgg.js';
import { E as ErrorCode } from './error-codes-Dl_-ZDZA.js';
import { j as PriceTable, P as PatchbayEvents, a as BreakerPolicy, b as BreakerState, k as RetryPolicy, n as LimitGate, F as FailoverEvent, g as PatchbayConfigInput } from './routing-events-tEXyk4_G.js';

/** Where a reported failure of user code (or of the machinery around it) came from. */
type PatchbayErrorSource = 
/** A `patchbay.on(...)` listener threw. */
'listener'
/** A usage sink threw or its promise rejected. */
 | 'usage-sink'
/** A usage sink's queue was full: records were dropped (counted in `dropped`). */
 | 'usage-queue-overflow'
/** `close()` or `flush()` gave up waiting for usage sinks to drain. */
 | 'usage-drain-timeout'
/** An audit sink threw or its promise rejected. */
 | 'audit-sink'
/** An audit sink had too many records in flight (it hangs or is slow): the record was dropped. */
 | 'audit-queue-overflow'
/** The limit store threw or rejected: the call went ahead without that limit (fail open). */
 | 'limit-store';
/** One report on the error channel: the `error` event and the `onError` option receive it. */
interface PatchbayErrorEvent {
    source: PatchbayErrorSource;
    /** What was thrown or rejected (may be anything user code throws). */
    error: unknown;
    /** For `listener`: the event type whose listener threw. */
    eventType?: string | undefined;
    /** For usage and audit sink reports: the sink's position in `usageSinks` or `audit.sinks`. */
    sink?: number | undefined;
    /** For `usage-queue-overflow`, `usage-drain-timeout` and `audit-queue-overflow`: records dropped or left undelivered. */
    dropped?: number | undefined;
}
type PatchbayErrorHandler = (event: PatchbayErrorEvent) => void;

/** A fingerprint key: at least 16 bytes, as bytes, text or a Secret. */
type AuditFingerprintKey = Uint8Array | string | Secret;
/**
 * Keyed fingerprints for audit records: HMAC-SHA-256 over a canonical serialization, in hex. Equal values
 * give equal fingerprints under one key, so a record shows *whether* a value changed; without the key a
 * fingerprint cannot be tested against guesses (a plain hash of a short phone number id could). The default
 * key is random per process: fingerprints then compare only within that process; give a stable key
 * (from your secrets manager) to compare them across restarts and instances.
 */
declare function createFingerprinter(key?: AuditFingerprintKey | undefined): (value: unknown) => string | null;

interface AuditOptions {
    /** Where records go, e.g. `[new InMemoryAuditLog()]`. Each sink is isolated: it may throw, reject or hang. */
    sinks: readonly AuditSink[];
    /**
     * HMAC key for the before/after fingerprints (at least 16 bytes). Default: random per process, so
     * fingerprints compare only within one process; pass a stable key to compare them across instances.
     */
    fingerprintKey?: AuditFingerprintKey | Secret | undefined;
    /** Records an asynchronous sink may have in flight at once (default 1,000); past that they are dropped and reported. */
    maxPendingPerSink?: number | undefined;
}
/** What a caller passes with an audited operation. */
interface AuditActor {
    /** Who did it (a user id, a service name); recorded as given. */
    actor?: string | null | undefined;
}

/** Calls and failures among a provider's most recent health-relevant attempts. */
interface RecentOutcomeSummary {
    calls: number;
    failures: number;
}

type OverallStatus = 'healthy' | 'degraded' | 'partial';
/** One provider's line in the status view (the shape integration dashboards expect). */
interface IntegrationStatus {
    status: HealthStatus;
    message: string;
    healthy: boolean;
    details?: Record<string, unknown> | undefined;
    kind: string;
    vendor: string;
    latency_ms: number;
    /** Circuit breaker state, when the provider is routed. */
    circuit?: string | undefined;
    /** Health-relevant outcomes of the provider's most recent calls (see `foldHealth`). */
    recent_calls?: RecentOutcomeSummary | undefined;
}
interface StatusReport {
    integrations: Record<string, IntegrationStatus>;
    overall_status: OverallStatus;
    last_checked: string;
}

interface UsageSummaryRow {
    tenant: string | undefined;
    kind: ProviderKind;
    provider: string;
    vendor: string;
    model: string | undefined;
    unit: UsageUnit;
    quantity: number;
    /** `null` as soon as one contributing record had no known price. */
    cost: number | null;
    currency: string | null;
    /** Records counted (attempts × units). */
    records: number;
    failures: number;
    totalLatencyMs: number;
}
/**
 * Sums usage per (tenant, provider, model, unit). Memory grows with the number of
 * distinct keys, never with the number of records, and stops growing at
 * `maxKeys` rows (default 10,000): a record of a new key past the cap is counted
 * in `droppedRecords` and stored nowhere — no index entry is made for it either.
 * Keys already stored keep summing. Rows are kept until `reset()`.
 */
declare class InMemoryUsageAggregator {
    #private;
    constructor(options?: {
        maxKeys?: number;
    });
    /** Bound, so it can be passed around as a sink. */
    readonly record: (record: UsageRecord) => void;
    get size(): number;
    get droppedRecords(): number;
    /** Rows, optionally for one tenant; copies, safe to serialise. */
    rows(filter?: {
        tenant?: string;
        provider?: string;
    }): UsageSummaryRow[];
    /** Total cost per provider; `null` where any of its usage has no known price. */
    costByProvider(filter?: {
        tenant?: string;
    }): Record<string, number | null>;
    reset(): void;
}

/** A charge a vendor reported after the call (e.g. the price in an SMS delivery report). */
interface ReportedCost {
    /** The configured provider id that made the call. */
    provider: string;
    amount: number;
    currency: string;
    tenant?: string | undefined;
    /** Ties the charge to the call, e.g. the vendor's message id. */
    correlationId?: string | undefined;
    /** The unit the charge is booked under (default `messages`); its quantity is 0, so counts are not doubled. */
    unit?: UsageUnit | undefined;
}

/** Where usage records go: a function, or an object with `record` (a database writer, a queue). */
type UsageSink = ((record: UsageRecord) => void) | {
    record(record: UsageRecord): void;
};

interface FieldIssue {
    /** Dotted path of the offending field, e.g. `routes.llm.providers.1`. */
    path: string;
    message: string;
}

/** One credential field of a tenant's provider, as an admin page may show it: never its value. */
interface CredentialFieldDescription {
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
interface CredentialDescription {
    tenant: string;
    provider: string;
    fields: CredentialFieldDescription[];
}
/** Per-tenant credential administration: every write validated against the adapter's spec and audited. */
interface CredentialAdmin {
    /** Replaces the tenant's stored credentials for a provider. */
    set(tenant: string, provider: string, values: CredentialValues, options?: AuditActor): Promise<CredentialDescription>;
    /** Replaces some fields of the stored credentials (the others stay); the tenant must have an entry. */
    rotate(tenant: string, provider: string, values: CredentialValues, options?: AuditActor): Promise<CredentialDescription>;
    /** Removes the tenant's stored credentials for a provider. */
    delete(tenant: string, provider: string, options?: AuditActor): Promise<CredentialDescription>;
    /** Field names, policies and sources for the tenant — never values. */
    describe(tenant: string, provider: string): Promise<CredentialDescription>;
}

interface CredentialValidation {
    /** True when the candidate passed the schema and a live `test()`. */
    valid: boolean;
    /** Problems by field (unknown fields, schema failures, missing values); the live test is skipped when any. */
    issues: FieldIssue[];
    health: HealthResult | undefined;
}

/** One credential field as a form renders it. */
interface CatalogueCredentialField {
    name: string;
    /** Environment variables the platform may set it with (first set wins). */
    env: readonly string[];
    /** Render as a password input; never shown back. */
    secret: boolean;
    /** Who may supply it: `tenant` fields are what a tenant enters in the form. */
    policy: CredentialPolicy;
    /** Whether a call fails without it. */
    required: boolean;
}
/** What one factory offers: enough for an "add integration" form, without hard-coding a vendor. */
interface CatalogueEntry {
    kind: ProviderKind;
    vendor: string;
    label: string;
    docsUrl: string | undefined;
    /** The adapter's capabilities (streaming, formats, live…), as its instances declare them; undefined when unknown. */
    capabilities: Readonly<Record<string, unknown>> | undefined;
    credentials: CatalogueCredentialField[];
    /** JSON Schema (draft 2020-12) of the settings besides the credential fields; undefined when unknown. */
    settings: Record<string, unknown> | undefined;
}

interface UsageQueueOptions {
    /** Records waiting per sink while it is busy with an earlier one; beyond it records are dropped and counted. Default 10,000. */
    capacity?: number | undefined;
}

/** The vendor-specific identifiers a request may carry, each with its own alias table. */
type IdentifierField = 'model' | 'voice' | 'template';
/**
 * Route aliases, per identifier field: a logical name → each member's own id
 * (`{ model: { fast: { openai: 'gpt-4o-mini', claude: 'claude-3-5-haiku-latest' } } }`),
 * like LiteLLM's model groups. Keyed by provider id, as in the route's `providers`.
 */
type RouteAliases = Partial<Record<IdentifierField, Record<string, Record<string, string>>>>;
/** A route member as aliases see it: its provider id and vendor. */
interface AliasMember {
    id: string;
    vendor: string;
}
/** What a request asks for, per field: the value as the caller wrote it. */
type RequestedIdentifiers = Partial<Record<IdentifierField, string | undefined>>;
/**
 * How one call's identifiers apply to each member. The rule:
 * - an alias name is replaced by that member's own id; a member the alias does
 *   not map is never called;
 * - any other (raw) identifier is vendor-specific: it goes only to members of
 *   the same vendor as the first member in the call's order; members of other
 *   vendors are never called with it (they would receive another vendor's id);
 * - no identifier: every member uses its own configured default.
 */
interface IdentifierPlan {
    /** Whether the member can be called with this request's identifiers. */
    serves(member: AliasMember, primaryVendor: string | undefined): boolean;
    /** The member's own value per field (undefined: keep the request's). */
    resolve(member: AliasMember): RequestedIdentifiers | undefined;
    /** True when the request carries no identifier at all (the common, free case). */
    readonly empty: boolean;
    readonly requested: RequestedIdentifiers;
}

/** Called with what a listener threw; must not throw itself (a throw is swallowed). */
type ListenerErrorHandler = (error: unknown, type: string) => void;
/**
 * Plain subscribe functions that return an unsubscribe: no EventEmitter, no
 * string-typed payloads. Emitting with no listeners costs one map lookup.
 */
declare class EventHub<Events extends Record<string, unknown>> {
    #private;
    /** `onListenerError` receives what a listener threw; without it the error is dropped. */
    constructor(options?: {
        onListenerError?: ListenerErrorHandler | undefined;
    });
    on<K extends keyof Events>(type: K, listener: (event: Events[K]) => void): () => void;
    has(type: keyof Events): boolean;
    /**
     * Calls every listener; one that throws is reported to `onListenerError` and
     * never reaches the caller that emitted (nor the process, as an uncaught error).
     */
    emit<K extends keyof Events>(type: K, event: Events[K]): void;
}

interface MeterInput {
    route: string | undefined;
    kind: ProviderKind;
    provider: string;
    vendor: string;
    model: string | undefined;
    tenant: string | undefined;
    correlationId: string | undefined;
    attempt: number;
    latencyMs: number;
    outcome: UsageOutcome;
    errorCode: string | undefined;
    quantities: readonly UsageQuantity[];
    /** A cost the vendor reported for the whole attempt: it replaces the price table's. */
    reportedCost?: {
        amount: number;
        currency: string;
    } | undefined;
}
/**
 * Prices attempts and emits one `usage` event per unit. Skipped entirely when nobody listens.
 * Pricing: a quantity of 0 costs 0 (priced or not); a non-zero quantity with no price costs `null`.
 * When the vendor reported the attempt's cost, the first unit carries that amount and the others 0.
 */
declare class UsageMeter {
    #private;
    constructor(prices: () => PriceTable, events: EventHub<PatchbayEvents>);
    record(input: MeterInput): void;
}

/** A breaker's link to the state it shares with other instances. */
interface SharedBreaker {
    state: SharedBreakerState;
    /** The breaker's identity across instances (`tenant \0 provider`). */
    key: string;
}
/**
 * One breaker per provider. Closed: calls go through and their outcomes are
 * counted in a rolling window of 10 buckets. It opens when, within the window,
 * at least `minimumCalls` calls were made and more than `failureThresholdPercent`
 * of them failed on the provider's health. Open: the router skips the provider
 * without calling it. After the cool-down: half-open, one trial call goes
 * through; its success closes the breaker, its failure opens it again.
 *
 * Built for the hot path: O(1) work per call (a counter in the current bucket;
 * a sum over the 10 buckets only on a failure), no per-call allocation, no
 * latency bookkeeping, no interval timer — buckets rotate lazily from
 * `Date.now()`, and the only timer is the cool-down of an open breaker (all on
 * the global timers, so fake clocks drive them).
 *
 * With a `SharedBreakerState` the breakers of several instances act as one:
 * an opening is published (and a published one opens this breaker too), and
 * after the cool-down the one half-open trial is a cluster-wide lease — the
 * instances that did not get it stay half-open without a trial and try for the
 * lease again every half lease (in case its holder died). A trial lease unused
 * for half a lease is given back. None of this touches a closed breaker's call
 * path; when the shared state is unreachable the breaker decides locally.
 */
declare class ProviderBreaker {
    #private;
    readonly provider: string;
    constructor(provider: string, policy: BreakerPolicy, events: EventHub<PatchbayEvents>, shared?: SharedBreaker | undefined);
    get state(): BreakerState;
    /** Whether a call may go through now (closed, or half-open with its trial not yet taken). */
    get allowsCall(): boolean;
    run<T>(action: () => Promise<T>): Promise<T>;
    /**
     * The gate of `run()` on its own, for the router's hot path (no closure per call): whether a call may start
     * now; in half-open it takes the one trial. A caller that gets `true` must hand the call to `observe()`.
     */
    enter(): boolean;
    /** The rejection of a call the breaker refused (`isOpenRejection` recognises it). */
    rejection(): Error;
    /** Counts the call's outcome when it settles; answers the same outcome. */
    observe<T>(pending: Promise<T>): Promise<T>;
    /** Whether an error came from this breaker refusing the call, not from the provider. */
    static isOpenRejection(error: unknown): boolean;
    shutdown(): void;
    /** Counts a call that `enter()` let through and that succeeded (what `observe` does when it settles). */
    succeededOnce(): void;
    /** Counts a call that `enter()` let through and that failed with `error`. */
    failedWith(error: unknown): void;
}

interface WeightedMember<P> {
    id: string;
    provider: P;
    weight: number;
}

interface RouteMember<P extends BaseProvider> extends WeightedMember<P> {
    breaker: ProviderBreaker;
}
/** A route with its members resolved to provider instances; immutable, swapped whole on reconfiguration. */
interface ResolvedRoute<P extends BaseProvider> {
    name: string;
    kind: ProviderKind;
    strategy: 'priority' | 'weighted' | 'round-robin';
    stickyKey: 'tenant' | 'correlationId' | 'none';
    members: readonly RouteMember<P>[];
    attemptTimeoutMs: number | undefined;
    deadlineMs: number | undefined;
    retry: RetryPolicy;
    failover: Readonly<Record<ErrorCode, boolean>>;
    repeatUnknownOutcome: boolean;
    /** Logical identifier names → each member's own id (see route-aliases.ts). */
    aliases?: RouteAliases | undefined;
}
/** One kind of call a routed provider makes on its members. */
interface Operation<P extends BaseProvider, R> {
    invoke(provider: P, options: CallOptions): Promise<R>;
    /** Billing quantities of a successful result. */
    usage(result: R): UsageQuantity[];
    /** Billing quantities expected before the call (characters to synthesise, output tokens asked for): what budgets reserve. */
    estimate?(): UsageQuantity[];
    /** Units metered with quantity 0 when an attempt fails. */
    failureUnits: readonly UsageUnit[];
    /** The model of a result, or (result undefined: a failed attempt) the model the member was asked for. */
    model(result: R | undefined, provider: P): string | undefined;
    /** Members that cannot serve this operation (missing capability) are left out. */
    eligible?(provider: P): boolean;
    /**
     * False when the input can be consumed only once (an audio byte stream): the
     * router then makes a single attempt on the first eligible member.
     */
    replayable?: boolean | undefined;
    /** The error to raise when no member is eligible (e.g. nobody can produce the requested format). */
    ineligible?(): PatchbayError;
    /** The request's vendor-specific identifiers (model, voice, template) and how they map to each member. */
    identifiers?: IdentifierPlan | undefined;
    /** A cost the vendor reported for this result; metered instead of the price table. */
    reportedCost?(result: R): {
        amount: number;
        currency: string;
    } | undefined;
    /**
     * For results that keep running after the call returns (live sessions): the
     * router meters once when `finish` is called instead of at success.
     */
    wrap?(result: R, finish: (quantities: UsageQuantity[], outcome: UsageOutcome) => void): R;
}
/** A streaming operation: the stream must produce its first part before the call counts as served. */
interface StreamOperation<P extends BaseProvider, R extends {
    stream: AsyncIterable<T>;
}, T> extends Omit<Operation<P, R>, 'usage' | 'wrap'> {
    /** Quantities known when the stream starts (e.g. characters to synthesise). */
    usage(result: R): UsageQuantity[];
    /** Updates the tally as parts pass (e.g. token counts from a usage part). */
    observe?(part: T, tally: Map<UsageUnit, number>): void;
}
/**
 * Runs calls over a route: orders members by strategy, skips open breakers,
 * retries the same member per policy, fails over per error code, bounds each
 * attempt and the whole call, meters every attempt and emits events. The
 * caller's signal reaches every member call.
 */
declare class RouteExecutor {
    #private;
    constructor(events: EventHub<PatchbayEvents>, meter: UsageMeter, limits?: LimitGate | undefined);
    /** Reports a failover decided after a call returned: a live session that moved to another member. */
    emitFailover(event: FailoverEvent): void;
    /** Stops the shared timeout timer (calls made afterwards arm it again). */
    close(): void;
    call<P extends BaseProvider, R>(route: ResolvedRoute<P>, operation: Operation<P, R>, options?: CallOptions): Promise<R>;
    stream<P extends BaseProvider, R extends {
        stream: AsyncIterable<T>;
    }, T>(route: ResolvedRoute<P>, operation: StreamOperation<P, R, T>, options?: CallOptions): Promise<R>;
}

/** How a routed provider reaches its route: read fresh on every call, so reconfiguration applies to the next call. */
interface RouteHandle<P extends BaseProvider> {
    readonly name: string;
    readonly kind: ProviderKind;
    current(): ResolvedRoute<P>;
    readonly executor: RouteExecutor;
    /** The route's configuration as written, for `getConfig()`. */
    describe(): Record<string, unknown>;
    /** Validates and applies a route patch (strategy, providers, timeouts…). */
    update(patch: Record<string, unknown>): Promise<void>;
    /** Options every call through this handle carries (a tenant view pins its tenant here). */
    readonly pinned?: Partial<CallOptions> | undefined;
    /**
     * The shared handle only: the routed provider that serves a call naming `tenant` (that tenant's own handle
     * when it has overrides), or undefined to serve the call here. Every call method asks it first, so a tenant
     * named in call options never slips past its scope.
     */
    readonly forTenant?: ((tenant: string) => BaseProvider | undefined) | undefined;
}
/**
 * The half every routed provider shares. A routed provider has exactly the
 * interface of a single provider of its kind, so callers cannot tell them apart.
 */
declare abstract class RoutedProvider<P extends BaseProvider> implements BaseProvider {
    #private;
    readonly specificationVersion: "v1";
    readonly vendor = "routed";
    protected readonly handle: RouteHandle<P>;
    constructor(handle: RouteHandle<P>);
    get id(): string;
    get kind(): ProviderKind;
    protected get members(): readonly P[];
    protected options(options: CallOptions | undefined): CallOptions;
    /** The routed provider of the tenant the options name, when that is not this one (see `RouteHandle.forTenant`). */
    protected redirect(options: CallOptions | undefined): this | undefined;
    /** Connected when at least one member is; details list every member's own result. */
    test(options?: TestOptions): Promise<HealthResult>;
    getConfig(): RedactedConfig;
    updateConfig(patch: Record<string, unknown>): Promise<void>;
}
declare class RoutedLanguageModel extends RoutedProvider<LanguageModel> implements LanguageModel {
    get kind(): 'llm';
    get capabilities(): LanguageModelCapabilities;
    generate(request: LanguageModelRequest, options?: CallOptions): Promise<LanguageModelResult>;
    stream(request: LanguageModelRequest, options?: CallOptions): Promise<LanguageModelStreamResult>;
}
declare class RoutedSpeechSynthesizer extends RoutedProvider<SpeechSynthesizer> implements SpeechSynthesizer {
    #private;
    get kind(): 'tts';
    get capabilities(): SpeechSynthesizerCapabilities;
    synthesize(request: SpeechRequest, options?: CallOptions): Promise<SpeechResult>;
    stream(request: SpeechRequest, options?: CallOptions): Promise<SpeechStreamResult>;
    /** Text as it arrives, over the members that have `streamText` (see routed-text-to-speech.ts). */
    streamText(text: AsyncIterable<string>, options?: SpeechTextStreamOptions): Promise<SpeechTextStreamResult>;
    /** Voices of the first member that can list them. */
    listVoices(options?: CallOptions): Promise<Voice[]>;
}
declare class RoutedTranscriber extends RoutedProvider<Transcriber> implements Transcriber {
    #private;
    get kind(): 'stt';
    get capabilities(): TranscriberCapabilities;
    transcribe(request: TranscriptionRequest, options?: CallOptions): Promise<TranscriptionResult>;
    /**
     * Only members that declare live support (and the encoding) are ever chosen; failover happens while the session
     * opens and, for raw audio, mid-session too (see routed-live-transcription.ts).
     */
    transcribeLive(request: LiveTranscriptionRequest, options?: CallOptions): Promise<LiveTranscriptionSession>;
}
declare class RoutedMessagingProvider extends RoutedProvider<MessagingProvider> implements MessagingProvider {
    get kind(): 'sms' | 'whatsapp';
    get capabilities(): MessagingCapabilities;
    send(message: OutboundMessage, options?: CallOptions): Promise<SendResult>;
}

interface PatchbayOptions {
    /** The declarative configuration (plain data; `Secret`s allowed wherever a secret goes); validated completely at load. */
    config: PatchbayConfigInput;
    /** The adapters configuration may use, e.g. `[openaiLanguageModelFactory, twilioSmsProviderFactory]`. */
    factories: readonly ProviderFactory[];
    /** Per-tenant credentials. */
    credentialStore?: CredentialStore | undefined;
    /** Environment for credentials; defaults to `process.env`; `false` disables it. */
    env?: Readonly<Record<string, string | undefined>> | false | undefined;
    /** HTTP client handed to every adapter (tests, proxies). */
    fetch?: typeof globalThis.fetch | undefined;
    /** Receive every usage record (a database writer, a queue). Each sink is isolated: see `usageQueue`. */
    usageSinks?: readonly UsageSink[] | undefined;
    /** Bounds of the per-sink queue that holds records while an asynchronous sink is busy. */
    usageQueue?: (UsageQueueOptions & {
        closeTimeoutMs?: number | undefined;
    }) | undefined;
    /**
     * Receives failures of user code — a listener that threw, a usage sink that
     * threw or rejected, a full sink queue, a sink that did not drain at `close()`.
     * The `error` event gets the same reports. Neither changes a call's result.
     */
    onError?: PatchbayErrorHandler | undefined;
    /**
     * Audit trail of configuration and credential changes: records go to `audit.sinks` (e.g. an
     * `InMemoryAuditLog`), isolated from the operation. Without it nothing is recorded.
     */
    audit?: AuditOptions | undefined;
    /**
     * Counters behind `config.limits` (budgets and rate limits). Default: an `InMemoryLimitStore` for this
     * process; give a shared one (`@patchbay/redis`) when several instances enforce the same limits.
     */
    limitStore?: LimitStore | undefined;
    /** How long a call waits for an asynchronous limit store before going ahead without it (fail open). Default 200 ms. */
    limitStoreTimeoutMs?: number | undefined;
    /** State shared with other instances (breakers), e.g. `createRedisSharedState(…)` from `@patchbay/redis`. */
    sharedState?: SharedState | undefined;
    /** Bounds on per-tenant structures (least recently used go first; rebuilt on the next use). */
    tenantLimits?: {
        /** Tenant scopes (tenants with overrides) held at once. Default 1,000. */
        maxScopes?: number | undefined;
        /** Tenant views (`tenant(id)`) and routed handles held at once. Default 1,000 views, 4× as many handles. */
        maxViews?: number | undefined;
    } | undefined;
}
/** Routed providers, per kind and per route name; what application code calls. */
interface PatchbayProviders {
    /** The `llm` route (or the only LLM route, or all LLM providers in configured order). */
    readonly llm: RoutedLanguageModel;
    readonly tts: RoutedSpeechSynthesizer;
    readonly stt: RoutedTranscriber;
    readonly sms: RoutedMessagingProvider;
    readonly whatsapp: RoutedMessagingProvider;
    /** A route by name. */
    route(name: string): BaseProvider;
    /** One configured provider, unrouted (in a tenant's view: bound to that tenant). */
    provider(id: string): BaseProvider;
    /**
     * Every configured provider's `test()` in parallel, folded with breaker state and recent calls.
     * While a status monitor runs (`createStatusMonitor`), answers its last report at once instead;
     * `refresh: true` makes the monitor check now.
     */
    status(options?: {
        signal?: AbortSignal;
        refresh?: boolean;
    }): Promise<StatusReport>;
}
/** Every event `patchbay.on` offers: the routing events plus `error` (the error channel). */
interface PatchbayEventMap extends PatchbayEvents {
    error: PatchbayErrorEvent;
}
interface Patchbay extends PatchbayProviders {
    /** The same providers seen by one tenant: its overrides, its credentials, its usage labels. */
    tenant(id: string): PatchbayProviders;
    /** Subscribe to `attempt`, `retry`, `failover`, `breaker`, `usage`, `error`; returns an unsubscribe. */
    on<K extends keyof PatchbayEventMap>(type: K, listener: (event: PatchbayEventMap[K]) => void): () => void;
    /** Usage summed per tenant, provider, model and unit since start. */
    readonly usage: InMemoryUsageAggregator;
    /**
     * Merges a patch into the configuration, validates the whole, and swaps it in
     * at once (e.g. a new primary). Invalid: throws naming the path; nothing changes.
     * Audited (one record per provider, route or limit changed) with the `actor` given.
     */
    updateConfig(patch: Record<string, unknown>, options?: AuditActor): Promise<void>;
    /** Per-tenant credentials: set, rotate, delete, describe — validated against each adapter's spec and audited. */
    readonly credentials: CredentialAdmin;
    /** What every configured factory offers (label, kind, capabilities, credential fields, settings schema). */
    catalogue(): CatalogueEntry[];
    /** The configuration with provider secrets redacted. */
    getConfig(): Record<string, unknown>;
    /**
     * Checks a candidate credential set (credential fields only) for a configured
     * provider against the adapter's schema, then live with `test()` — using the
     * candidate alone, no environment or stored values. Never throws for a bad
     * candidate: the answer lists the issues.
     */
    validateCredentials(provider: string, candidate: CredentialValues, options?: {
        tenant?: string;
        signal?: AbortSignal;
        actor?: string | null;
    }): Promise<CredentialValidation>;
    /**
     * Meters a cost a vendor reported after the call (an SMS delivery report's price): one usage record
     * with quantity 0 and that cost, to the aggregator, the sinks and `usage` listeners alike.
     * A provider that is not configured, or a malformed amount or currency, is `invalid_request`.
     */
    recordReportedCost(cost: ReportedCost): void;
    /** Waits until every usage sink has taken every record so far (bounded by `timeoutMs` when given). */
    flush(options?: {
        timeoutMs?: number;
    }): Promise<{
        drained: boolean;
        pending: number;
    }>;
    /**
     * Flushes the usage sinks (waiting at most `usageQueue.closeTimeoutMs`, default
     * 5 s; a sink still busy then is reported on the error channel), then stops
     * every breaker timer.
     */
    close(): Promise<void>;
}
/** Key of a non-enumerable function on a Patchbay returning the sizes of its per-tenant structures. */
declare const patchbaySizes: unique symbol;
/** Sizes of the per-tenant structures (each bounded; see `tenantLimits`). */
interface PatchbaySizes {
    views: number;
    routeHandles: number;
    tenantScopes: number;
    providerInstances: number;
    recentOutcomeKeys: number;
    /** The largest per-instance credential cache (tenants). */
    credentialCacheTenants: number;
}
/**
 * Composes the parts: the config store (validate everything, then swap), the
 * provider registry (instances and breakers by tenant + provider), tenant
 * scopes (the one place a tenant id becomes what its calls use), the route
 * executor, metering, the usage dispatcher and the error channel. Everything a
 * caller holds reads the current configuration on every call.
 */
declare function createPatchbay(options: PatchbayOptions): Patchbay;

/** What a custom check may answer; `true`/nothing means connected, `false` means error. */
interface CustomCheckResult {
    status?: HealthStatus | undefined;
    message?: string | undefined;
    details?: Record<string, unknown> | undefined;
}
/**
 * A named check for a dependency that is not a provider (a database, Stripe, an email service).
 * It may throw or hang: it runs under the monitor's per-check timeout, and a thrown error's
 * message is NOT shown (it may hold a connection string): return `{ status: 'error', message }` to
 * explain a failure. The thrown error reaches the monitor's `error` listeners.
 */
type CustomCheck = (context: {
    signal: AbortSignal;
    tenant: string | undefined;
}) => CustomCheckResult | boolean | undefined | Promise<CustomCheckResult | boolean | undefined>;

/** Uptime and latency of one provider over a window, from its status history. */
interface StatusSummary {
    /** Samples in the window. */
    samples: number;
    /** Share of configured samples (0–1) that were `connected`; null when there were none. */
    uptime: number | null;
    /** Check latency percentiles (nearest rank), ms; null without latency samples. */
    latencyMs: {
        p50: number | null;
        p95: number | null;
        p99: number | null;
    };
}
/**
 * Summarises samples (already restricted to one provider and window). `not_configured`
 * samples do not count against uptime: a provider nobody set up is not down.
 */
declare function summarizeStatusSamples(samples: readonly StatusSample[]): StatusSummary;

/** Usage of one tenant, provider and unit over a window. */
interface UsageWindowRow {
    tenant: string | null;
    provider: string;
    unit: string;
    quantity: number;
    /** `null` as soon as one record in the window had no known price. */
    cost: number | null;
    currency: string | null;
    /** Usage records counted (attempts × units). */
    calls: number;
    failures: number;
}
interface UsageWindowsOptions {
    /** Width of one bucket. Default 5 min. */
    bucketMs?: number | undefined;
    /** How far back windows reach. Default 24 h. */
    spanMs?: number | undefined;
    /** Tenant/provider/unit keys held (least recently written dropped first). Default 1,000. */
    maxKeys?: number | undefined;
}
/**
 * Usage summed in time buckets, so a status page can show usage and cost over the last hour or day
 * (the usage aggregator sums since start). Fixed memory per key (`spanMs / bucketMs` slots) and at
 * most `maxKeys` keys.
 */
declare class UsageWindows {
    #private;
    constructor(options?: UsageWindowsOptions);
    get size(): number;
    /** The longest window answered in full. */
    get spanMs(): number;
    readonly record: (record: UsageRecord) => void;
    /** Rows with usage in the last `windowMs` (whole buckets), optionally for one tenant (null: the platform's own). */
    rows(options: {
        windowMs: number;
        tenant?: string | null | undefined;
        now?: number | undefined;
    }): UsageWindowRow[];
}

/** A provider's (or custom check's) status changed, or a scope's overall status did. */
type StatusChangedEvent = {
    target: 'integration';
    integration: string;
    tenant: string | null;
    previous: HealthStatus;
    current: HealthStatus;
    message: string;
    at: string;
} | {
    target: 'overall';
    tenant: string | null;
    previous: OverallStatus;
    current: OverallStatus;
    at: string;
};
/** User code the monitor called failed (a check threw, the history store or cache failed or hung, a listener threw). */
interface StatusMonitorErrorEvent {
    source: 'check' | 'history' | 'cache' | 'listener';
    error: unknown;
    /** The custom check's name, for `check`. */
    check?: string | undefined;
}
interface StatusMonitorEvents extends Record<string, unknown> {
    status_changed: StatusChangedEvent;
    error: StatusMonitorErrorEvent;
}
interface StatusMonitorOptions {
    /** Time between the end of one poll round and the start of the next. Default 60 s. */
    intervalMs?: number | undefined;
    /** Spread of each interval, as a share of it (0.1: ±10 %), so instances do not poll in step. Default 0.1. */
    jitter?: number | undefined;
    /** Time limit of each check; default the configuration's `health.timeoutMs`. */
    timeoutMs?: number | undefined;
    /** Checks running at once, across providers, custom checks and tenants. Default 4. */
    concurrency?: number | undefined;
    /** Named checks for dependencies that are not providers; they join every report and its overall status. */
    checks?: Readonly<Record<string, CustomCheck>> | undefined;
    /** Tenants polled in the background besides the platform view. Others are checked when first asked for. */
    tenants?: readonly string[] | undefined;
    /** Tenant reports held for tenants not in `tenants` (least recently read dropped first). Default 1,000. */
    maxTenants?: number | undefined;
    /** Where samples go; default an `InMemoryStatusHistoryStore`. */
    history?: StatusHistoryStore | undefined;
    /** Shares reports across instances: the lease holder polls and writes, the others read. */
    cache?: StatusReportCache | undefined;
    /** This instance's id for the poll lease; default a random UUID. */
    instanceId?: string | undefined;
    /** Answer `patchbay.status()` from this monitor while it runs. Default true. */
    attach?: boolean | undefined;
    /** Start polling at once. Default true; otherwise call `start()`. */
    autoStart?: boolean | undefined;
    /** Usage kept in time buckets for `usage({ windowMs })` (the status page); `false` keeps none. */
    usage?: UsageWindowsOptions | false | undefined;
    /** Random source for the jitter (tests). */
    random?: (() => number) | undefined;
}
interface TenantStatusView {
    /** Null-prototype map from tenant id to its report. */
    tenants: Record<string, StatusReport>;
    /** The worst overall status across the tenants (healthy when there are none). */
    overall_status: OverallStatus;
    last_checked: string;
}
interface StatusMonitor {
    readonly running: boolean;
    /** Tenant reports held (polled tenants plus at most `maxTenants` others), for diagnostics. */
    readonly tenantReports: number;
    /** Starts polling (no-op when running). */
    start(): void;
    /** Stops polling, aborts checks in flight, detaches from `patchbay.status()`; leaves no timer. */
    stop(): void;
    /** The last report for the platform or a tenant, at once; checks first only when none exists yet. */
    report(options?: {
        tenant?: string | undefined;
        signal?: AbortSignal | undefined;
    }): Promise<StatusReport>;
    /** Checks now (joining a check already in flight for the same scope). */
    refresh(options?: {
        tenant?: string | undefined;
        signal?: AbortSignal | undefined;
    }): Promise<StatusReport>;
    /** Reports for many tenants (for an admin page), at most `concurrency` tenants checked at once. */
    tenants(ids: readonly string[], options?: {
        refresh?: boolean | undefined;
        concurrency?: number | undefined;
    }): Promise<TenantStatusView>;
    /** Samples of one provider or check, oldest first. */
    history(integration: string, options?: {
        tenant?: string | undefined;
        windowMs?: number | undefined;
        limit?: number | undefined;
    }): Promise<StatusSample[]>;
    /** Uptime and latency percentiles of one provider or check over a window (default 1 h). */
    summary(integration: string, options?: {
        tenant?: string | undefined;
        windowMs?: number | undefined;
    }): Promise<StatusSummary>;
    /**
     * Usage and cost per tenant, provider and unit over the last `windowMs` (whole buckets; at most
     * the configured span, default 24 h), recorded while the monitor runs. `tenant: null` is the
     * platform's own usage; omitted, every tenant's.
     */
    usage(options: {
        windowMs: number;
        tenant?: string | null | undefined;
    }): UsageWindowRow[];
    on<K extends keyof StatusMonitorEvents>(type: K, listener: (event: StatusMonitorEvents[K]) => void): () => void;
}
/**
 * Polls a Patchbay's providers (and custom checks) on an interval and serves the last report at
 * once. While it runs, `patchbay.status()` answers from it (`refresh: true` checks now).
 */
declare function createStatusMonitor(patchbay: Patchbay, options?: StatusMonitorOptions): StatusMonitor;

export { type AuditActor as A, type StatusMonitorOptions as B, type CatalogueCredentialField as C, type StatusReport as D, type StatusSummary as E, type UsageSink as F, type UsageSummaryRow as G, type UsageWindowRow as H, type IdentifierField as I, UsageWindows as J, type UsageWindowsOptions as K, createFingerprinter as L, createPatchbay as M, createStatusMonitor as N, type OverallStatus as O, type Patchbay as P, patchbaySizes as Q, type ReportedCost as R, type StatusChangedEvent as S, type TenantStatusView as T, type UsageQueueOptions as U, summarizeStatusSamples as V, type FieldIssue as W, type AuditFingerprintKey as a, type AuditOptions as b, type CatalogueEntry as c, type CredentialAdmin as d, type CredentialDescription as e, type CredentialFieldDescription as f, type CredentialValidation as g, type CustomCheck as h, type CustomCheckResult as i, InMemoryUsageAggregator as j, type IntegrationStatus as k, type PatchbayErrorEvent as l, type PatchbayErrorHandler as m, type PatchbayErrorSource as n, type PatchbayEventMap as o, type PatchbayOptions as p, type PatchbayProviders as q, type PatchbaySizes as r, type RouteAliases as s, RoutedLanguageModel as t, RoutedMessagingProvider as u, RoutedSpeechSynthesizer as v, RoutedTranscriber as w, type StatusMonitor as x, type StatusMonitorErrorEvent as y, type StatusMonitorEvents as z };
