import CircuitBreaker from 'opossum';
import { healthCodes } from '../errors/error-codes.js';
import { toPatchbayError } from '../errors/normalize-error.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import type { EventHub } from '../events/event-hub.js';
import type { BreakerPolicy } from './routing-config.js';
import type { BreakerState, PatchbayEvents } from './routing-events.js';

type Action = () => Promise<unknown>;

/**
 * A fault in our own code (or the caller's): a TypeError, RangeError or
 * ReferenceError that nobody classified, raw or wrapped as `unknown`. It says
 * nothing about the vendor, so it never counts against the vendor's breaker.
 */
export function isProgrammingError(error: unknown): boolean {
  let candidate = error;
  if (PatchbayError.isInstance(candidate)) {
    if (candidate.code !== 'unknown') return false;
    candidate = candidate.cause;
  }
  if (!(candidate instanceof TypeError || candidate instanceof RangeError || candidate instanceof ReferenceError))
    return false;
  // undici reports a refused or reset socket as `TypeError: fetch failed` with the socket error as its cause.
  return toPatchbayError(candidate).code === 'unknown';
}

/** Only failures that say something about the provider's health count against it. */
function countsAgainstHealth(error: unknown): boolean {
  if (isProgrammingError(error)) return false;
  return !PatchbayError.isInstance(error) || healthCodes.has(error.code);
}

/**
 * One opossum breaker per provider. Open: the router skips the provider without
 * calling it. After the cool-down: half-open, one trial call goes through; its
 * success closes the breaker, its failure opens it again.
 */
export class ProviderBreaker {
  readonly provider: string;
  readonly #breaker: CircuitBreaker<[Action], unknown> | undefined;

  constructor(provider: string, policy: BreakerPolicy, events: EventHub<PatchbayEvents>) {
    this.provider = provider;
    if (!policy.enabled) return;
    this.#breaker = new CircuitBreaker<[Action], unknown>((action: Action) => action(), {
      timeout: false,
      errorThresholdPercentage: policy.failureThresholdPercent,
      volumeThreshold: policy.minimumCalls,
      rollingCountTimeout: policy.windowMs,
      rollingCountBuckets: 10,
      resetTimeout: policy.cooldownMs,
      enableSnapshots: false,
      // On, opossum merges and sorts every latency of the window on each failure: O(window) per failure, which
      // blocked the event loop for seconds in a failing soak. Nothing here reads percentiles.
      rollingPercentilesEnabled: false,
      errorFilter: (error: unknown) => !countsAgainstHealth(error),
    });
    const announce = (state: BreakerState) => () => events.emit('breaker', { provider, state });
    this.#breaker.on('open', announce('open'));
    this.#breaker.on('halfOpen', announce('half-open'));
    this.#breaker.on('close', announce('closed'));
  }

  get state(): BreakerState {
    const breaker = this.#breaker;
    if (!breaker || breaker.closed) return 'closed';
    return breaker.halfOpen ? 'half-open' : 'open';
  }

  /** Whether a call may go through now (closed, or half-open with its trial not yet taken). */
  get allowsCall(): boolean {
    const breaker = this.#breaker;
    return !breaker || breaker.closed || breaker.pendingClose;
  }

  run<T>(action: () => Promise<T>): Promise<T> {
    if (!this.#breaker) return action();
    return this.#breaker.fire(action) as Promise<T>;
  }

  /** Whether an error came from this breaker refusing the call, not from the provider. */
  static isOpenRejection(error: unknown): boolean {
    return (error as { code?: unknown } | null)?.code === 'EOPENBREAKER';
  }

  shutdown(): void {
    this.#breaker?.shutdown();
  }
}
