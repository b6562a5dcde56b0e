import { healthCodes } from '../errors/error-codes.js';
import { isNetworkTypeError } from '../errors/normalize-error.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import type { EventHub } from '../events/event-hub.js';
import type { SharedBreakerState, SharedBreakerTransition } from '../spec/state.js';
import type { BreakerPolicy } from './routing-config.js';
import type { BreakerState, PatchbayEvents } from './routing-events.js';

/**
 * A fault in our own code (or the caller's): a TypeError, RangeError or
 * ReferenceError that nobody classified, raw or wrapped as `unknown`. It says
 * nothing about the vendor, so it never counts against the vendor's breaker.
 * A TypeError that reports a failed request (`isNetworkTypeError`) is not one.
 */
export function isProgrammingError(error: unknown): boolean {
  let candidate = error;
  if (PatchbayError.isInstance(candidate)) {
    if (candidate.code !== 'unknown') return false;
    // A PatchbayError keeps a redacted summary of its cause (an Error carrying the original's name), not the cause itself.
    candidate = candidate.cause;
  }
  if (!(candidate instanceof Error) || !programmingErrorNames.has(candidate.name)) return false;
  // undici reports a refused or reset socket as `TypeError: fetch failed` with the socket error as its cause;
  // a TypeError that merely mentions a socket (`reading 'socket'`) is still a bug.
  return !isNetworkTypeError(candidate);
}

const programmingErrorNames = new Set(['TypeError', 'RangeError', 'ReferenceError']);

/** Only failures that say something about the provider's health count against it. */
function countsAgainstHealth(error: unknown): boolean {
  if (isProgrammingError(error)) return false;
  return !PatchbayError.isInstance(error) || healthCodes.has(error.code);
}

const bucketCount = 10;

/** The rejection `run()` gives while the breaker is open (`isOpenRejection` recognises it). */
class OpenBreakerRejection extends Error {
  readonly code = 'EOPENBREAKER';
  constructor(provider: string) {
    super(`Circuit breaker of provider "${provider}" is open`);
    this.name = 'OpenBreakerRejection';
  }
}

/** A breaker's link to the state it shares with other instances. */
export interface SharedBreaker {
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
export class ProviderBreaker {
  readonly provider: string;
  readonly #policy: BreakerPolicy | undefined;
  readonly #events: EventHub<PatchbayEvents>;
  readonly #bucketMs: number;
  readonly #calls = new Float64Array(bucketCount);
  readonly #failures = new Float64Array(bucketCount);
  /** The bucket epoch (`floor(now / bucketMs)`) each slot currently counts. */
  readonly #epochs = new Float64Array(bucketCount).fill(-1);
  #state: BreakerState = 'closed';
  #trialTaken = false;
  #cooldown: ReturnType<typeof setTimeout> | undefined;
  readonly #shared: SharedBreaker | undefined;
  #unsubscribe: (() => void) | undefined;
  /** Half-open with a shared state: whether this instance holds the cluster's trial lease. */
  #holdsLease = false;
  /** Bumped on every transition, so an answer to an older lease request is ignored. */
  #generation = 0;

  constructor(
    provider: string,
    policy: BreakerPolicy,
    events: EventHub<PatchbayEvents>,
    shared?: SharedBreaker | undefined,
  ) {
    this.provider = provider;
    this.#events = events;
    this.#policy = policy.enabled ? policy : undefined;
    this.#bucketMs = Math.max(1, policy.windowMs / bucketCount);
    if (this.#policy && shared) {
      this.#shared = shared;
      try {
        this.#unsubscribe = shared.state.subscribe(shared.key, this.#onShared);
      } catch {
        // A shared state that cannot subscribe leaves this breaker local.
        this.#unsubscribe = undefined;
      }
    }
  }

  get state(): BreakerState {
    return this.#state;
  }

  /** Whether a call may go through now (closed, or half-open with its trial not yet taken). */
  get allowsCall(): boolean {
    return this.#state === 'closed' || (this.#state === 'half-open' && !this.#trialTaken);
  }

  run<T>(action: () => Promise<T>): Promise<T> {
    if (!this.enter()) return Promise.reject(this.rejection());
    return this.observe(action());
  }

  /**
   * The gate of `run()` on its own, for the router's hot path (no closure per call): whether a call may start
   * now; in half-open it takes the one trial. A caller that gets `true` must hand the call to `observe()`.
   */
  enter(): boolean {
    if (!this.#policy || this.#state === 'closed') return true;
    if (this.#state === 'open' || this.#trialTaken) return false;
    this.#trialTaken = true;
    return true;
  }

  /** The rejection of a call the breaker refused (`isOpenRejection` recognises it). */
  rejection(): Error {
    return new OpenBreakerRejection(this.provider);
  }

  /** Counts the call's outcome when it settles; answers the same outcome. */
  observe<T>(pending: Promise<T>): Promise<T> {
    if (!this.#policy) return pending;
    return pending.then(this.#onSuccess, this.#onFailure) as Promise<T>;
  }

  /** Whether an error came from this breaker refusing the call, not from the provider. */
  static isOpenRejection(error: unknown): boolean {
    return (error as { code?: unknown } | null)?.code === 'EOPENBREAKER';
  }

  shutdown(): void {
    this.#clearTimer();
    if (this.#holdsLease) this.#releaseLease();
    try {
      this.#unsubscribe?.();
    } catch {
      // Unsubscribing from a broken shared state must not break reconfiguration.
    }
    this.#unsubscribe = undefined;
  }

  #clearTimer(): void {
    if (this.#cooldown !== undefined) clearTimeout(this.#cooldown);
    this.#cooldown = undefined;
  }

  /** Another instance's transition: mirrored without publishing it again. */
  readonly #onShared = (transition: SharedBreakerTransition): void => {
    const policy = this.#policy;
    if (!policy) return;
    if (transition.state === 'closed') {
      if (this.#state !== 'closed') {
        this.#clearTimer();
        if (this.#holdsLease) this.#releaseLease();
        this.#transition('closed');
      }
      return;
    }
    // Our own trial in flight decides for us; its outcome is published.
    if (this.#state === 'half-open' && this.#holdsLease && this.#trialTaken) return;
    if (this.#holdsLease) this.#releaseLease();
    this.#open(policy, transition.cooldownMs ?? policy.cooldownMs, false);
  };

  #publish(transition: SharedBreakerTransition): void {
    try {
      this.#shared?.state.publish(this.#shared.key, transition);
    } catch {
      // Publishing is best effort: the local breaker has already acted.
    }
  }

  #releaseLease(): void {
    this.#holdsLease = false;
    try {
      this.#shared?.state.releaseTrial(this.#shared.key);
    } catch {
      // The lease expires on its own.
    }
  }

  /**
   * Half-open with a shared state: no trial until this instance holds the cluster's lease. Every
   * half lease the request is repeated: the holder extends its lease while its trial runs (and
   * gives back an unused one), the others try again (the holder may be gone). A shared state that
   * rejects, or has not answered within a whole lease, is treated as unreachable: this instance
   * decides alone.
   */
  #requestLease(policy: BreakerPolicy): void {
    const shared = this.#shared as SharedBreaker;
    const generation = this.#generation;
    const leaseMs = Math.max(1, policy.cooldownMs);
    const current = () => generation === this.#generation && this.#state === 'half-open';
    let answered = false;
    const decideLocally = () => {
      if (current()) this.#trialTaken = false;
    };
    let pending: Promise<boolean>;
    try {
      pending = Promise.resolve(shared.state.acquireTrial(shared.key, leaseMs));
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (granted) => {
        answered = true;
        if (!current()) {
          if (granted) this.#giveBack();
          return;
        }
        if (granted) {
          if (!this.#holdsLease) this.#trialTaken = false;
          this.#holdsLease = true;
        }
      },
      () => {
        answered = true;
        decideLocally();
      },
    );
    const waitForAnswer = (ticks: number): void => {
      this.#schedule(leaseMs / 2, () => {
        if (!answered) {
          if (ticks === 0) waitForAnswer(1);
          else decideLocally();
          return;
        }
        if (this.#holdsLease && !this.#trialTaken) {
          this.#trialTaken = true;
          this.#releaseLease();
        }
        this.#requestLease(policy);
      });
    };
    waitForAnswer(0);
  }

  /** Releases a lease granted too late to use (the breaker moved on meanwhile). */
  #giveBack(): void {
    try {
      this.#shared?.state.releaseTrial(this.#shared.key);
    } catch {
      // The lease expires on its own.
    }
  }

  #schedule(delayMs: number, action: () => void): void {
    this.#clearTimer();
    this.#cooldown = setTimeout(() => {
      this.#cooldown = undefined;
      action();
    }, delayMs);
    // A cool-down never keeps the process alive on its own.
    (this.#cooldown as { unref?: () => void }).unref?.();
  }

  /** Counts a call that `enter()` let through and that succeeded (what `observe` does when it settles). */
  succeededOnce(): void {
    if (this.#policy) this.#succeeded();
  }

  /** Counts a call that `enter()` let through and that failed with `error`. */
  failedWith(error: unknown): void {
    if (!this.#policy) return;
    if (countsAgainstHealth(error)) this.#failed();
    else this.#succeeded();
  }

  // Made once per breaker, not once per call.
  readonly #onSuccess = <T>(value: T): T => {
    this.#succeeded();
    return value;
  };

  readonly #onFailure = (error: unknown): never => {
    if (countsAgainstHealth(error)) this.#failed();
    else this.#succeeded();
    throw error;
  };

  #slot(): number {
    const epoch = Math.floor(Date.now() / this.#bucketMs);
    const slot = epoch % bucketCount;
    if (this.#epochs[slot] !== epoch) {
      this.#epochs[slot] = epoch;
      this.#calls[slot] = 0;
      this.#failures[slot] = 0;
    }
    return slot;
  }

  #succeeded(): void {
    if (this.#state === 'half-open') {
      this.#clearTimer();
      this.#transition('closed');
      if (this.#shared) {
        this.#publish({ state: 'closed' });
        if (this.#holdsLease) this.#releaseLease();
      }
      return;
    }
    const slot = this.#slot();
    this.#calls[slot] = (this.#calls[slot] as number) + 1;
  }

  #failed(): void {
    const policy = this.#policy as BreakerPolicy;
    if (this.#state === 'half-open') {
      this.#open(policy, policy.cooldownMs, true);
      return;
    }
    if (this.#state === 'open') return;
    const slot = this.#slot();
    this.#calls[slot] = (this.#calls[slot] as number) + 1;
    this.#failures[slot] = (this.#failures[slot] as number) + 1;
    const oldest = Math.floor(Date.now() / this.#bucketMs) - bucketCount + 1;
    let calls = 0;
    let failures = 0;
    for (let index = 0; index < bucketCount; index++) {
      if ((this.#epochs[index] as number) < oldest) continue;
      calls += this.#calls[index] as number;
      failures += this.#failures[index] as number;
    }
    if (calls >= policy.minimumCalls && (failures / calls) * 100 > policy.failureThresholdPercent)
      this.#open(policy, policy.cooldownMs, true);
  }

  #open(policy: BreakerPolicy, cooldownMs: number, announce: boolean): void {
    this.#transition('open');
    if (announce && this.#shared) {
      this.#publish({ state: 'open', cooldownMs });
      if (this.#holdsLease) this.#releaseLease();
    }
    this.#schedule(cooldownMs, () => {
      if (this.#shared && this.#unsubscribe) {
        this.#trialTaken = true;
        this.#transition('half-open');
        this.#requestLease(policy);
        return;
      }
      this.#trialTaken = false;
      this.#transition('half-open');
    });
  }

  #transition(state: BreakerState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#generation++;
    if (state === 'closed') {
      this.#calls.fill(0);
      this.#failures.fill(0);
      this.#epochs.fill(-1);
    }
    this.#events.emit('breaker', { provider: this.provider, state });
  }
}
