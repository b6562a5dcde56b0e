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
 * The attempt timeouts of one router, on one timer: a binary heap of guards by
 * expiry (`Date.now()`, so fake clocks drive it) and one `setTimeout` armed for
 * the earliest. Adding or removing an attempt is O(log n) with no allocation
 * and, while other attempts are in flight, in the common case (every attempt
 * of a route has the same timeout, so a new one expires after those in flight)
 * no timer call at all: the timer armed for an attempt that has since finished
 * fires, finds nothing due and re-arms for the earliest one left. When the last
 * attempt leaves, the timer is cleared: nothing is left behind between calls.
 */
export class TimeoutQueue {
  readonly #heap: AttemptGuard[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #armedFor = Number.POSITIVE_INFINITY;

  get size(): number {
    return this.#heap.length;
  }

  /** @internal */
  add(guard: AttemptGuard, now: number): void {
    const heap = this.#heap;
    guard.heapIndex = heap.length;
    heap.push(guard);
    this.#up(guard.heapIndex);
    if (guard.expiresAt < this.#armedFor) this.#arm(guard.expiresAt, now);
  }

  /** @internal */
  remove(guard: AttemptGuard): void {
    const index = guard.heapIndex;
    if (index < 0) return;
    guard.heapIndex = -1;
    const heap = this.#heap;
    const last = heap.pop() as AttemptGuard;
    if (index < heap.length) {
      heap[index] = last;
      last.heapIndex = index;
      this.#down(index);
      this.#up(last.heapIndex);
    }
    if (heap.length === 0) this.close();
  }

  close(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
  }

  #arm(at: number, now: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedFor = at;
    this.#timer = setTimeout(this.#onTimer, Math.max(0, at - now));
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    const heap = this.#heap;
    const now = Date.now();
    while (heap.length > 0 && (heap[0] as AttemptGuard).expiresAt <= now) {
      const due = heap[0] as AttemptGuard;
      this.remove(due);
      due.expire();
    }
    if (heap.length > 0 && this.#timer === undefined) this.#arm((heap[0] as AttemptGuard).expiresAt, Date.now());
  };

  #up(start: number): void {
    const heap = this.#heap;
    let index = start;
    const item = heap[index] as AttemptGuard;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as AttemptGuard;
      if (parent.expiresAt <= item.expiresAt) break;
      heap[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    heap[index] = item;
    item.heapIndex = index;
  }

  #down(start: number): void {
    const heap = this.#heap;
    const length = heap.length;
    let index = start;
    const item = heap[index] as AttemptGuard;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      const right = child + 1;
      if (right < length && (heap[right] as AttemptGuard).expiresAt < (heap[child] as AttemptGuard).expiresAt)
        child = right;
      const smaller = heap[child] as AttemptGuard;
      if (smaller.expiresAt >= item.expiresAt) break;
      heap[index] = smaller;
      smaller.heapIndex = index;
      index = child;
    }
    heap[index] = item;
    item.heapIndex = index;
  }
}

/**
 * What bounds one attempt: the caller's signal and one timeout (the attempt
 * timeout or what is left of the call's deadline, whichever ends first — one
 * per attempt instead of one for the attempt and one for the deadline, each
 * with its own linked signal), kept in the router's `TimeoutQueue` rather than
 * as a timer of its own. The AbortController behind `signal` is made on the
 * first read (the router reads it when it hands the attempt's options to the
 * member); read after a timeout, it is already aborted. One listener on the caller's
 * signal and one queue entry, both removed by `dispose()` on every exit path.
 */
export class AttemptGuard {
  /** @internal `Date.now()` at which the attempt times out (queue order). */
  expiresAt = Number.POSITIVE_INFINITY;
  /** @internal Position in the queue's heap; -1 when not queued. */
  heapIndex = -1;
  #controller: AbortController | undefined;
  #aborted = false;
  #handedOver = false;
  #reason: unknown;
  readonly #queue: TimeoutQueue | undefined;
  #timeoutName = '';
  #timeoutMs: number | undefined;
  #timeoutIsDeadline = false;
  readonly #caller: AbortSignal | undefined;
  readonly #onCallerAbort: (() => void) | undefined;
  #reject: ((reason: unknown) => void) | undefined;
  #rejecters: ((reason: unknown) => void)[] | undefined;

  /**
   * `timeoutMs` undefined: no timeout (only the caller's signal ends the attempt). A timeout's message is built
   * only when it fires: `deadline` names the route `name` and its `ms` deadline, else the provider `name` and
   * its `ms` attempt timeout. `now` is `Date.now()`, passed in when the caller has just read it.
   */
  constructor(
    caller: AbortSignal | undefined,
    timeoutMs: number | undefined,
    queue: TimeoutQueue | undefined,
    name = '',
    ms: number | undefined = undefined,
    deadline = false,
    now = Date.now(),
  ) {
    this.#queue = queue;
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
      this.#timeoutName = name;
      this.#timeoutMs = ms;
      this.#timeoutIsDeadline = deadline;
      if (timeoutMs <= 0) this.expire();
      else if (queue) {
        this.expiresAt = now + timeoutMs;
        queue.add(this, now);
      }
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
      // One race at a time is the rule (the attempt, then a stream's first part); more go to a list.
      if (this.#reject === undefined) this.#reject = reject;
      else (this.#rejecters ??= []).push(reject);
      promise.then(resolve, reject);
    });
  }

  /** Whether `handOver()` was called: the result now belongs to the caller, who disposes of the guard. */
  get handedOver(): boolean {
    return this.#handedOver;
  }

  /** Stops the timeout; the caller's signal still applies (a stream or session now belongs to the caller). */
  handOver(): void {
    this.#handedOver = true;
    this.#stopTimeout();
  }

  /** Stops the timeout and unlinks from the caller's signal. */
  dispose(): void {
    this.#stopTimeout();
    if (this.#onCallerAbort) this.#caller?.removeEventListener('abort', this.#onCallerAbort);
  }

  #stopTimeout(): void {
    if (this.heapIndex >= 0) this.#queue?.remove(this);
    this.#reject = undefined;
    this.#rejecters = undefined;
  }

  /** @internal The timeout is due (called by the queue). */
  expire(): void {
    const ms = this.#timeoutMs;
    const name = this.#timeoutName;
    this.#fire(
      timeoutReason(
        this.#timeoutIsDeadline
          ? `Route "${name}" exceeded its ${ms} ms deadline`
          : `Attempt on provider "${name}" exceeded ${ms} ms`,
      ),
    );
  }

  #fire(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#queue?.remove(this);
    this.#controller?.abort(reason);
    const reject = this.#reject;
    const rejecters = this.#rejecters;
    this.#reject = undefined;
    this.#rejecters = undefined;
    // The raced promise keeps its handler (`then(resolve, reject)`): its later rejection is never unhandled.
    reject?.(reason);
    if (rejecters) for (const other of rejecters) other(reason);
  }
}
