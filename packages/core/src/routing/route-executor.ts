import type { ErrorCode } from '../errors/error-codes.js';
import { toPatchbayError } from '../errors/normalize-error.js';
import { AllProvidersFailedError, type AttemptRecord, PatchbayError } from '../errors/patchbay-error.js';
import type { EventHub } from '../events/event-hub.js';
import type { UsageMeter } from '../metering/usage-meter.js';
import type { BaseProvider, CallOptions, ProviderKind } from '../spec/provider.js';
import type { UsageOutcome, UsageQuantity, UsageUnit } from '../spec/usage.js';
import { ProviderBreaker } from './circuit-breaker.js';
import { withRetries } from './retry-policy.js';
import type { RetryPolicy } from './routing-config.js';
import type { PatchbayEvents } from './routing-events.js';
import { type LinkedSignal, linkSignal, raceSignal } from './signals.js';
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
}

/** One kind of call a routed provider makes on its members. */
export interface Operation<P extends BaseProvider, R> {
  invoke(provider: P, options: CallOptions): Promise<R>;
  /** Billing quantities of a successful result. */
  usage(result: R): UsageQuantity[];
  /** Units metered with quantity 0 when an attempt fails. */
  failureUnits: readonly UsageUnit[];
  model(result: R | undefined): string | undefined;
  /** Members that cannot serve this operation (missing capability) are left out. */
  eligible?(provider: P): boolean;
  /**
   * False when the input can be consumed only once (an audio byte stream): the
   * router then makes a single attempt on the first eligible member.
   */
  replayable?: boolean | undefined;
  /** The error to raise when no member is eligible (e.g. nobody can produce the requested format). */
  ineligible?(): PatchbayError;
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
  tenant: string | undefined;
  correlationId: string | undefined;
  attempts: AttemptRecord[];
}

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
  #roundRobin = 0;

  constructor(events: EventHub<PatchbayEvents>, meter: UsageMeter) {
    this.#events = events;
    this.#meter = meter;
  }

  async call<P extends BaseProvider, R>(
    route: ResolvedRoute<P>,
    operation: Operation<P, R>,
    options: CallOptions = {},
  ): Promise<R> {
    return this.#run(route, operation, options, async (member, attemptOptions, attempt, state, links) => {
      const started = performance.now();
      const result = await operation.invoke(member.provider, attemptOptions);
      const latencyMs = performance.now() - started;
      if (operation.wrap) {
        // A session outlives the call that opened it: stop the timers that bounded the opening, but keep the
        // caller's signal linked to the session until it ends.
        links.settle();
        let metered = false;
        return operation.wrap(result, (quantities, outcome) => {
          if (metered) return;
          metered = true;
          links.dispose();
          this.#record(
            route,
            member,
            state,
            attempt,
            performance.now() - started,
            outcome,
            undefined,
            operation.model(result),
            quantities,
          );
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
        operation.model(result),
        operation.usage(result),
      );
      return result;
    });
  }

  async stream<P extends BaseProvider, R extends { stream: AsyncIterable<T> }, T>(
    route: ResolvedRoute<P>,
    operation: StreamOperation<P, R, T>,
    options: CallOptions = {},
  ): Promise<R> {
    return this.#run(route, operation, options, async (member, attemptOptions, attempt, state, links) => {
      const started = performance.now();
      const result = await operation.invoke(member.provider, attemptOptions);
      const iterator = result.stream[Symbol.asyncIterator]();
      let first: IteratorResult<T>;
      try {
        first = await (attemptOptions.signal ? raceSignal(iterator.next(), attemptOptions.signal) : iterator.next());
      } catch (error) {
        void iterator.return?.()?.catch?.(() => {});
        throw error;
      }
      // The stream is the caller's from here: timers that bound the start stop; the caller's signal still applies.
      links.settle();
      const tally = new Map<UsageUnit, number>();
      for (const { unit, quantity } of operation.usage(result)) tally.set(unit, quantity);
      const finish = (outcome: UsageOutcome, errorCode?: ErrorCode) => {
        links.dispose();
        const quantities = [...tally].map(([unit, quantity]) => ({ unit, quantity }));
        this.#record(
          route,
          member,
          state,
          attempt,
          performance.now() - started,
          outcome,
          errorCode,
          operation.model(result),
          quantities,
        );
      };
      const relay = this.#relay(member, first, iterator, operation, tally, finish, options.signal);
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

  async #run<P extends BaseProvider, R>(
    route: ResolvedRoute<P>,
    operation: Pick<Operation<P, R>, 'failureUnits' | 'eligible' | 'model' | 'replayable' | 'ineligible'>,
    options: CallOptions,
    attemptOnce: (
      member: RouteMember<P>,
      attemptOptions: CallOptions,
      attempt: number,
      state: CallState,
      links: { settle(): void; dispose(): void },
    ) => Promise<R>,
  ): Promise<R> {
    const state: CallState = { tenant: options.tenant, correlationId: options.correlationId, attempts: [] };
    const deadline = route.deadlineMs === undefined ? undefined : linkSignal(options.signal);
    deadline?.startTimer(
      route.deadlineMs as number,
      `Route "${route.name}" exceeded its ${route.deadlineMs} ms deadline`,
    );
    const callSignal = deadline?.signal ?? options.signal;
    const ordered = this.#order(route, options, operation.eligible);
    if (ordered.length === 0 && operation.ineligible) throw operation.ineligible();
    const members = operation.replayable === false ? ordered.slice(0, 1) : ordered;
    if (operation.replayable === false) route = { ...route, retry: { ...route.retry, maxRetries: 0 } };
    let last: PatchbayError | undefined;
    let keepDeadline = false;
    try {
      for (let index = 0; index < members.length; index++) {
        const member = members[index] as RouteMember<P>;
        if (callSignal?.aborted) break;
        if (!member.breaker.allowsCall) {
          this.#skip(route, member, state);
          continue;
        }
        try {
          const result = await this.#tryMember(
            route,
            member,
            options,
            callSignal,
            state,
            operation,
            attemptOnce,
            deadline,
          );
          keepDeadline = result.keepDeadline;
          return result.value;
        } catch (caught) {
          if (ProviderBreaker.isOpenRejection(caught)) {
            this.#skip(route, member, state);
            continue;
          }
          const error = caught as PatchbayError;
          last = error;
          if (error.code === 'aborted' || callSignal?.aborted) break;
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
      if (callSignal?.aborted && (!last || (last.code !== 'aborted' && last.code !== 'timeout'))) {
        last = this.#abortError(callSignal, undefined);
      }
      throw new AllProvidersFailedError({
        route: route.name,
        attempts: state.attempts,
        last,
        reason: members.length === 0 ? 'no provider in the route can serve this call' : undefined,
      });
    } finally {
      if (!keepDeadline) deadline?.dispose();
    }
  }

  async #tryMember<P extends BaseProvider, R>(
    route: ResolvedRoute<P>,
    member: RouteMember<P>,
    options: CallOptions,
    callSignal: AbortSignal | undefined,
    state: CallState,
    operation: Pick<Operation<P, R>, 'failureUnits' | 'model'>,
    attemptOnce: (
      member: RouteMember<P>,
      attemptOptions: CallOptions,
      attempt: number,
      state: CallState,
      links: { settle(): void; dispose(): void },
    ) => Promise<R>,
    deadline: LinkedSignal | undefined,
  ): Promise<{ value: R; keepDeadline: boolean }> {
    let keepDeadline = false;
    const attempt = async (attemptNumber: number): Promise<R> => {
      const started = performance.now();
      const link =
        route.attemptTimeoutMs === undefined && callSignal === undefined ? undefined : linkSignal(callSignal);
      if (route.attemptTimeoutMs !== undefined) {
        link?.startTimer(
          route.attemptTimeoutMs,
          `Attempt on provider "${member.id}" exceeded ${route.attemptTimeoutMs} ms`,
        );
      }
      const attemptOptions: CallOptions = link ? { ...options, signal: link.signal } : options;
      let handedOver = false;
      const links = {
        settle: () => {
          link?.clearTimer();
          deadline?.clearTimer();
          keepDeadline = true;
          handedOver = true;
        },
        dispose: () => {
          link?.dispose();
          deadline?.dispose();
        },
      };
      try {
        const pending = member.breaker.run(() => attemptOnce(member, attemptOptions, attemptNumber, state, links));
        const value = await (link ? raceSignal(pending, link.signal) : pending);
        this.#emitAttempt(route, member, state, attemptNumber, 'success', performance.now() - started, undefined);
        return value;
      } catch (caught) {
        if (ProviderBreaker.isOpenRejection(caught)) throw caught;
        const error = link?.signal.aborted
          ? this.#abortError(link.signal, member, caught)
          : toPatchbayError(caught, { provider: member.id, vendor: member.provider.vendor, signal: options.signal });
        const durationMs = performance.now() - started;
        state.attempts.push({
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
          operation.model(undefined),
          operation.failureUnits.map((unit) => ({ unit, quantity: 0 })),
        );
        throw error;
      } finally {
        if (!handedOver) link?.dispose();
      }
    };
    const value = await withRetries(
      attempt,
      route.retry,
      callSignal ?? neverAborted,
      {
        shouldRetry: (error) =>
          error.retryable &&
          error.code !== 'aborted' &&
          !callSignal?.aborted &&
          !(error.outcomeUnknown && !route.repeatUnknownOutcome) &&
          member.breaker.allowsCall,
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
    ).catch((caught: unknown) => {
      if (ProviderBreaker.isOpenRejection(caught) || PatchbayError.isInstance(caught)) throw caught;
      // p-retry rethrows the signal's reason when a wait is cut short.
      throw callSignal?.aborted
        ? this.#abortError(callSignal, member, caught)
        : toPatchbayError(caught, { provider: member.id });
    });
    return { value, keepDeadline };
  }

  /** Timeout when one of our timers fired, aborted when the caller cancelled. */
  #abortError(signal: AbortSignal, member: RouteMember<BaseProvider> | undefined, cause?: unknown): PatchbayError {
    const reason = signal.reason as { name?: string; message?: string } | undefined;
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

  #order<P extends BaseProvider>(
    route: ResolvedRoute<P>,
    options: CallOptions,
    eligible: ((provider: P) => boolean) | undefined,
  ): readonly RouteMember<P>[] {
    const members = eligible ? route.members.filter((member) => eligible(member.provider)) : route.members;
    if (members.length <= 1 || route.strategy === 'priority') return priorityOrder(members);
    if (route.strategy === 'round-robin') return roundRobinOrder(members, this.#roundRobin++);
    return weightedOrder(members, route.name, stickyKeyOf(route.stickyKey, options));
  }

  #skip<P extends BaseProvider>(route: ResolvedRoute<P>, member: RouteMember<P>, state: CallState): void {
    state.attempts.push({
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
    if (!this.#events.has('attempt')) return;
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
  ): void {
    this.#meter.record({
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

const neverAborted = new AbortController().signal;
