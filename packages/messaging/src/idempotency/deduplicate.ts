import { PatchbayError, toPatchbayError } from '@patchbay/core/adapter';
import type { IdempotencyStore, IdempotentOutcome } from './idempotency-store.js';

export interface DeduplicateOptions {
  store: IdempotencyStore;
  /** How long a key is remembered after its send (default 24 hours). */
  windowMs?: number | undefined;
  /** How long a duplicate waits for a send in progress in another process (default 30 s). */
  waitTimeoutMs?: number | undefined;
  /** Poll interval while waiting on another process (default 250 ms). */
  pollMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

export const defaultIdempotencyWindowMs = 24 * 60 * 60 * 1000;

/**
 * Runs `send` at most once per key within the window. The rule:
 * - success: the result is kept; duplicates within the window get it back without sending;
 * - a definite failure (the vendor refused, nothing went out): the key is released, so a retry sends;
 * - a failure whose outcome is unknown (timeout after the request left): kept like a success, and
 *   duplicates get the same error rather than risk a second message;
 * - concurrent duplicates in this process share the first call's promise; duplicates in another
 *   process poll the store until the first call completes or releases the key.
 * A store that throws is not allowed to cause a send without protection: the error propagates and
 * nothing is sent.
 */
export function createDeduplicator() {
  const inFlight = new Map<string, Promise<unknown>>();

  async function run<T>(key: string, options: DeduplicateOptions, send: () => Promise<T>): Promise<T> {
    const shared = inFlight.get(key);
    if (shared !== undefined) return shared as Promise<T>;
    const promise = claimAndSend(key, options, send);
    inFlight.set(key, promise);
    try {
      return await promise;
    } finally {
      inFlight.delete(key);
    }
  }

  return {
    run,
    get inFlight(): number {
      return inFlight.size;
    },
  };
}

async function claimAndSend<T>(key: string, options: DeduplicateOptions, send: () => Promise<T>): Promise<T> {
  const window = { ttlMs: options.windowMs ?? defaultIdempotencyWindowMs };
  const waitTimeout = options.waitTimeoutMs ?? 30_000;
  const pollMs = options.pollMs ?? 250;
  let waited = 0;
  for (;;) {
    const claim = await options.store.claim(key, window);
    if (claim.status === 'completed') return replay<T>(claim.outcome);
    if (claim.status === 'claimed') break;
    if (waited >= waitTimeout) {
      throw new PatchbayError({
        code: 'unavailable',
        message: `A send with the same idempotency key is still in progress after ${waitTimeout} ms`,
        retryable: true,
      });
    }
    await sleep(pollMs, options.signal);
    waited += pollMs;
  }
  let result: T;
  try {
    result = await send();
  } catch (caught) {
    const error = toPatchbayError(caught);
    if (error.outcomeUnknown) {
      await options.store.complete(
        key,
        {
          ok: false,
          error: { code: error.code, message: error.message, provider: error.provider, vendor: error.vendor },
        },
        window,
      );
    } else {
      await options.store.release(key);
    }
    throw caught;
  }
  await options.store.complete(key, { ok: true, value: result }, window);
  return result;
}

function replay<T>(outcome: IdempotentOutcome): T {
  if (outcome.ok) return outcome.value as T;
  throw new PatchbayError({
    code: outcome.error.code,
    message: `${outcome.error.message} (outcome unknown; replayed for a duplicate idempotency key)`,
    provider: outcome.error.provider,
    vendor: outcome.error.vendor,
    outcomeUnknown: true,
  });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new PatchbayError({ code: 'aborted', message: 'Aborted while waiting for a duplicate send' }));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new PatchbayError({ code: 'aborted', message: 'Aborted while waiting for a duplicate send' }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
