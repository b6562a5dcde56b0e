/**
 * Signal plumbing without `AbortSignal.timeout`/`AbortSignal.any`: those use
 * timers that fake clocks cannot drive and keep listeners on long-lived parent
 * signals. Everything here is cleared explicitly when the call ends.
 */

export function timeoutReason(message: string): DOMException {
  return new DOMException(message, 'TimeoutError');
}

export interface LinkedSignal {
  readonly signal: AbortSignal;
  abort(reason: unknown): void;
  /** Aborts with a TimeoutError after `ms` unless cleared first. */
  startTimer(ms: number, message: string): void;
  /** Stops the timer (the signal stays linked to its parents). */
  clearTimer(): void;
  /** Stops the timer and unlinks from the parents. */
  dispose(): void;
}

/** A signal that aborts when any parent aborts, or when its own timer fires. */
export function linkSignal(...parents: (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const unlinks: (() => void)[] = [];
  for (const parent of parents) {
    if (!parent) continue;
    if (parent.aborted) {
      controller.abort(parent.reason);
      break;
    }
    const onAbort = () => controller.abort(parent.reason);
    parent.addEventListener('abort', onAbort, { once: true });
    unlinks.push(() => parent.removeEventListener('abort', onAbort));
  }
  const clearTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    startTimer(ms, message) {
      clearTimer();
      if (controller.signal.aborted) return;
      timer = setTimeout(() => controller.abort(timeoutReason(message)), ms);
    },
    clearTimer,
    dispose() {
      clearTimer();
      for (const unlink of unlinks) unlink();
      unlinks.length = 0;
    },
  };
}

/** Settles with the promise, or rejects with the signal's reason as soon as it aborts. */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {});
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
