import pRetry from 'p-retry';
import type { PatchbayError } from '../errors/patchbay-error.js';
import type { RetryPolicy } from './routing-config.js';
import { sleep } from './signals.js';

/** Exponential backoff with full jitter, raised to the vendor's `Retry-After` when it asks for longer. */
export function backoffDelay(
  policy: RetryPolicy,
  failedAttempt: number,
  error: PatchbayError,
  random = Math.random,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (failedAttempt - 1));
  const computed = policy.jitter ? Math.round(random() * exponential) : exponential;
  return Math.max(computed, error.retryAfterMs ?? 0);
}

export interface RetryDecision {
  /** Called with the normalised error; decides whether the same provider is tried again. */
  shouldRetry(error: PatchbayError, failedAttempt: number): boolean;
  onRetry(error: PatchbayError, failedAttempt: number, delayMs: number): void;
}

/**
 * Repeats `attempt` on the same provider after its first attempt failed with
 * `firstError`, per the policy. The first attempt is the caller's: most calls
 * succeed, and they should not pay for any of this. p-retry counts attempts and
 * stops on abort; the waits are ours so that they honour `Retry-After`, the
 * call's deadline and fake clocks.
 */
export async function retryAfterFailure<T>(
  firstError: unknown,
  attempt: (attemptNumber: number) => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  decision: RetryDecision,
  toError: (error: unknown) => PatchbayError,
  deadlineAt?: number,
): Promise<T> {
  const waitBeforeRetry = async (error: unknown, failedAttempt: number): Promise<boolean> => {
    const normalised = toError(error);
    if (!decision.shouldRetry(normalised, failedAttempt)) return false;
    if (normalised.retryAfterMs !== undefined && normalised.retryAfterMs > policy.maxRetryAfterMs) return false;
    const delayMs = backoffDelay(policy, failedAttempt, normalised);
    // A retry that could only start after the call's deadline is not made: the call ends with what it has.
    if (deadlineAt !== undefined && Date.now() + delayMs >= deadlineAt) return false;
    decision.onRetry(normalised, failedAttempt, delayMs);
    await sleep(delayMs, signal);
    return true;
  };
  if (policy.maxRetries === 0 || !(await waitBeforeRetry(firstError, 1))) throw firstError;
  return pRetry((retryNumber) => attempt(retryNumber + 1), {
    retries: policy.maxRetries - 1,
    minTimeout: 0,
    maxTimeout: 0,
    randomize: false,
    signal,
    shouldRetry: ({ error, attemptNumber }) => waitBeforeRetry(error, attemptNumber + 1),
  });
}
