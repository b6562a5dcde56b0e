import { releaseOnEarlyReturn } from '../adapter/release-on-early-return.js';
import type { ErrorCode } from '../errors/error-codes.js';
import { toPatchbayError } from '../errors/normalize-error.js';
import { AllProvidersFailedError, type AttemptRecord, PatchbayError } from '../errors/patchbay-error.js';
import type { EventHub, ListenerWatch } from '../events/event-hub.js';
import type { Admission, LimitGate, PricedAs } from '../limits/limit-gate.js';
import type { UsageMeter } from '../metering/usage-meter.js';
import { attemptSignalKey } from '../provider/signal-relay.js';
import type { BaseProvider, CallOptions, ProviderKind } from '../spec/provider.js';
import type { UsageOutcome, UsageQuantity, UsageUnit } from '../spec/usage.js';
import { isProgrammingError, ProviderBreaker } from './circuit-breaker.js';
import { retryAfterFailure } from './retry-policy.js';
import { type IdentifierPlan, type RequestedIdentifiers, unmappedIdentifierError } from './route-aliases.js';
import type { RetryPolicy } from './routing-config.js';
import type { FailoverEvent, PatchbayEvents } from './routing-events.js';
import { AttemptGuard, TimeoutQueue, timeoutReason } from './signals.js';
import { priorityOrder, roundRobinOrder, stickyKeyOf, type WeightedMember, weightedOrder } from './strategies.js';

export interface RouteMember<P extends BaseProvider> extends WeightedMember<P> {
  breaker: ProviderBreaker;
}

/** A route with its members resolved to provider instances; immutable, swapped whole on reconfiguration. */
export interface ResolvedRoute<P extends BaseProvider> {
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
  aliases?: import('./route-aliases.js').RouteAliases | undefined;
  /**
   * False when the configuration the route was resolved from has no limits at all: its calls skip the limit gate
   * (routes are resolved again whenever the configuration changes). Undefined: ask the gate.
   */
  limited?: boolean | undefined;
}

/** One kind of call a routed provider makes on its members. */
export interface Operation<P extends BaseProvider, R> {
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
  /**
   * The error to raise when no member is eligible (e.g. nobody can produce the requested format): an
   * `invalid_request` naming what no member offers. Every operation with an `eligible` filter sets it; left out, a
   * call with no eligible member fails as exhausted (`unavailable`), which only a live session that has already
   * failed over through every member wants.
   */
  ineligible?(): PatchbayError;
  /** The request's vendor-specific identifiers (model, voice, template) and how they map to each member. */
  identifiers?: IdentifierPlan | undefined;
  /** A cost the vendor reported for this result; metered instead of the price table. */
  reportedCost?(result: R): { amount: number; currency: string } | undefined;
  /**
   * For results that keep running after the call returns (live sessions): the
   * router meters once when `finish` is called instead of at success.
   */
  wrap?(result: R, finish: (quantities: UsageQuantity[], outcome: UsageOutcome) => void): R;
}

/** A streaming operation: the stream must produce its first part before the call counts as served. */
export interface StreamOperation<P extends BaseProvider, R extends { stream: AsyncIterable<T> }, T>
  extends Omit<Operation<P, R>, 'usage' | 'wrap'> {
  /** Quantities known when the stream starts (e.g. characters to synthesise). */
  usage(result: R): UsageQuantity[];
  /** Updates the tally as parts pass (e.g. token counts from a usage part). */
  observe?(part: T, tally: Map<UsageUnit, number>): void;
}

interface CallState {
  /** The route and operation of this call, for attempts that are not closures over them. */
  route: ResolvedRoute<BaseProvider>;
  operation: unknown;
  tenant: string | undefined;
  correlationId: string | undefined;
  /** Failed or skipped attempts so far; made on the first (a call served at once makes no array). */
  attempts: AttemptRecord[] | undefined;
  /** `Date.now()` past which the call stops (undefined: no deadline). Date, so fake clocks drive it. */
  deadlineAt: number | undefined;
  /** Route-wide limit reservations of this call (only when limits apply). */
  admission?: Admission | undefined;
  /** Provider limit reservations of the current attempt (attempts of one call are sequential). */
  attemptAdmission?: Admission | undefined;
}

/**
 * What an attempt hands its operation: the attempt's guard (undefined when nothing bounds it), whose
 * `handOver()` stops the timeout once a stream or session belongs to the caller and whose `dispose()` releases
 * everything when that ends.
 */
type AttemptLinks = AttemptGuard | undefined;

/** The signature every operation's single attempt has (see `call` and `stream`). */
type AttemptOnce<P extends BaseProvider, R> = (
  member: RouteMember<P>,
  attemptOptions: CallOptions,
  attempt: number,
  state: CallState,
  links: AttemptLinks,
  started: number,
) => Promise<R>;

/** What the router tells its owner of each attempt (our own code: it must not throw). */
export type AttemptObserver = (
  tenant: string | undefined,
  provider: string,
  outcome: 'success' | 'error' | 'skipped',
  errorCode: ErrorCode | undefined,
) => void;

/** What `#run` needs of an operation (a `call`'s or a `stream`'s). */
type RunOperation<P extends BaseProvider, R> = Pick<
  Operation<P, R>,
  'failureUnits' | 'eligible' | 'model' | 'replayable' | 'ineligible' | 'identifiers' | 'estimate'
>;

/** A `Retry-After` up to this long is waited out on the same member even when a fallback is healthy. */
export const shortRetryAfterMs = 1_000;

const done = Symbol('done');

/**
 * Runs calls over a route: orders members by strategy, skips open breakers,
 * retries the same member per policy, fails over per error code, bounds each
 * attempt and the whole call, meters every attempt and emits events. The
 * caller's signal reaches every member call.
 */
export class RouteExecutor {
  readonly #events: EventHub<PatchbayEvents>;
  readonly #meter: UsageMeter;
  // One counter per route (keyed by the resolved route, so a rebuilt route starts afresh and a dropped one is freed).
  readonly #roundRobin = new WeakMap<object, { next: number }>();
  // Every attempt timeout and deadline of this router, on one timer.
  readonly #timeouts = new TimeoutQueue();

  readonly #limits: LimitGate | undefined;
  readonly #onAttempt: AttemptObserver | undefined;
  readonly #attemptListeners: ListenerWatch;

  constructor(
    events: EventHub<PatchbayEvents>,
    meter: UsageMeter,
    limits?: LimitGate | undefined,
    /** Told of every attempt before the `attempt` event, without an event object (the health bookkeeping). */
    onAttempt?: AttemptObserver | undefined,
  ) {
    this.#events = events;
    this.#meter = meter;
    this.#limits = limits;
    this.#onAttempt = onAttempt;
    this.#attemptListeners = events.watch('attempt');
  }

  /** Reports a failover decided after a call returned: a live session that moved to another member. */
  emitFailover(event: FailoverEvent): void {
    this.#events.emit('failover', event);
  }

  /** Stops the shared timeout timer (calls made afterwards arm it again). */
  close(): void {
    this.#timeouts.close();
  }

  call<P extends BaseProvider, R>(
    route: ResolvedRoute<P>,
    operation: Operation<P, R>,
    options: CallOptions = {},
  ): Promise<R> {
    // No per-call closure: a call's attempts read the operation from the call's state (`attemptOnce` undefined).
    return this.#run(route, operation, options, undefined);
  }

  /**
   * A call's attempt as a promise chain rather than an async function (one frame fewer per attempt). The
   * settling runs even when the answer arrives after the attempt timed out: the vendor did the work, so it is
   * metered.
   */
  #invokeCall<P extends BaseProvider, R>(
    member: RouteMember<P>,
    attemptOptions: CallOptions,
    state: CallState,
    attemptNumber: number,
    guard: AttemptGuard | undefined,
    started: number,
  ): Promise<R> {
    const call = state.operation as Operation<P, R>;
    return invokeMember(call, member.provider, attemptOptions).then((result) =>
      this.#settleCall(member, state, attemptNumber, guard, started, call, result),
    );
  }

  /** A member answered a `call`: meter it (a session is metered when it ends) and hand the result back. */
  #settleCall<P extends BaseProvider, R>(
    member: RouteMember<P>,
    state: CallState,
    attempt: number,
    links: AttemptLinks,
    started: number,
    operation: Operation<P, R>,
    result: R,
  ): R {
    const route = state.route as ResolvedRoute<P>;
    const latencyMs = performance.now() - started;
    if (operation.wrap) {
      // A session outlives the call that opened it: stop the timers that bounded the opening, but keep the
      // caller's signal linked to the session until it ends.
      links?.handOver();
      const end = this.#ender(route, member, state, attempt, started, links, () =>
        operation.model(result, member.provider),
      );
      let metered = false;
      return operation.wrap(result, (quantities, outcome) => {
        if (metered) return;
        metered = true;
        end(outcome, undefined, quantities);
      });
    }
    this.#record(
      route,
      member,
      state,
      attempt,
      latencyMs,
      'success',
      undefined,
      operation.model(result, member.provider),
      operation.usage(result),
      operation.reportedCost?.(result),
    );
    return result;
  }

  stream<P extends BaseProvider, R extends { stream: AsyncIterable<T> }, T>(
    route: ResolvedRoute<P>,
    operation: StreamOperation<P, R, T>,
    options: CallOptions = {},
  ): Promise<R> {
    return this.#run(route, operation, options, async (member, attemptOptions, attempt, state, links, started) => {
      const result = await operation.invoke(member.provider, attemptOptions);
      const iterator = result.stream[Symbol.asyncIterator]();
      let first: IteratorResult<T>;
      try {
        first = await (links ? links.race(iterator.next()) : iterator.next());
      } catch (error) {
        void iterator.return?.()?.catch?.(() => {});
        throw error;
      }
      // The stream is the caller's from here: timers that bound the start stop; the caller's signal still applies.
      links?.handOver();
      const tally = new Map<UsageUnit, number>();
      for (const { unit, quantity } of operation.usage(result)) tally.set(unit, quantity);
      const end = this.#ender(route, member, state, attempt, started, links, () =>
        operation.model(result, member.provider),
      );
      const finish = (outcome: UsageOutcome, errorCode?: ErrorCode) =>
        end(
          outcome,
          errorCode,
          [...tally].map(([unit, quantity]) => ({ unit, quantity })),
        );
      // Ended before its first `next()` (the consumer stopped before reading), the relay's `finally` would not
      // run: the vendor stream is released and the call metered as aborted here, as for one that stops early.
      const relay = releaseOnEarlyReturn(
        this.#relay(member, first, iterator, operation, tally, finish, options.signal),
        async () => {
          try {
            await iterator.return?.();
          } finally {
            finish('aborted');
          }
        },
      );
      return { ...result, stream: relay };
    });
  }

  async *#relay<P extends BaseProvider, T>(
    member: RouteMember<P>,
    first: IteratorResult<T>,
    iterator: AsyncIterator<T>,
    operation: StreamOperation<P, { stream: AsyncIterable<T> }, T>,
    tally: Map<UsageUnit, number>,
    finish: (outcome: UsageOutcome, errorCode?: ErrorCode) => void,
    callerSignal: AbortSignal | undefined,
  ): AsyncGenerator<T> {
    let outcome: UsageOutcome | typeof done = done;
    let next = first;
    try {
      while (!next.done) {
        operation.observe?.(next.value, tally);
        yield next.value;
        next = await iterator.next();
      }
      outcome = 'success';
    } catch (caught) {
      const error = toPatchbayError(caught, {
        provider: member.id,
        vendor: member.provider.vendor,
        signal: callerSignal,
      });
      if (error.code === 'aborted') {
        outcome = 'aborted';
        finish(outcome, error.code);
        throw error;
      }
      outcome = 'stream_cut';
      finish(outcome, 'stream_cut');
      throw error.code === 'stream_cut'
        ? error
        : new PatchbayError({
            code: 'stream_cut',
            message: `Stream from provider "${member.id}" broke after it had started (${error.code})`,
            provider: member.id,
            vendor: member.provider.vendor,
            cause: error,
          });
    } finally {
      if (outcome === done) {
        // The consumer stopped early: release the vendor stream.
        await iterator.return?.();
        finish('aborted');
      } else if (outcome === 'success') finish('success');
    }
  }

  /**
   * A call's prelude, synchronous: refusals, the call's state, route-wide limits. The common call (a `call` whose
   * first member's breaker lets it through and which has no provider limit) goes to `#firstCall`, promise steps
   * with no async frame (what a waiting call holds is little), and the retry and failover loop is entered only on a
   * failure.
   */
  #run<P extends BaseProvider, R>(
    route: ResolvedRoute<P>,
    operation: RunOperation<P, R>,
    options: CallOptions,
    /** How one attempt runs; undefined for `call` (the operation is invoked and its answer settled). */
    attemptOnce: AttemptOnce<P, R> | undefined,
  ): Promise<R> {
    try {
      // Refusals come first, before anything is scheduled or linked: nothing to clear on these paths.
      const ordered = this.#order(route, options, operation.eligible, operation.identifiers);
      if (ordered === undefined) throw unmappedIdentifierError(route.name, requestedOf(operation.identifiers));
      if (ordered.length === 0 && operation.ineligible) throw operation.ineligible();
      const state: CallState = {
        route: route as ResolvedRoute<BaseProvider>,
        operation,
        tenant: options.tenant,
        correlationId: options.correlationId,
        attempts: undefined,
        deadlineAt: route.deadlineMs === undefined ? undefined : Date.now() + route.deadlineMs,
      };
      let members = ordered;
      if (operation.replayable === false) {
        members = ordered.slice(0, 1);
        route = { ...route, retry: { ...route.retry, maxRetries: 0 } };
      }
      // Route-wide budgets and rate limits: refused here, before any member is called or any breaker touched.
      const limits = route.limited === false ? undefined : this.#limits;
      if (limits?.hasCallLimits) {
        const first = ordered[0];
        const admitted = limits.admitCall(
          route.name,
          options.tenant,
          operation.estimate?.() ?? [],
          first && new PricedMember(first, operation),
        );
        const admittedRoute = route;
        return admitted.then((admission) => {
          state.admission = admission;
          return this.#loop(admittedRoute, operation, options, attemptOnce, state, members, undefined);
        });
      }
      const first = members[0];
      if (
        attemptOnce === undefined &&
        first !== undefined &&
        !options.signal?.aborted &&
        first.breaker.allowsCall &&
        !limits?.hasProviderLimits(first.id)
      ) {
        return this.#firstCall(route, operation as Operation<P, R>, options, state, members, first);
      }
      return this.#loop(route, operation, options, attemptOnce, state, members, undefined);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * The first attempt of a `call` on its first member, `#attempt`'s work done as promise steps over the member's
   * answer rather than in an async function: the answer reaches the caller through fewer steps. On failure the loop
   * takes over from that member, with the error, to decide on a retry or a failover.
   */
  #firstCall<P extends BaseProvider, R>(
    route: ResolvedRoute<P>,
    call: Operation<P, R>,
    options: CallOptions,
    state: CallState,
    members: readonly RouteMember<P>[],
    member: RouteMember<P>,
  ): Promise<R> {
    const started = performance.now();
    const guard = this.#guard(route, member, state, options.signal);
    if (guard !== undefined)
      return this.#firstGuardedCall(route, call, options, state, members, member, guard, started);
    const breaker = member.breaker;
    if (!breaker.enter())
      return this.#loop(route, call, options, undefined, state, members, { error: breaker.rejection() });
    const failed = (error: unknown): Promise<R> => {
      breaker.failedWith(error);
      const attemptError = this.#attemptFailed(
        route,
        member,
        state,
        call,
        error,
        undefined,
        options.signal,
        started,
        1,
      );
      return this.#loop(route, call, options, undefined, state, members, { error: attemptError });
    };
    return invokeMember(call, member.provider, options).then((result) => {
      let value: R;
      try {
        value = this.#settleCall(member, state, 1, undefined, started, call, result);
      } catch (error) {
        return failed(error);
      }
      breaker.succeededOnce();
      this.#emitAttempt(route, member, state, 1, 'success', performance.now() - started, undefined);
      return value;
    }, failed);
  }

  /**
   * `#firstCall` with a guard, as promise steps too: the member's answer is settled and counted by the breaker in
   * one step (which still runs when the answer comes after a timeout: the vendor did the work), raced with the guard,
   * then handed back or, on failure, to the loop.
   */
  #firstGuardedCall<P extends BaseProvider, R>(
    route: ResolvedRoute<P>,
    call: Operation<P, R>,
    options: CallOptions,
    state: CallState,
    members: readonly RouteMember<P>[],
    member: RouteMember<P>,
    guard: AttemptGuard,
    started: number,
  ): Promise<R> {
    const breaker = member.breaker;
    if (!breaker.enter()) {
      guard.dispose();
      return this.#loop(route, call, options, undefined, state, members, { error: breaker.rejection() });
    }
    const counted = invokeMember(call, member.provider, attemptOptionsOf(options, guard)).then(
      (result) => {
        let value: R;
        try {
          value = this.#settleCall(member, state, 1, guard, started, call, result);
        } catch (error) {
          breaker.failedWith(error);
          throw error;
        }
        breaker.succeededOnce();
        return value;
      },
      (error: unknown) => {
        breaker.failedWith(error);
        throw error;
      },
    );
    return guard.race(counted).then(
      (value) => {
        // A session handed over to the caller keeps its guard until it ends (it disposes it then).
        if (!guard.handedOver) guard.dispose();
        this.#emitAttempt(route, member, state, 1, 'success', performance.now() - started, undefined);
        return value;
      },
      (caught: unknown) => {
        const error = this.#attemptFailed(route, member, state, call, caught, guard, options.signal, started, 1);
        if (!guard.handedOver) guard.dispose();
        return this.#loop(route, call, options, undefined, state, members, { error });
      },
    );
  }

  /**
   * Members in order until one serves the call: the breaker check, the member's first attempt, retries of the
   * same member per the failover rule, and failover. `resumed`: the first member's first attempt already failed
   * with this error (see `#firstCall`); the loop starts at its retry decision.
   */
  async #loop<P extends BaseProvider, R>(
    route: ResolvedRoute<P>,
    operation: RunOperation<P, R>,
    options: CallOptions,
    attemptOnce: AttemptOnce<P, R> | undefined,
    state: CallState,
    members: readonly RouteMember<P>[],
    resumed: { error: unknown } | undefined,
  ): Promise<R> {
    const callerSignal = options.signal;
    let last: PatchbayError | undefined;
    for (let index = 0; index < members.length; index++) {
      const member = members[index] as RouteMember<P>;
      const failedAlready = index === 0 && resumed !== undefined;
      if (!failedAlready) {
        if (callerSignal?.aborted) break;
        // The first member starts right after the deadline was set (at least 1 ms ahead): no clock read needed.
        if (index > 0 && state.deadlineAt !== undefined && Date.now() >= state.deadlineAt) {
          last = this.#deadlineError(route, undefined);
          break;
        }
        if (!member.breaker.allowsCall) {
          this.#skip(route, member, state);
          continue;
        }
      }
      try {
        // The member's first attempt; the retry machinery is built only after it fails.
        try {
          if (failedAlready) throw resumed.error;
          return await this.#attempt(route, member, options, state, operation, attemptOnce, 1);
        } catch (firstError) {
          if (route.retry.maxRetries === 0 || ProviderBreaker.isOpenRejection(firstError)) throw firstError;
          const attempt = (attemptNumber: number) =>
            this.#attempt(route, member, options, state, operation, attemptOnce, attemptNumber);
          return await this.#retryMember(route, member, state, callerSignal, attempt, firstError, members, index);
        }
      } catch (caught) {
        if (ProviderBreaker.isOpenRejection(caught)) {
          this.#skip(route, member, state);
          continue;
        }
        const error = caught as PatchbayError;
        last = error;
        if (error.code === 'aborted' || callerSignal?.aborted) break;
        if (!route.failover[error.code] || (error.outcomeUnknown && !route.repeatUnknownOutcome)) break;
        const next = members.slice(index + 1).find((candidate) => candidate.breaker.allowsCall);
        this.#events.emit('failover', {
          route: route.name,
          from: member.id,
          to: next?.id,
          tenant: state.tenant,
          errorCode: error.code,
        });
      }
    }
    if (callerSignal?.aborted && (!last || (last.code !== 'aborted' && last.code !== 'timeout'))) {
      last = this.#abortError(callerSignal.reason, undefined);
    }
    throw new AllProvidersFailedError({
      route: route.name,
      attempts: state.attempts ?? [],
      last,
      reason: members.length === 0 ? 'no provider in the route can serve this call' : undefined,
    });
  }

  /** One attempt on one member: its guard, the breaker, the attempt event, and on failure its record. */
  async #attempt<P extends BaseProvider, R>(
    route: ResolvedRoute<P>,
    member: RouteMember<P>,
    options: CallOptions,
    state: CallState,
    operation: Pick<Operation<P, R>, 'failureUnits' | 'model' | 'identifiers' | 'estimate'>,
    attemptOnce: AttemptOnce<P, R> | undefined,
    attemptNumber: number,
  ): Promise<R> {
    const callerSignal = options.signal;
    const started = performance.now();
    const guard = this.#guard(route, member, state, callerSignal);
    const attemptOptions = guard ? attemptOptionsOf(options, guard) : options;
    try {
      state.attemptAdmission = undefined;
      // A provider limit refuses before the breaker is entered: a full budget says nothing of the vendor's health.
      if (route.limited !== false && this.#limits?.hasProviderLimits(member.id)) {
        state.attemptAdmission = await this.#limits.admitAttempt(
          route.name,
          state.tenant,
          new PricedMember(member, operation),
          operation.estimate?.() ?? [],
        );
      }
      let value: R;
      if (guard) value = await this.#raced(member, attemptOptions, state, attemptOnce, attemptNumber, guard, started);
      else {
        const breaker = member.breaker;
        if (!breaker.enter()) throw breaker.rejection();
        try {
          value = await this.#start(member, attemptOptions, state, attemptOnce, attemptNumber, guard, started);
        } catch (error) {
          breaker.failedWith(error);
          throw error;
        }
        breaker.succeededOnce();
      }
      this.#emitAttempt(route, member, state, attemptNumber, 'success', performance.now() - started, undefined);
      return value;
    } catch (caught) {
      if (ProviderBreaker.isOpenRejection(caught)) throw caught;
      throw this.#attemptFailed(route, member, state, operation, caught, guard, callerSignal, started, attemptNumber);
    } finally {
      // A stream or session handed over to the caller keeps its guard until it ends (it disposes it then).
      if (guard !== undefined && !guard.handedOver) guard.dispose();
    }
  }

  /** Enters the breaker and starts the attempt raced against its guard: what an attempt with a guard awaits. */
  #raced<P extends BaseProvider, R>(
    member: RouteMember<P>,
    attemptOptions: CallOptions,
    state: CallState,
    attemptOnce: AttemptOnce<P, R> | undefined,
    attemptNumber: number,
    guard: AttemptGuard,
    started: number,
  ): Promise<R> {
    const breaker = member.breaker;
    if (!breaker.enter()) throw breaker.rejection();
    const pending = this.#start(member, attemptOptions, state, attemptOnce, attemptNumber, guard, started);
    // Raced: the breaker must still see how the member's own call ends, even after a timeout.
    return guard.race(breaker.observe(pending));
  }

  /** The member's work of one attempt: the operation's own attempt, or for `call` the invocation and its settling. */
  #start<P extends BaseProvider, R>(
    member: RouteMember<P>,
    attemptOptions: CallOptions,
    state: CallState,
    attemptOnce: AttemptOnce<P, R> | undefined,
    attemptNumber: number,
    guard: AttemptGuard | undefined,
    started: number,
  ): Promise<R> {
    return attemptOnce === undefined
      ? this.#invokeCall<P, R>(member, attemptOptions, state, attemptNumber, guard, started)
      : attemptOnce(member, attemptOptions, attemptNumber, state, guard, started);
  }

  /** A failed attempt's record, event and metering; returns the error it failed with. */
  #attemptFailed<P extends BaseProvider, R>(
    route: ResolvedRoute<P>,
    member: RouteMember<P>,
    state: CallState,
    operation: Pick<Operation<P, R>, 'failureUnits' | 'model'>,
    caught: unknown,
    guard: AttemptGuard | undefined,
    callerSignal: AbortSignal | undefined,
    started: number,
    attemptNumber: number,
  ): PatchbayError {
    const error = this.#attemptError(route, member, caught, guard, callerSignal);
    const durationMs = performance.now() - started;
    (state.attempts ??= []).push({
      provider: member.id,
      vendor: member.provider.vendor,
      code: error.code,
      message: error.message,
      durationMs: Math.round(durationMs),
      attempt: attemptNumber,
    });
    this.#emitAttempt(route, member, state, attemptNumber, 'error', durationMs, error.code);
    this.#record(
      route,
      member,
      state,
      attemptNumber,
      durationMs,
      error.code === 'aborted' ? 'aborted' : 'error',
      error.code,
      operation.model(undefined, member.provider) ?? configuredModel(member.provider),
      operation.failureUnits.map((unit) => ({ unit, quantity: 0 })),
    );
    return error;
  }

  /** After a failed first attempt: the failover rule decides whether the same member is tried again. */
  async #retryMember<P extends BaseProvider, R>(
    route: ResolvedRoute<P>,
    member: RouteMember<P>,
    state: CallState,
    callerSignal: AbortSignal | undefined,
    attempt: (attemptNumber: number) => Promise<R>,
    firstError: unknown,
    members: readonly RouteMember<P>[],
    index: number,
  ): Promise<R> {
    const hasFallback = () => {
      for (let next = index + 1; next < members.length; next++)
        if ((members[next] as RouteMember<P>).breaker.allowsCall) return true;
      return false;
    };
    try {
      return await retryAfterFailure(
        firstError,
        attempt,
        route.retry,
        callerSignal,
        {
          shouldRetry: (error) =>
            error.retryable &&
            error.code !== 'aborted' &&
            !callerSignal?.aborted &&
            !(error.outcomeUnknown && !route.repeatUnknownOutcome) &&
            member.breaker.allowsCall &&
            // The failover rule: another healthy member is tried at once; the same one again only when none
            // is left, or when the vendor asked for a short pause (a rate limit with a brief Retry-After).
            (!hasFallback() ||
              (error.code === 'rate_limited' &&
                error.retryAfterMs !== undefined &&
                error.retryAfterMs <= shortRetryAfterMs)),
          onRetry: (error, failedAttempt, delayMs) =>
            this.#events.emit('retry', {
              route: route.name,
              provider: member.id,
              tenant: state.tenant,
              attempt: failedAttempt,
              delayMs,
              errorCode: error.code,
            }),
        },
        (error) => toPatchbayError(error, { provider: member.id, vendor: member.provider.vendor }),
        state.deadlineAt,
      );
    } catch (caught) {
      if (ProviderBreaker.isOpenRejection(caught) || PatchbayError.isInstance(caught)) throw caught;
      // p-retry rethrows the signal's reason when a wait is cut short.
      throw callerSignal?.aborted
        ? this.#abortError(callerSignal.reason, member, caught)
        : toPatchbayError(caught, { provider: member.id });
    }
  }

  /**
   * One guard per attempt, only when something can end it early: the caller's signal, the attempt timeout
   * or the call's deadline (one timer for whichever ends first). Without any, the adapter gets the caller's
   * options untouched and no signal is made.
   */
  #guard<P extends BaseProvider>(
    route: ResolvedRoute<P>,
    member: RouteMember<P>,
    state: CallState,
    callerSignal: AbortSignal | undefined,
  ): AttemptGuard | undefined {
    const attemptMs = route.attemptTimeoutMs;
    if (attemptMs === undefined && state.deadlineAt === undefined) {
      return callerSignal ? new AttemptGuard(callerSignal, undefined, undefined) : undefined;
    }
    const now = Date.now();
    const deadlineLeft = state.deadlineAt === undefined ? undefined : state.deadlineAt - now;
    if (deadlineLeft !== undefined && (attemptMs === undefined || deadlineLeft <= attemptMs)) {
      return new AttemptGuard(callerSignal, deadlineLeft, this.#timeouts, route.name, route.deadlineMs, true, now);
    }
    return new AttemptGuard(callerSignal, attemptMs, this.#timeouts, member.id, attemptMs, false, now);
  }

  #attemptError<P extends BaseProvider>(
    route: ResolvedRoute<P>,
    member: RouteMember<P>,
    caught: unknown,
    guard: AttemptGuard | undefined,
    callerSignal: AbortSignal | undefined,
  ): PatchbayError {
    if (guard?.aborted) return this.#abortError(guard.reason, member, caught);
    const error = toPatchbayError(caught, {
      provider: member.id,
      vendor: member.provider.vendor,
      signal: callerSignal,
    });
    // A send that failed in a way nobody classified may have reached the vendor: never repeat it blindly.
    if (
      (route.kind === 'sms' || route.kind === 'whatsapp') &&
      !error.outcomeUnknown &&
      (!PatchbayError.isInstance(caught) || isProgrammingError(caught))
    ) {
      return new PatchbayError({ ...error.toOptions(), outcomeUnknown: true, retryable: false });
    }
    return error;
  }

  #deadlineError<P extends BaseProvider>(route: ResolvedRoute<P>, member: RouteMember<P> | undefined): PatchbayError {
    return this.#abortError(timeoutReason(deadlineMessage(route)), member);
  }

  /** Timeout when one of our timers fired, aborted when the caller cancelled. */
  #abortError(abortReason: unknown, member: RouteMember<BaseProvider> | undefined, cause?: unknown): PatchbayError {
    const reason = abortReason as { name?: string; message?: string } | undefined;
    const timedOut = reason?.name === 'TimeoutError';
    return new PatchbayError({
      code: timedOut ? 'timeout' : 'aborted',
      message: timedOut ? (reason?.message ?? 'Timed out') : 'Aborted by the caller',
      provider: member?.id,
      vendor: member?.provider.vendor,
      // A timed-out request may have been processed by the vendor.
      outcomeUnknown: timedOut,
      cause: cause ?? reason,
    });
  }

  /**
   * Members in the order this call tries them, leaving out those that cannot serve it. Undefined when some
   * member could serve the call but none can take its identifiers (see route-aliases.ts).
   */
  #order<P extends BaseProvider>(
    route: ResolvedRoute<P>,
    options: CallOptions,
    eligible: ((provider: P) => boolean) | undefined,
    identifiers: IdentifierPlan | undefined,
  ): readonly RouteMember<P>[] | undefined {
    const members = eligible ? route.members.filter((member) => eligible(member.provider)) : route.members;
    let ordered: readonly RouteMember<P>[];
    if (members.length <= 1 || route.strategy === 'priority') ordered = priorityOrder(members);
    else if (route.strategy === 'round-robin') {
      let counter = this.#roundRobin.get(route.members);
      if (!counter) this.#roundRobin.set(route.members, (counter = { next: 0 }));
      ordered = roundRobinOrder(members, counter.next++);
    } else ordered = weightedOrder(members, route.name, stickyKeyOf(route.stickyKey, options));
    if (!identifiers || identifiers.empty || ordered.length === 0) return ordered;
    const primaryVendor = ordered[0]?.provider.vendor;
    const serving = ordered.filter((member) => identifiers.serves(member.provider, primaryVendor));
    return serving.length === 0 ? undefined : serving;
  }

  #skip<P extends BaseProvider>(route: ResolvedRoute<P>, member: RouteMember<P>, state: CallState): void {
    (state.attempts ??= []).push({
      provider: member.id,
      vendor: member.provider.vendor,
      code: 'unavailable',
      message: 'Skipped: circuit breaker open',
      durationMs: 0,
      attempt: 0,
    });
    this.#emitAttempt(route, member, state, 0, 'skipped', 0, 'unavailable');
  }

  #emitAttempt<P extends BaseProvider>(
    route: ResolvedRoute<P>,
    member: RouteMember<P>,
    state: CallState,
    attempt: number,
    outcome: 'success' | 'error' | 'skipped',
    durationMs: number,
    errorCode: ErrorCode | undefined,
  ): void {
    this.#onAttempt?.(state.tenant, member.id, outcome, errorCode);
    if (!this.#attemptListeners.active) return;
    this.#events.emit('attempt', {
      route: route.name,
      kind: route.kind,
      provider: member.id,
      tenant: state.tenant,
      correlationId: state.correlationId,
      attempt,
      outcome,
      durationMs,
      errorCode,
    });
  }

  /**
   * What meters an attempt whose result outlived the call that made it (a stream, a session) once it ends: it
   * releases the attempt's guard and records the outcome with the time from the attempt's start.
   */
  #ender<P extends BaseProvider>(
    route: ResolvedRoute<P>,
    member: RouteMember<P>,
    state: CallState,
    attempt: number,
    started: number,
    links: AttemptLinks,
    model: () => string | undefined,
  ): (outcome: UsageOutcome, errorCode: string | undefined, quantities: readonly UsageQuantity[]) => void {
    return (outcome, errorCode, quantities) => {
      links?.dispose();
      this.#record(route, member, state, attempt, performance.now() - started, outcome, errorCode, model(), quantities);
    };
  }

  #record<P extends BaseProvider>(
    route: ResolvedRoute<P>,
    member: RouteMember<P>,
    state: CallState,
    attempt: number,
    latencyMs: number,
    outcome: UsageOutcome,
    errorCode: string | undefined,
    model: string | undefined,
    quantities: readonly UsageQuantity[],
    reportedCost?: { amount: number; currency: string } | undefined,
  ): void {
    if (state.admission || state.attemptAdmission) {
      const settled = { provider: member.id, vendor: member.provider.vendor, model, quantities, reportedCost };
      state.attemptAdmission?.settle(settled);
      state.attemptAdmission = undefined;
      state.admission?.settle(settled);
    }
    this.#meter.record({
      reportedCost,
      route: route.name,
      kind: route.kind,
      provider: member.id,
      vendor: member.provider.vendor,
      model,
      tenant: state.tenant,
      correlationId: state.correlationId,
      attempt,
      latencyMs,
      outcome,
      errorCode,
      quantities,
    });
  }
}

/**
 * A member's answer, always as a promise: a member written in plain JavaScript may answer with a value, as `await`
 * allowed, or throw instead of rejecting (counted by its breaker like a rejection, a half-open trial included).
 */
function invokeMember<P extends BaseProvider, R>(call: Operation<P, R>, provider: P, options: CallOptions): Promise<R> {
  try {
    const answer = call.invoke(provider, options);
    return answer instanceof Promise ? answer : Promise.resolve(answer);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * What an attempt hands its member: the caller's tenant and correlation id, and the guard's signal. A plain
 * object with the signal as a value (read now): every adapter reads it for its SDK or `fetch`, and a getter would
 * cost a closure per attempt; a plain property also survives `{ ...options }`.
 */
function attemptOptionsOf(options: CallOptions, guard: AttemptGuard): CallOptions {
  const signal = guard.signal;
  // The signal again under a key only the router sets: made for this attempt alone, so an adapter may hand it to
  // `fetch` as it is (see `SignalRelay.forCall`).
  const attemptOptions: CallOptions & { [attemptSignalKey]: AbortSignal } = {
    tenant: options.tenant,
    correlationId: options.correlationId,
    signal,
    [attemptSignalKey]: signal,
  };
  return attemptOptions;
}

function deadlineMessage(route: ResolvedRoute<BaseProvider>): string {
  return `Route "${route.name}" exceeded its ${route.deadlineMs} ms deadline`;
}

function requestedOf(plan: IdentifierPlan | undefined): RequestedIdentifiers {
  return plan?.requested ?? {};
}

/** A member as a limit prices a call's estimate: the model metering would record, read only when a cost limit asks. */
class PricedMember<P extends BaseProvider, R> implements PricedAs {
  readonly provider: string;
  readonly vendor: string;
  readonly #member: P;
  readonly #operation: Pick<Operation<P, R>, 'model'>;

  constructor(member: RouteMember<P>, operation: Pick<Operation<P, R>, 'model'>) {
    this.provider = member.id;
    this.vendor = member.provider.vendor;
    this.#member = member.provider;
    this.#operation = operation;
  }

  model(): string | undefined {
    return this.#operation.model(undefined, this.#member) ?? configuredModel(this.#member);
  }
}

/** A member's configured model, for metering a failed attempt whose request named none (failures only). */
function configuredModel(provider: BaseProvider): string | undefined {
  try {
    const value = (provider.getConfig() as { model?: unknown }).model;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
