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

/**
 * What bounds one attempt: the caller's signal and one timer (the attempt
 * timeout or what is left of the call's deadline, whichever ends first — one
 * timer per attempt instead of one for the attempt and one for the deadline,
 * each with its own linked signal). The AbortController behind `signal` is made only when
 * somebody reads `signal`, so a call whose adapter never looks pays nothing for
 * it; read after a timeout, it is already aborted. One listener on the caller's
 * signal and one timer, both removed by `dispose()` on every exit path.
 */
export class AttemptGuard {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #caller: AbortSignal | undefined;
  readonly #onCallerAbort: (() => void) | undefined;
  #rejecters: ((reason: unknown) => void)[] | undefined;

  constructor(caller: AbortSignal | undefined, timeoutMs: number | undefined, timeoutMessage: string) {
    if (caller) {
      if (caller.aborted) {
        this.#fire(caller.reason);
      } else {
        this.#caller = caller;
        this.#onCallerAbort = () => this.#fire(caller.reason);
        caller.addEventListener('abort', this.#onCallerAbort, { once: true });
      }
    }
    if (timeoutMs !== undefined && !this.#aborted) {
      if (timeoutMs <= 0) this.#fire(timeoutReason(timeoutMessage));
      else this.#timer = setTimeout(() => this.#fire(timeoutReason(timeoutMessage)), timeoutMs);
    }
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  /** The signal handed to the adapter: aborts when the attempt times out or the caller aborts. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Settles with the promise, or rejects with the abort reason as soon as the attempt is aborted. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.#aborted) {
      promise.catch(() => {});
      return Promise.reject(this.#reason);
    }
    return new Promise<T>((resolve, reject) => {
      const rejecters = (this.#rejecters ??= []);
      rejecters.push((reason) => {
        promise.catch(() => {});
        reject(reason);
      });
      promise.then(resolve, reject);
    });
  }

  /** Stops the timer; the caller's signal still applies (a stream or session now belongs to the caller). */
  settle(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#rejecters = undefined;
  }

  /** Stops the timer and unlinks from the caller's signal. */
  dispose(): void {
    this.settle();
    if (this.#onCallerAbort) this.#caller?.removeEventListener('abort', this.#onCallerAbort);
  }

  #fire(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#controller?.abort(reason);
    const rejecters = this.#rejecters;
    this.#rejecters = undefined;
    if (rejecters) for (const reject of rejecters) reject(reason);
  }
}
