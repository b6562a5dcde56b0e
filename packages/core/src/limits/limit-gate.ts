import { LruMap } from '../config/lru-map.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import type { PriceTable } from '../metering/price-table.js';
import { type LimitConfig, type LimitMetric, limitWindows } from '../routing/routing-config.js';
import type { LimitReservation, LimitStore } from '../spec/state.js';
import type { UsageQuantity } from '../spec/usage.js';
import { defaultLimitStoreMaxKeys } from './in-memory-limit-store.js';

/**
 * Emitted once per limit, scope key and window when its count passes the limit's `warnAt` share (at a reservation
 * or at a settlement, whichever passes it first), and once more when a soft limit passes its `max`.
 */
export interface LimitWarningEvent {
  limit: string;
  metric: LimitMetric;
  tenant: string | undefined;
  provider: string | undefined;
  route: string | undefined;
  /** The window's total as the call that passed the share knew it (cost in currency units). */
  used: number;
  max: number;
  /** True when a soft limit's `max` itself was passed (the call still went ahead). */
  exceeded: boolean;
  /** ISO-8601: when the window ends. */
  resetAt: string;
}

/** Costs are counted in millionths so that counters stay integers in every store. */
const costScale = 1_000_000;

interface CompiledLimit {
  name: string;
  config: LimitConfig;
  windowMs: number;
  /** `max` in counter units. */
  max: number;
  scale: number;
}

type Scope = { route: string; tenant: string | undefined; provider: string | undefined };

interface Reservation {
  limit: CompiledLimit;
  key: string;
  windowStart: number;
  reserved: number;
  /** The window's total as this call last knew it (the store's answer plus this call's corrections). */
  used: number;
  resetAt: number;
  scope: Scope;
}

/**
 * Keys (limit and scope) whose warning of the current window is remembered, at most: the least recently warned
 * go first (one forgotten may warn a second time in its window). Entries are made only when a warning is emitted.
 */
export const maxWarnedKeys = defaultLimitStoreMaxKeys;

/** Warning levels remembered per key and window: the `warnAt` share passed, a soft limit's `max` passed. */
const warnedShare = 1;
const warnedMax = 2;

/**
 * The member a call's estimate is priced for, as metering would price its attempt: `model()` is the model the call
 * will use (the request's, after the route's aliases, else the member's configured one), read only when a cost
 * limit prices an estimate.
 */
export interface PricedAs {
  provider: string;
  vendor: string;
  model(): string | undefined;
}

/** What a settlement needs to know about one attempt's real usage. */
export interface SettleInput {
  provider: string;
  vendor: string;
  model: string | undefined;
  quantities: readonly UsageQuantity[];
  reportedCost?: { amount: number; currency: string } | undefined;
}

export interface LimitGateHost {
  store: LimitStore;
  /** The limits of the current configuration and its generation (recompiled when it changes). */
  /** Changes whenever the configuration does; read on every call, so it allocates nothing. */
  generation(): number;
  limits(): Readonly<Record<string, LimitConfig>>;
  prices(): PriceTable;
  warn(event: LimitWarningEvent): void;
  /** A store that threw, rejected or timed out: the call goes ahead (fail open) and the failure is reported. */
  storeFailed(error: unknown): void;
  /** How long a call waits for an asynchronous store's answer (default `defaultLimitStoreTimeoutMs`). */
  storeTimeoutMs?: number | undefined;
}

function quantityOf(metric: LimitMetric, quantities: readonly UsageQuantity[]): number {
  let total = 0;
  for (const { unit, quantity } of quantities) {
    if (
      unit === metric ||
      (metric === 'tokens' && (unit === 'input_tokens' || unit === 'output_tokens' || unit === 'cached_input_tokens'))
    )
      total += quantity;
  }
  return total;
}

/**
 * The reservations one call (route-wide limits) or one attempt (provider limits) holds. Settling
 * replaces the up-front estimate with the real usage: the first settlement subtracts the estimate,
 * later ones (further attempts of the same call) only add what they used.
 */
export class Admission {
  readonly #gate: LimitGate;
  readonly #reservations: readonly Reservation[];
  #settled = false;

  constructor(gate: LimitGate, reservations: readonly Reservation[]) {
    this.#gate = gate;
    this.#reservations = reservations;
  }

  settle(input: SettleInput): void {
    const first = !this.#settled;
    this.#settled = true;
    for (const reservation of this.#reservations) {
      const { config, scale } = reservation.limit;
      // A request is counted once per call, when it is admitted.
      if (config.metric === 'requests') continue;
      const used =
        config.metric === 'cost'
          ? Math.round(this.#gate.costOf(input, config.currency) * scale)
          : Math.ceil(quantityOf(config.metric, input.quantities) * scale);
      const delta = first ? used - reservation.reserved : used;
      if (delta === 0) continue;
      this.#gate.correct(reservation, delta);
      // The real usage may pass the warning share the estimate did not (the count known to this call).
      reservation.used += delta;
      if (delta > 0) this.#gate.warnIfPassed(reservation);
    }
  }
}

/**
 * Budgets and rate limits, checked before any vendor call. Route-wide limits (no `provider`) are
 * reserved once per call; provider limits once per attempt on that provider, so a refusal there lets
 * the route fail over to a member with room. Each applicable limit costs one `reserve` on the store;
 * with no limit configured nothing is done at all. Token and cost budgets reserve an estimate (at
 * least one unit, so a spent budget refuses) and settle with the metered usage after the call.
 */
/** How long a call waits for an asynchronous limit store before going ahead without it. */
export const defaultLimitStoreTimeoutMs = 200;

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function';
}

export class LimitGate {
  readonly #host: LimitGateHost;
  #generation = -1;
  #callLimits: CompiledLimit[] = [];
  #providerLimits = new Map<string, CompiledLimit[]>();
  /** Per key: the window it last warned in × 4 + the level warned (`warnedShare`, `warnedMax`); bounded. */
  readonly #warned = new LruMap<string, number>(maxWarnedKeys);

  constructor(host: LimitGateHost) {
    this.#host = host;
  }

  #compile(): void {
    const generation = this.#host.generation();
    if (generation === this.#generation) return;
    const limits = this.#host.limits();
    this.#generation = generation;
    this.#callLimits = [];
    this.#providerLimits = new Map();
    for (const [name, config] of Object.entries(limits)) {
      const windowMs = typeof config.window === 'number' ? config.window : limitWindows[config.window];
      const scale = config.metric === 'cost' ? costScale : 1;
      const compiled: CompiledLimit = { name, config, windowMs, max: Math.round(config.max * scale), scale };
      if (config.provider === undefined) this.#callLimits.push(compiled);
      else {
        const list = this.#providerLimits.get(config.provider) ?? [];
        list.push(compiled);
        this.#providerLimits.set(config.provider, list);
      }
    }
  }

  /** Whether any route-wide limit is configured (read on every call: a generation check and a length). */
  get hasCallLimits(): boolean {
    this.#compile();
    return this.#callLimits.length > 0;
  }

  hasProviderLimits(provider: string): boolean {
    this.#compile();
    return this.#providerLimits.size > 0 && this.#providerLimits.has(provider);
  }

  /** Reserves the route-wide limits that apply to this call; throws `limit_exceeded` when one is full. */
  admitCall(
    route: string,
    tenant: string | undefined,
    estimate: readonly UsageQuantity[],
    pricedAs: PricedAs | undefined,
  ): Promise<Admission | undefined> {
    return this.#admit(this.#callLimits, { route, tenant, provider: undefined }, estimate, pricedAs);
  }

  /** Reserves the limits of one provider for one attempt. */
  admitAttempt(
    route: string,
    tenant: string | undefined,
    member: PricedAs,
    estimate: readonly UsageQuantity[],
  ): Promise<Admission | undefined> {
    return this.#admit(
      this.#providerLimits.get(member.provider) ?? [],
      { route, tenant, provider: member.provider },
      estimate,
      member,
    );
  }

  async #admit(
    candidates: readonly CompiledLimit[],
    scope: Scope,
    estimate: readonly UsageQuantity[],
    pricedAs: PricedAs | undefined,
  ): Promise<Admission | undefined> {
    const reservations: Reservation[] = [];
    for (const limit of candidates) {
      const { config } = limit;
      if (config.route !== undefined && config.route !== scope.route) continue;
      if (
        config.tenant !== undefined &&
        (scope.tenant === undefined || (config.tenant !== '*' && config.tenant !== scope.tenant))
      )
        continue;
      const counted = config.tenant === '*' ? (scope.tenant as string) : '';
      const key = `limit:${limit.name.length}:${limit.name}:${counted}`;
      const amount = this.#estimateOf(limit, estimate, pricedAs);
      const now = Date.now();
      let answer: LimitReservation | undefined;
      try {
        const hard = config.enforce === 'hard';
        const pending = this.#host.store.reserve(
          key,
          amount,
          hard ? limit.max : Number.MAX_SAFE_INTEGER,
          limit.windowMs,
          now,
        );
        // A synchronous store (the in-memory one) costs no microtask; an asynchronous one is bounded in time.
        answer = isPromiseLike(pending) ? await this.#bounded(pending, key, amount, limit) : pending;
      } catch (error) {
        this.#host.storeFailed(error);
        continue;
      }
      if (answer === undefined) continue;
      if (!answer.granted) {
        for (const held of reservations) this.correct(held, -held.reserved);
        throw this.#refusal(limit, scope, answer.used, answer.resetAt, now);
      }
      const reservation: Reservation = {
        limit,
        key,
        windowStart: answer.windowStart,
        reserved: amount,
        used: answer.used,
        resetAt: answer.resetAt,
        scope,
      };
      reservations.push(reservation);
      this.warnIfPassed(reservation);
    }
    return reservations.length ? new Admission(this, reservations) : undefined;
  }

  /**
   * Waits for a store's answer at most `storeTimeoutMs`; past that the call goes ahead (fail open, reported),
   * and a grant that arrives late is given back so the counter does not keep an amount nobody holds.
   */
  #bounded(
    pending: PromiseLike<LimitReservation>,
    key: string,
    amount: number,
    limit: CompiledLimit,
  ): Promise<LimitReservation | undefined> {
    const timeoutMs = this.#host.storeTimeoutMs ?? defaultLimitStoreTimeoutMs;
    return new Promise<LimitReservation | undefined>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        this.#host.storeFailed(
          new PatchbayError({
            code: 'timeout',
            message: `The limit store did not answer within ${timeoutMs} ms; the call went ahead without that limit.`,
          }),
        );
        resolve(undefined);
      }, timeoutMs);
      pending.then(
        (answer) => {
          if (!settled) {
            settled = true;
            clearTimeout(timer);
            resolve(answer);
          } else if (answer?.granted) {
            this.correct({ limit, key, windowStart: answer.windowStart }, -amount);
          }
        },
        (error: unknown) => {
          if (!settled) {
            settled = true;
            clearTimeout(timer);
            reject(error);
          }
        },
      );
    });
  }

  #estimateOf(limit: CompiledLimit, estimate: readonly UsageQuantity[], pricedAs: PricedAs | undefined): number {
    const { metric } = limit.config;
    if (metric === 'requests') return 1;
    if (metric === 'cost') {
      // Priced like the attempt's metering: the same table, the same provider, vendor and model.
      const cost =
        pricedAs && estimate.length > 0
          ? this.costOf(
              { provider: pricedAs.provider, vendor: pricedAs.vendor, model: pricedAs.model(), quantities: estimate },
              limit.config.currency,
            )
          : 0;
      return Math.max(1, Math.round(cost * limit.scale));
    }
    return Math.max(1, Math.ceil(quantityOf(metric, estimate)));
  }

  /**
   * Emits `limit_warning` once per key and window, whichever passes the `warnAt` share first (a reservation or a
   * settlement), and once more when a soft limit's `max` is passed. Below the share it costs one comparison.
   */
  warnIfPassed(reservation: Reservation): void {
    const { limit, used, windowStart } = reservation;
    if (used < limit.max * limit.config.warnAt || used <= 0) return;
    // A settlement after its window ended corrects nothing (the store drops it): nothing to warn of either.
    if (Date.now() >= reservation.resetAt) return;
    const level = limit.config.enforce === 'soft' && used > limit.max ? warnedMax : warnedShare;
    const seen = this.#warned.peek(reservation.key);
    if (seen !== undefined && Math.floor(seen / 4) === windowStart && seen % 4 >= level) return;
    this.#warned.set(reservation.key, windowStart * 4 + level);
    const { scope } = reservation;
    const exceeded = level === warnedMax;
    this.#host.warn({
      limit: limit.name,
      metric: limit.config.metric,
      tenant: scope.tenant,
      provider: scope.provider,
      route: scope.route,
      used: used / limit.scale,
      max: limit.config.max,
      exceeded,
      resetAt: new Date(reservation.resetAt).toISOString(),
    });
  }

  #refusal(limit: CompiledLimit, scope: Scope, used: number, resetAt: number, now: number): PatchbayError {
    const { config } = limit;
    const reset = new Date(resetAt).toISOString();
    const amount =
      config.metric === 'cost' ? `${config.max} ${config.currency} of cost` : `${config.max} ${config.metric}`;
    const window = typeof config.window === 'number' ? `${config.window} ms` : config.window;
    const whose = config.tenant === undefined ? '' : ` for tenant "${scope.tenant}"`;
    return new PatchbayError({
      code: 'limit_exceeded',
      message: `Limit "${limit.name}" reached: ${amount} per ${window}${whose}; resets at ${reset}`,
      provider: scope.provider,
      retryAfterMs: Math.max(0, resetAt - now),
      details: {
        limit: limit.name,
        metric: config.metric,
        max: config.max,
        used: used / limit.scale,
        window,
        resetAt: reset,
        tenant: scope.tenant,
        route: scope.route,
        provider: scope.provider,
      },
    });
  }

  /** Adds `delta` to a held reservation's window (fire and forget: the call does not wait on the store). */
  correct(reservation: Pick<Reservation, 'limit' | 'key' | 'windowStart'>, delta: number): void {
    try {
      const pending = this.#host.store.settle(
        reservation.key,
        delta,
        reservation.limit.windowMs,
        reservation.windowStart,
      );
      if (pending && typeof (pending as Promise<void>).then === 'function')
        (pending as Promise<void>).then(undefined, (error: unknown) => this.#host.storeFailed(error));
    } catch (error) {
      this.#host.storeFailed(error);
    }
  }

  /** Priced cost of an attempt in one currency: reported cost first, else the price table; unknown prices count 0. */
  costOf(input: SettleInput, currency: string): number {
    if (input.reportedCost) return input.reportedCost.currency === currency ? input.reportedCost.amount : 0;
    const prices = this.#host.prices();
    let total = 0;
    for (const { unit, quantity } of input.quantities) {
      if (quantity === 0) continue;
      const price = prices.unitPrice(input.provider, input.vendor, input.model, unit);
      if (price && price.currency === currency) total += quantity * price.price;
    }
    return total;
  }
}
