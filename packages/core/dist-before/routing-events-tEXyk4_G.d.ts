import { E as ErrorCode } from './error-codes-Dl_-ZDZA.js';
import { z } from 'zod';
import { n as UsageUnit, e as LimitStore, l as UsageQuantity, m as UsageRecord } from './usage-C1uSLdYd.js';
import { P as ProviderKind } from './provider-BZKWBVCw.js';

declare const retryPolicySchema: z.ZodObject<{
    maxRetries: z.ZodDefault<z.ZodNumber>;
    initialDelayMs: z.ZodDefault<z.ZodNumber>;
    maxDelayMs: z.ZodDefault<z.ZodNumber>;
    multiplier: z.ZodDefault<z.ZodNumber>;
    jitter: z.ZodDefault<z.ZodBoolean>;
    maxRetryAfterMs: z.ZodDefault<z.ZodNumber>;
}, z.core.$strict>;
declare const breakerPolicySchema: z.ZodObject<{
    enabled: z.ZodDefault<z.ZodBoolean>;
    failureThresholdPercent: z.ZodDefault<z.ZodNumber>;
    minimumCalls: z.ZodDefault<z.ZodNumber>;
    windowMs: z.ZodDefault<z.ZodNumber>;
    cooldownMs: z.ZodDefault<z.ZodNumber>;
}, z.core.$strict>;
declare const routeConfigSchema: z.ZodObject<{
    kind: z.ZodOptional<z.ZodEnum<{
        [x: string]: string;
    }>>;
    strategy: z.ZodDefault<z.ZodEnum<{
        priority: "priority";
        weighted: "weighted";
        "round-robin": "round-robin";
    }>>;
    providers: z.ZodArray<z.ZodUnion<readonly [z.ZodString, z.ZodObject<{
        provider: z.ZodString;
        weight: z.ZodDefault<z.ZodNumber>;
    }, z.core.$strict>]>>;
    stickyKey: z.ZodDefault<z.ZodEnum<{
        tenant: "tenant";
        correlationId: "correlationId";
        none: "none";
    }>>;
    attemptTimeoutMs: z.ZodOptional<z.ZodNumber>;
    deadlineMs: z.ZodOptional<z.ZodNumber>;
    retry: z.ZodOptional<z.ZodObject<{
        maxRetries: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
        initialDelayMs: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
        maxDelayMs: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
        multiplier: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
        jitter: z.ZodOptional<z.ZodDefault<z.ZodBoolean>>;
        maxRetryAfterMs: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
    }, z.core.$strict>>;
    failover: z.ZodOptional<z.ZodRecord<z.ZodEnum<{
        auth: "auth";
        rate_limited: "rate_limited";
        quota_exceeded: "quota_exceeded";
        timeout: "timeout";
        connection: "connection";
        unavailable: "unavailable";
        invalid_request: "invalid_request";
        not_configured: "not_configured";
        content_policy: "content_policy";
        context_length: "context_length";
        stream_cut: "stream_cut";
        aborted: "aborted";
        limit_exceeded: "limit_exceeded";
        unknown: "unknown";
    }> & z.core.$partial, z.ZodBoolean>>;
    repeatUnknownOutcome: z.ZodOptional<z.ZodBoolean>;
    aliases: z.ZodOptional<z.ZodRecord<z.ZodEnum<{
        model: "model";
        voice: "voice";
        template: "template";
    }> & z.core.$partial, z.ZodRecord<z.ZodString, z.ZodRecord<z.ZodString, z.ZodString>>>>;
}, z.core.$strict>;
declare const priceSchema: z.ZodObject<{
    provider: z.ZodOptional<z.ZodString>;
    vendor: z.ZodOptional<z.ZodString>;
    model: z.ZodOptional<z.ZodString>;
    unit: z.ZodEnum<{
        input_tokens: "input_tokens";
        output_tokens: "output_tokens";
        cached_input_tokens: "cached_input_tokens";
        characters: "characters";
        audio_seconds: "audio_seconds";
        messages: "messages";
        segments: "segments";
        requests: "requests";
    }>;
    price: z.ZodNumber;
    per: z.ZodDefault<z.ZodNumber>;
    currency: z.ZodDefault<z.ZodString>;
}, z.core.$strict>;
declare const tenantSchema: z.ZodObject<{
    providers: z.ZodDefault<z.ZodRecord<z.ZodString, z.ZodObject<{
        settings: z.ZodRecord<z.ZodString, z.ZodUnknown>;
    }, z.core.$strict>>>;
    routes: z.ZodDefault<z.ZodRecord<z.ZodString, z.ZodObject<{
        kind: z.ZodOptional<z.ZodOptional<z.ZodEnum<{
            [x: string]: string;
        }>>>;
        strategy: z.ZodOptional<z.ZodDefault<z.ZodEnum<{
            priority: "priority";
            weighted: "weighted";
            "round-robin": "round-robin";
        }>>>;
        providers: z.ZodOptional<z.ZodArray<z.ZodUnion<readonly [z.ZodString, z.ZodObject<{
            provider: z.ZodString;
            weight: z.ZodDefault<z.ZodNumber>;
        }, z.core.$strict>]>>>;
        stickyKey: z.ZodOptional<z.ZodDefault<z.ZodEnum<{
            tenant: "tenant";
            correlationId: "correlationId";
            none: "none";
        }>>>;
        attemptTimeoutMs: z.ZodOptional<z.ZodOptional<z.ZodNumber>>;
        deadlineMs: z.ZodOptional<z.ZodOptional<z.ZodNumber>>;
        retry: z.ZodOptional<z.ZodOptional<z.ZodObject<{
            maxRetries: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
            initialDelayMs: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
            maxDelayMs: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
            multiplier: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
            jitter: z.ZodOptional<z.ZodDefault<z.ZodBoolean>>;
            maxRetryAfterMs: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
        }, z.core.$strict>>>;
        failover: z.ZodOptional<z.ZodOptional<z.ZodRecord<z.ZodEnum<{
            auth: "auth";
            rate_limited: "rate_limited";
            quota_exceeded: "quota_exceeded";
            timeout: "timeout";
            connection: "connection";
            unavailable: "unavailable";
            invalid_request: "invalid_request";
            not_configured: "not_configured";
            content_policy: "content_policy";
            context_length: "context_length";
            stream_cut: "stream_cut";
            aborted: "aborted";
            limit_exceeded: "limit_exceeded";
            unknown: "unknown";
        }> & z.core.$partial, z.ZodBoolean>>>;
        repeatUnknownOutcome: z.ZodOptional<z.ZodOptional<z.ZodBoolean>>;
        aliases: z.ZodOptional<z.ZodOptional<z.ZodRecord<z.ZodEnum<{
            model: "model";
            voice: "voice";
            template: "template";
        }> & z.core.$partial, z.ZodRecord<z.ZodString, z.ZodRecord<z.ZodString, z.ZodString>>>>>;
    }, z.core.$strict>>>;
    environmentCredentials: z.ZodDefault<z.ZodBoolean>;
}, z.core.$strict>;
/** What a limit counts. `tokens` is input + cached input + output; `cost` is priced cost in `currency`. */
declare const limitMetrics: readonly ["requests", "tokens", "input_tokens", "output_tokens", "characters", "audio_seconds", "messages", "segments", "cost"];
declare const limitSchema: z.ZodObject<{
    tenant: z.ZodOptional<z.ZodUnion<readonly [z.ZodLiteral<"*">, z.ZodString]>>;
    provider: z.ZodOptional<z.ZodString>;
    route: z.ZodOptional<z.ZodString>;
    metric: z.ZodEnum<{
        input_tokens: "input_tokens";
        output_tokens: "output_tokens";
        characters: "characters";
        audio_seconds: "audio_seconds";
        messages: "messages";
        segments: "segments";
        requests: "requests";
        tokens: "tokens";
        cost: "cost";
    }>;
    max: z.ZodNumber;
    window: z.ZodUnion<readonly [z.ZodEnum<{
        second: "second";
        minute: "minute";
        hour: "hour";
        day: "day";
        month: "month";
    }>, z.ZodNumber]>;
    currency: z.ZodDefault<z.ZodString>;
    warnAt: z.ZodDefault<z.ZodNumber>;
    enforce: z.ZodDefault<z.ZodEnum<{
        hard: "hard";
        soft: "soft";
    }>>;
}, z.core.$strict>;
declare const patchbayConfigSchema: z.ZodObject<{
    providers: z.ZodRecord<z.ZodString, z.ZodObject<{
        kind: z.ZodEnum<{
            [x: string]: string;
        }>;
        vendor: z.ZodString;
        settings: z.ZodDefault<z.ZodRecord<z.ZodString, z.ZodUnknown>>;
    }, z.core.$strict>>;
    routes: z.ZodDefault<z.ZodRecord<z.ZodString, z.ZodObject<{
        kind: z.ZodOptional<z.ZodEnum<{
            [x: string]: string;
        }>>;
        strategy: z.ZodDefault<z.ZodEnum<{
            priority: "priority";
            weighted: "weighted";
            "round-robin": "round-robin";
        }>>;
        providers: z.ZodArray<z.ZodUnion<readonly [z.ZodString, z.ZodObject<{
            provider: z.ZodString;
            weight: z.ZodDefault<z.ZodNumber>;
        }, z.core.$strict>]>>;
        stickyKey: z.ZodDefault<z.ZodEnum<{
            tenant: "tenant";
            correlationId: "correlationId";
            none: "none";
        }>>;
        attemptTimeoutMs: z.ZodOptional<z.ZodNumber>;
        deadlineMs: z.ZodOptional<z.ZodNumber>;
        retry: z.ZodOptional<z.ZodObject<{
            maxRetries: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
            initialDelayMs: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
            maxDelayMs: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
            multiplier: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
            jitter: z.ZodOptional<z.ZodDefault<z.ZodBoolean>>;
            maxRetryAfterMs: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
        }, z.core.$strict>>;
        failover: z.ZodOptional<z.ZodRecord<z.ZodEnum<{
            auth: "auth";
            rate_limited: "rate_limited";
            quota_exceeded: "quota_exceeded";
            timeout: "timeout";
            connection: "connection";
            unavailable: "unavailable";
            invalid_request: "invalid_request";
            not_configured: "not_configured";
            content_policy: "content_policy";
            context_length: "context_length";
            stream_cut: "stream_cut";
            aborted: "aborted";
            limit_exceeded: "limit_exceeded";
            unknown: "unknown";
        }> & z.core.$partial, z.ZodBoolean>>;
        repeatUnknownOutcome: z.ZodOptional<z.ZodBoolean>;
        aliases: z.ZodOptional<z.ZodRecord<z.ZodEnum<{
            model: "model";
            voice: "voice";
            template: "template";
        }> & z.core.$partial, z.ZodRecord<z.ZodString, z.ZodRecord<z.ZodString, z.ZodString>>>>;
    }, z.core.$strict>>>;
    defaults: z.ZodDefault<z.ZodObject<{
        retry: z.ZodOptional<z.ZodObject<{
            maxRetries: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
            initialDelayMs: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
            maxDelayMs: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
            multiplier: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
            jitter: z.ZodOptional<z.ZodDefault<z.ZodBoolean>>;
            maxRetryAfterMs: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
        }, z.core.$strict>>;
        breaker: z.ZodOptional<z.ZodObject<{
            enabled: z.ZodOptional<z.ZodDefault<z.ZodBoolean>>;
            failureThresholdPercent: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
            minimumCalls: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
            windowMs: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
            cooldownMs: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
        }, z.core.$strict>>;
        attemptTimeoutMs: z.ZodOptional<z.ZodNumber>;
        deadlineMs: z.ZodOptional<z.ZodNumber>;
    }, z.core.$strict>>;
    pricing: z.ZodDefault<z.ZodArray<z.ZodObject<{
        provider: z.ZodOptional<z.ZodString>;
        vendor: z.ZodOptional<z.ZodString>;
        model: z.ZodOptional<z.ZodString>;
        unit: z.ZodEnum<{
            input_tokens: "input_tokens";
            output_tokens: "output_tokens";
            cached_input_tokens: "cached_input_tokens";
            characters: "characters";
            audio_seconds: "audio_seconds";
            messages: "messages";
            segments: "segments";
            requests: "requests";
        }>;
        price: z.ZodNumber;
        per: z.ZodDefault<z.ZodNumber>;
        currency: z.ZodDefault<z.ZodString>;
    }, z.core.$strict>>>;
    tenants: z.ZodDefault<z.ZodRecord<z.ZodString, z.ZodObject<{
        providers: z.ZodDefault<z.ZodRecord<z.ZodString, z.ZodObject<{
            settings: z.ZodRecord<z.ZodString, z.ZodUnknown>;
        }, z.core.$strict>>>;
        routes: z.ZodDefault<z.ZodRecord<z.ZodString, z.ZodObject<{
            kind: z.ZodOptional<z.ZodOptional<z.ZodEnum<{
                [x: string]: string;
            }>>>;
            strategy: z.ZodOptional<z.ZodDefault<z.ZodEnum<{
                priority: "priority";
                weighted: "weighted";
                "round-robin": "round-robin";
            }>>>;
            providers: z.ZodOptional<z.ZodArray<z.ZodUnion<readonly [z.ZodString, z.ZodObject<{
                provider: z.ZodString;
                weight: z.ZodDefault<z.ZodNumber>;
            }, z.core.$strict>]>>>;
            stickyKey: z.ZodOptional<z.ZodDefault<z.ZodEnum<{
                tenant: "tenant";
                correlationId: "correlationId";
                none: "none";
            }>>>;
            attemptTimeoutMs: z.ZodOptional<z.ZodOptional<z.ZodNumber>>;
            deadlineMs: z.ZodOptional<z.ZodOptional<z.ZodNumber>>;
            retry: z.ZodOptional<z.ZodOptional<z.ZodObject<{
                maxRetries: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
                initialDelayMs: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
                maxDelayMs: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
                multiplier: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
                jitter: z.ZodOptional<z.ZodDefault<z.ZodBoolean>>;
                maxRetryAfterMs: z.ZodOptional<z.ZodDefault<z.ZodNumber>>;
            }, z.core.$strict>>>;
            failover: z.ZodOptional<z.ZodOptional<z.ZodRecord<z.ZodEnum<{
                auth: "auth";
                rate_limited: "rate_limited";
                quota_exceeded: "quota_exceeded";
                timeout: "timeout";
                connection: "connection";
                unavailable: "unavailable";
                invalid_request: "invalid_request";
                not_configured: "not_configured";
                content_policy: "content_policy";
                context_length: "context_length";
                stream_cut: "stream_cut";
                aborted: "aborted";
                limit_exceeded: "limit_exceeded";
                unknown: "unknown";
            }> & z.core.$partial, z.ZodBoolean>>>;
            repeatUnknownOutcome: z.ZodOptional<z.ZodOptional<z.ZodBoolean>>;
            aliases: z.ZodOptional<z.ZodOptional<z.ZodRecord<z.ZodEnum<{
                model: "model";
                voice: "voice";
                template: "template";
            }> & z.core.$partial, z.ZodRecord<z.ZodString, z.ZodRecord<z.ZodString, z.ZodString>>>>>;
        }, z.core.$strict>>>;
        environmentCredentials: z.ZodDefault<z.ZodBoolean>;
    }, z.core.$strict>>>;
    health: z.ZodDefault<z.ZodObject<{
        timeoutMs: z.ZodDefault<z.ZodNumber>;
    }, z.core.$strict>>;
    limits: z.ZodDefault<z.ZodRecord<z.ZodString, z.ZodObject<{
        tenant: z.ZodOptional<z.ZodUnion<readonly [z.ZodLiteral<"*">, z.ZodString]>>;
        provider: z.ZodOptional<z.ZodString>;
        route: z.ZodOptional<z.ZodString>;
        metric: z.ZodEnum<{
            input_tokens: "input_tokens";
            output_tokens: "output_tokens";
            characters: "characters";
            audio_seconds: "audio_seconds";
            messages: "messages";
            segments: "segments";
            requests: "requests";
            tokens: "tokens";
            cost: "cost";
        }>;
        max: z.ZodNumber;
        window: z.ZodUnion<readonly [z.ZodEnum<{
            second: "second";
            minute: "minute";
            hour: "hour";
            day: "day";
            month: "month";
        }>, z.ZodNumber]>;
        currency: z.ZodDefault<z.ZodString>;
        warnAt: z.ZodDefault<z.ZodNumber>;
        enforce: z.ZodDefault<z.ZodEnum<{
            hard: "hard";
            soft: "soft";
        }>>;
    }, z.core.$strict>>>;
}, z.core.$strict>;
/** The declarative configuration, as written (JSON-serialisable). */
type PatchbayConfigInput = z.input<typeof patchbayConfigSchema>;
/** The configuration after validation and defaults. */
type PatchbayConfig = z.output<typeof patchbayConfigSchema>;
type RouteConfig = z.output<typeof routeConfigSchema>;
type RouteConfigInput = z.input<typeof routeConfigSchema>;
type RetryPolicy = z.output<typeof retryPolicySchema>;
type BreakerPolicy = z.output<typeof breakerPolicySchema>;
type PriceEntry = z.output<typeof priceSchema>;
type TenantConfig = z.output<typeof tenantSchema>;
type LimitConfig = z.output<typeof limitSchema>;
type LimitConfigInput = z.input<typeof limitSchema>;
type LimitMetric = (typeof limitMetrics)[number];

interface PriceLookup {
    provider: string;
    vendor: string;
    model: string | undefined;
    unit: UsageUnit;
}
interface UnitPrice {
    /** Price of one unit. */
    price: number;
    currency: string;
}
/**
 * Prices from configuration. The most specific entry wins: provider + model,
 * provider, vendor + model, vendor. No match means the price is unknown, and the
 * cost is `null` — never a silent 0.
 */
declare class PriceTable {
    #private;
    constructor(entries: readonly PriceEntry[]);
    /** Provider ids are unique per configuration, so the vendor need not be part of the cache key. */
    lookup(query: PriceLookup): UnitPrice | null;
    /** `lookup` without a query object: what the meter calls for every unit of every attempt. */
    unitPrice(provider: string, vendor: string, model: string | undefined, unit: UsageUnit): UnitPrice | null;
    cost(query: PriceLookup, quantity: number): {
        cost: number | null;
        currency: string | null;
    };
}

/** Emitted when a window passes a limit's `warnAt` share, and when a soft limit passes its `max`. */
interface LimitWarningEvent {
    limit: string;
    metric: LimitMetric;
    tenant: string | undefined;
    provider: string | undefined;
    route: string | undefined;
    /** The window's total after the reservation (cost in currency units). */
    used: number;
    max: number;
    /** True when a soft limit's `max` itself was passed (the call still went ahead). */
    exceeded: boolean;
    /** ISO-8601: when the window ends. */
    resetAt: string;
}
interface CompiledLimit {
    name: string;
    config: LimitConfig;
    windowMs: number;
    /** `max` in counter units. */
    max: number;
    scale: number;
}
interface Reservation {
    limit: CompiledLimit;
    key: string;
    windowStart: number;
    reserved: number;
}
/** What a settlement needs to know about one attempt's real usage. */
interface SettleInput {
    provider: string;
    vendor: string;
    model: string | undefined;
    quantities: readonly UsageQuantity[];
    reportedCost?: {
        amount: number;
        currency: string;
    } | undefined;
}
interface LimitGateHost {
    store: LimitStore;
    /** The limits of the current configuration and its generation (recompiled when it changes). */
    limits(): {
        generation: number;
        limits: Readonly<Record<string, LimitConfig>>;
    };
    prices(): PriceTable;
    warn(event: LimitWarningEvent): void;
    /** A store that threw, rejected or timed out: the call goes ahead (fail open) and the failure is reported. */
    storeFailed(error: unknown): void;
    /** How long a call waits for an asynchronous store's answer (default `defaultLimitStoreTimeoutMs`). */
    storeTimeoutMs?: number | undefined;
}
/**
 * The reservations one call (route-wide limits) or one attempt (provider limits) holds. Settling
 * replaces the up-front estimate with the real usage: the first settlement subtracts the estimate,
 * later ones (further attempts of the same call) only add what they used.
 */
declare class Admission {
    #private;
    constructor(gate: LimitGate, reservations: readonly Reservation[]);
    settle(input: SettleInput): void;
}
declare class LimitGate {
    #private;
    constructor(host: LimitGateHost);
    /** Whether any route-wide limit is configured (read on every call: a generation check and a length). */
    get hasCallLimits(): boolean;
    hasProviderLimits(provider: string): boolean;
    /** Reserves the route-wide limits that apply to this call; throws `limit_exceeded` when one is full. */
    admitCall(route: string, tenant: string | undefined, estimate: readonly UsageQuantity[], pricedAs: {
        provider: string;
        vendor: string;
    } | undefined): Promise<Admission | undefined>;
    /** Reserves the limits of one provider for one attempt. */
    admitAttempt(route: string, tenant: string | undefined, provider: {
        id: string;
        vendor: string;
    }, estimate: readonly UsageQuantity[]): Promise<Admission | undefined>;
    /** Adds `delta` to a held reservation's window (fire and forget: the call does not wait on the store). */
    correct(reservation: Reservation, delta: number): void;
    /** Priced cost of an attempt in one currency: reported cost first, else the price table; unknown prices count 0. */
    costOf(input: SettleInput, currency: string): number;
}

type BreakerState = 'closed' | 'open' | 'half-open';
interface AttemptEvent {
    route: string;
    kind: ProviderKind;
    provider: string;
    tenant: string | undefined;
    correlationId: string | undefined;
    attempt: number;
    outcome: 'success' | 'error' | 'skipped';
    durationMs: number;
    errorCode?: ErrorCode | undefined;
}
interface RetryEvent {
    route: string;
    provider: string;
    tenant: string | undefined;
    /** The attempt that failed (1-based). */
    attempt: number;
    delayMs: number;
    errorCode: ErrorCode;
}
interface FailoverEvent {
    route: string;
    from: string;
    /** The next provider to try, when there is one. */
    to: string | undefined;
    tenant: string | undefined;
    errorCode: ErrorCode;
}
interface BreakerEvent {
    provider: string;
    state: BreakerState;
}
interface PatchbayEvents extends Record<string, unknown> {
    attempt: AttemptEvent;
    retry: RetryEvent;
    failover: FailoverEvent;
    breaker: BreakerEvent;
    usage: UsageRecord;
    /** A budget or rate limit passed its `warnAt` share (or a soft limit its `max`). */
    limit_warning: LimitWarningEvent;
}

export { type AttemptEvent as A, type BreakerEvent as B, type FailoverEvent as F, type LimitConfig as L, type PatchbayEvents as P, type RetryEvent as R, type TenantConfig as T, type UnitPrice as U, type BreakerPolicy as a, type BreakerState as b, type LimitConfigInput as c, type LimitMetric as d, type LimitWarningEvent as e, type PatchbayConfig as f, type PatchbayConfigInput as g, type PriceEntry as h, type PriceLookup as i, PriceTable as j, type RetryPolicy as k, type RouteConfig as l, type RouteConfigInput as m, LimitGate as n };
