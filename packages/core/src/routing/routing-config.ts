import { z } from 'zod';
import { lazySchema } from '../config/lazy-schema.js';
import { maxDurationMs } from '../config/option-checks.js';
import { type ErrorCode, errorCodes } from '../errors/error-codes.js';
import { providerKinds } from '../spec/provider.js';

export { maxDurationMs } from '../config/option-checks.js';
/** Bound on counts (calls in a breaker window, weights): large enough for any real use, small enough to stay exact. */
export const maxCount = 1_000_000;

const duration = () => z.number().int().min(0).max(maxDurationMs);

const identifier = lazySchema(() =>
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9._:-]*$/i, 'use letters, digits, ".", "_", ":" or "-", starting with a letter or digit'),
);

export const retryPolicySchema = lazySchema(() =>
  z.strictObject({
    /** Retries of the same provider after its first attempt (0 disables). */
    maxRetries: z.number().int().min(0).max(10).default(2),
    initialDelayMs: duration().default(200),
    maxDelayMs: duration().default(5_000),
    multiplier: z.number().min(1).max(10).default(2),
    /** Full jitter on the computed backoff (spreads retries of many callers). */
    jitter: z.boolean().default(true),
    /** A `Retry-After` longer than this fails over instead of waiting. */
    maxRetryAfterMs: duration().default(30_000),
  }),
);

export const breakerPolicySchema = lazySchema(() =>
  z.strictObject({
    enabled: z.boolean().default(true),
    /** Open when more than this share of calls in the window failed… */
    failureThresholdPercent: z.number().min(1).max(100).default(50),
    /** …and at least this many calls were made in it. */
    minimumCalls: z.number().int().min(1).max(maxCount).default(5),
    windowMs: duration().min(100).default(10_000),
    /** How long an open breaker skips its provider before letting one trial call through. */
    cooldownMs: duration().min(1).default(30_000),
  }),
);

/** Codes that move on to the next provider by default; the rest stop the route. */
export const defaultFailover: Readonly<Record<ErrorCode, boolean>> = {
  auth: true,
  rate_limited: true,
  quota_exceeded: true,
  timeout: true,
  connection: true,
  unavailable: true,
  invalid_request: false,
  not_configured: true,
  content_policy: false,
  context_length: true,
  stream_cut: true,
  aborted: false,
  // Another member may still have room in its own provider limits.
  limit_exceeded: true,
  unknown: true,
};

const member = lazySchema(() =>
  z.union([
    identifier,
    z.strictObject({
      provider: identifier,
      weight: z.number().positive().max(maxCount).default(1),
    }),
  ]),
);

export const routeConfigSchema = lazySchema(() =>
  z.strictObject({
    /** Needed only when the route name is not a kind and the members do not say it. */
    kind: z.enum(providerKinds as [string, ...string[]]).optional(),
    strategy: z.enum(['priority', 'weighted', 'round-robin']).default('priority'),
    providers: z.array(member).min(1, 'a route needs at least one provider'),
    /** What keeps a weighted split sticky: the same key always lands on the same provider. */
    stickyKey: z.enum(['tenant', 'correlationId', 'none']).default('tenant'),
    /** Bound on one attempt (for streams: until the first part arrives). */
    attemptTimeoutMs: duration().min(1).optional(),
    /** Bound on the whole call across retries and failover (for streams: until the first part). */
    deadlineMs: duration().min(1).optional(),
    retry: retryPolicySchema.partial().optional(),
    /** Per error code: move on to the next provider (`true`) or stop (`false`). */
    failover: z.partialRecord(z.enum(errorCodes), z.boolean()).optional(),
    /**
     * Repeat a call whose outcome is unknown (timed out after the request left) on
     * this or another provider. Default: on for llm/tts/stt (no side effects), off
     * for sms/whatsapp (a repeat could deliver twice).
     */
    repeatUnknownOutcome: z.boolean().optional(),
    /** Logical names for vendor-specific ids, per field: `{ model: { fast: { <provider id>: '<its model>' } } }`. */
    aliases: z
      .partialRecord(
        z.enum(['model', 'voice', 'template']),
        z.record(z.string().min(1), z.record(identifier, z.string().min(1))),
      )
      .optional(),
  }),
);

const priceSchema = lazySchema(() =>
  z
    .strictObject({
      provider: identifier.optional(),
      vendor: z.string().optional(),
      model: z.string().optional(),
      unit: z.enum([
        'input_tokens',
        'output_tokens',
        'cached_input_tokens',
        'characters',
        'audio_seconds',
        'messages',
        'segments',
        'requests',
      ]),
      /** Price of `per` units (e.g. 2.5 per 1_000_000 input tokens). */
      price: z.number().min(0),
      per: z.number().positive().max(1e12).default(1),
      currency: z.string().length(3).default('USD'),
    })
    // An entry that names neither would match nothing: refused rather than ignored.
    .refine((entry) => entry.provider !== undefined || entry.vendor !== undefined, {
      message: 'needs a provider or a vendor',
    }),
);

const providerSchema = lazySchema(() =>
  z.strictObject({
    kind: z.enum(providerKinds as [string, ...string[]]),
    vendor: z.string().min(1),
    settings: z.record(z.string(), z.unknown()).default({}),
  }),
);

const tenantSchema = lazySchema(() =>
  z.strictObject({
    /** Settings overrides merged over the shared provider settings for this tenant. */
    providers: z.record(identifier, z.strictObject({ settings: z.record(z.string(), z.unknown()) })).default({}),
    /** Route overrides merged over the shared routes (e.g. another primary). */
    routes: z.record(identifier, routeConfigSchema.partial()).default({}),
    /** Whether this tenant may fall back to the environment's (platform) credentials. */
    environmentCredentials: z.boolean().default(true),
  }),
);

/** What a limit counts. `tokens` is input + cached input + output; `cost` is priced cost in `currency`. */
export const limitMetrics = [
  'requests',
  'tokens',
  'input_tokens',
  'output_tokens',
  'characters',
  'audio_seconds',
  'messages',
  'segments',
  'cost',
] as const;

/** Named windows; `month` is 30 days (windows are fixed and aligned to the epoch, not to calendar months). */
export const limitWindows = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000, month: 2_592_000_000 };

const limitSchema = lazySchema(() =>
  z.strictObject({
    /** Whose calls count: one tenant, `*` (every tenant its own counter), or omitted (all calls together). */
    tenant: z.union([z.literal('*'), identifier]).optional(),
    /** Only calls to this provider (checked per attempt, so the route can fail over to a member with room). */
    provider: identifier.optional(),
    /** Only calls through this route (checked once per call). */
    route: identifier.optional(),
    metric: z.enum(limitMetrics),
    /** The most the window may hold. */
    max: z.number().positive().max(1e15),
    window: z.union([z.enum(['second', 'minute', 'hour', 'day', 'month']), z.number().int().min(1_000).max(1e11)]),
    /** For `cost`: the currency counted (records in other currencies are not). */
    currency: z.string().length(3).default('USD'),
    /** Share of `max` past which a `limit_warning` event is emitted (once per window). */
    warnAt: z.number().min(0).max(1).default(0.8),
    /** `hard` refuses a call that would pass `max`; `soft` only warns. */
    enforce: z.enum(['hard', 'soft']).default('hard'),
  }),
);

export const patchbayConfigSchema = lazySchema(() =>
  z.strictObject({
    providers: z.record(identifier, providerSchema),
    routes: z.record(identifier, routeConfigSchema).default({}),
    defaults: z
      .strictObject({
        retry: retryPolicySchema.partial().optional(),
        breaker: breakerPolicySchema.partial().optional(),
        attemptTimeoutMs: duration().min(1).optional(),
        deadlineMs: duration().min(1).optional(),
      })
      .default({}),
    pricing: z.array(priceSchema).default([]),
    tenants: z.record(identifier, tenantSchema).default({}),
    health: z.strictObject({ timeoutMs: duration().min(1).default(5_000) }).default({ timeoutMs: 5_000 }),
    /** Budgets and rate limits by name (see limits/limit-gate.ts). */
    limits: z.record(identifier, limitSchema).default({}),
  }),
);

/** The declarative configuration, as written (JSON-serialisable). */
export type PatchbayConfigInput = z.input<typeof patchbayConfigSchema>;
/** The configuration after validation and defaults. */
export type PatchbayConfig = z.output<typeof patchbayConfigSchema>;
export type RouteConfig = z.output<typeof routeConfigSchema>;
export type RouteConfigInput = z.input<typeof routeConfigSchema>;
export type RetryPolicy = z.output<typeof retryPolicySchema>;
export type BreakerPolicy = z.output<typeof breakerPolicySchema>;
export type PriceEntry = z.output<typeof priceSchema>;
export type TenantConfig = z.output<typeof tenantSchema>;
export type LimitConfig = z.output<typeof limitSchema>;
export type LimitConfigInput = z.input<typeof limitSchema>;
export type LimitMetric = (typeof limitMetrics)[number];
