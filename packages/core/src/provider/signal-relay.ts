/**
 * Hands a call's `AbortSignal` to an SDK through the SDK's `fetch` instead of the SDK's own `signal` option.
 *
 * Why: the Stainless-generated SDKs (`openai`, `@anthropic-ai/sdk`) compose a caller's signal per request
 * with `AbortSignal.any`, or with weak references and a `FinalizationRegistry` on older runtimes, so that a
 * long-lived caller signal never retains finished requests. That costs tens of microseconds of CPU per
 * request (see `packages/llm/bench/routed-http-throughput.bench.mjs`), more than everything the router does.
 * An adapter knows when its call ends, so one plain listener, removed at the end, does the same job.
 *
 * Use: build the SDK client with `fetch: relayingFetch(runtimeFetch)`, pass `relay.fetchOptions` as the
 * request's `fetchOptions` (not `signal`), and call `relay.release()` once the call and its body or stream
 * are done. A request made without a relay goes through untouched.
 */
const relayKey = Symbol('patchbay.signalRelay');

type Fetch = typeof globalThis.fetch;

export class SignalRelay {
  /** The relay of a call without a signal: nothing to relay, shared (no allocation per call). */
  static readonly none: SignalRelay = new SignalRelay(undefined);

  /** The relay for a call's signal (`SignalRelay.none` when it has none). */
  static for(signal: AbortSignal | undefined): SignalRelay {
    return signal ? new SignalRelay(signal) : SignalRelay.none;
  }

  readonly #signal: AbortSignal | undefined;
  #controllers: AbortController[] | undefined;
  #onAbort: (() => void) | undefined;
  /** Per-request options for the SDK; undefined when the call has no signal (nothing to relay). */
  readonly fetchOptions: Record<symbol, SignalRelay> | undefined;

  constructor(signal: AbortSignal | undefined) {
    this.#signal = signal;
    this.fetchOptions = signal ? { [relayKey]: this } : undefined;
  }

  /** A request of this call started: it is aborted when the call's signal is. */
  attach(controller: AbortController): void {
    const signal = this.#signal;
    if (!signal) return;
    if (signal.aborted) {
      controller.abort(signal.reason);
      return;
    }
    if (this.#controllers) {
      this.#controllers.push(controller);
      return;
    }
    const controllers = [controller];
    this.#controllers = controllers;
    this.#onAbort = () => {
      for (const each of controllers) each.abort(signal.reason);
    };
    signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** The call is over: stop listening, so a long-lived caller signal retains nothing of it. */
  release(): void {
    if (this.#onAbort) this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#onAbort = undefined;
    this.#controllers = undefined;
  }
}

/** A `fetch` that honours the relay a request carries in its init (see `SignalRelay`). */
export function relayingFetch(base?: Fetch | undefined): Fetch {
  return (input, init) => {
    const fetch = base ?? globalThis.fetch;
    const relay = (init as Record<symbol, unknown> | undefined)?.[relayKey];
    if (!(relay instanceof SignalRelay) || !init) return fetch(input, init);
    const { [relayKey]: _relay, signal: sdkSignal, ...rest } = init as RequestInit & Record<symbol, unknown>;
    const controller = new AbortController();
    // The SDK's own signal (its timeout, its abort) still ends the request.
    if (sdkSignal) {
      if (sdkSignal.aborted) controller.abort(sdkSignal.reason);
      else sdkSignal.addEventListener('abort', () => controller.abort(sdkSignal.reason), { once: true });
    }
    relay.attach(controller);
    return fetch(input, { ...rest, signal: controller.signal });
  };
}
