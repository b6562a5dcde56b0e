import { healthCodes } from '../errors/error-codes.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import type { EventHub } from '../events/event-hub.js';
import type { BreakerPolicy } from './routing-config.js';
import type { BreakerState, PatchbayEvents } from './routing-events.js';

/**
 * A fault in our own code (or the caller's): a TypeError, RangeError or
 * ReferenceError that nobody classified, raw or wrapped as `unknown`. It says
 * nothing about the vendor, so it never counts against the vendor's breaker.
 */
export function isProgrammingError(error: unknown): boolean {
  let candidate = error;
  if (PatchbayError.isInstance(candidate)) {
    if (candidate.code !== 'unknown') return false;
    // A PatchbayError keeps a redacted summary of its cause (an Error carrying the original's name), not the cause itself.
    candidate = candidate.cause;
  }
  if (!(candidate instanceof Error) || !programmingErrorNames.has(candidate.name)) return false;
  // undici reports a refused or reset socket as `TypeError: fetch failed` with the socket error as its cause.
  return !/fetch failed|network|socket/i.test(candidate.message);
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

  constructor(provider: string, policy: BreakerPolicy, events: EventHub<PatchbayEvents>) {
    this.provider = provider;
    this.#events = events;
    this.#policy = policy.enabled ? policy : undefined;
    this.#bucketMs = Math.max(1, policy.windowMs / bucketCount);
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
    if (this.#cooldown !== undefined) clearTimeout(this.#cooldown);
    this.#cooldown = undefined;
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
      this.#transition('closed');
      return;
    }
    const slot = this.#slot();
    this.#calls[slot] = (this.#calls[slot] as number) + 1;
  }

  #failed(): void {
    const policy = this.#policy as BreakerPolicy;
    if (this.#state === 'half-open') {
      this.#open(policy);
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
    if (calls >= policy.minimumCalls && (failures / calls) * 100 > policy.failureThresholdPercent) this.#open(policy);
  }

  #open(policy: BreakerPolicy): void {
    this.#transition('open');
    this.shutdown();
    this.#cooldown = setTimeout(() => {
      this.#cooldown = undefined;
      this.#trialTaken = false;
      this.#transition('half-open');
    }, policy.cooldownMs);
    // A cool-down never keeps the process alive on its own.
    (this.#cooldown as { unref?: () => void }).unref?.();
  }

  #transition(state: BreakerState): void {
    if (this.#state === state) return;
    this.#state = state;
    if (state === 'closed') {
      this.#calls.fill(0);
      this.#failures.fill(0);
      this.#epochs.fill(-1);
    }
    this.#events.emit('breaker', { provider: this.provider, state });
  }
}
