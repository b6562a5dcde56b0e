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
 * are done. A request made without a relay goes through untouched. A single response from a client whose own
 * timeout is disabled takes `relay.responseFetchOptions` instead: a signal the router made for the attempt then
 * goes to `fetch` as it is.
 */
import type { CallOptions } from '../spec/provider.js';

const relayKey = Symbol('patchbay.signalRelay');
const soleKey = Symbol('patchbay.soleSignal');

/**
 * Package-internal: the key under which the router's attempt options carry their signal again. The signal there
 * is one the router made for this attempt alone (see AttemptGuard): nothing long-lived holds it, so `fetch` may
 * keep its listener on it after the request. Not exported from the package: nothing else can set it.
 */
export const attemptSignalKey = Symbol('patchbay.attemptSignal');

type Fetch = typeof globalThis.fetch;

export class SignalRelay {
  /** The relay of a call without a signal: nothing to relay, shared (no allocation per call). */
  static readonly none: SignalRelay = new SignalRelay(undefined);

  /** The relay for a call's signal (`SignalRelay.none` when it has none). */
  static for(signal: AbortSignal | undefined): SignalRelay {
    return signal ? new SignalRelay(signal) : SignalRelay.none;
  }

  /**
   * The relay for a call's options: like `for(options.signal)`, and it knows when the signal is one the router
   * made for this attempt alone (see `responseFetchOptions`).
   */
  static forCall(options: CallOptions): SignalRelay {
    const signal = options.signal;
    if (!signal) return SignalRelay.none;
    return new SignalRelay(signal, (options as Record<symbol, unknown>)[attemptSignalKey] === signal);
  }

  readonly #signal: AbortSignal | undefined;
  readonly #attemptScoped: boolean;
  #controllers: AbortController[] | undefined;
  #onAbort: (() => void) | undefined;
  /** Per-request options for the SDK; undefined when the call has no signal (nothing to relay). */
  readonly fetchOptions: Record<symbol, SignalRelay> | undefined;

  constructor(signal: AbortSignal | undefined, attemptScoped = false) {
    this.#signal = signal;
    this.#attemptScoped = attemptScoped;
    this.fetchOptions = signal ? { [relayKey]: this } : undefined;
  }

  /**
   * What to pass as the `fetchOptions` of a request with a single response from a client whose own timeout is
   * disabled (an SDK aborts its own signal to close a stream its consumer left, or when its timeout fires: neither
   * happens to such a request). When the call's signal is one the router made for this attempt (a relay made by
   * `forCall` with the router's attempt options), `relayingFetch` hands it to `fetch` in place of the SDK's, with
   * no controller or listener of its own. Any other signal (a caller's own, perhaps long-lived: `fetch` would keep
   * a listener on it) is relayed as with `fetchOptions`.
   */
  get responseFetchOptions(): Record<symbol, unknown> | undefined {
    const signal = this.#signal;
    if (signal === undefined) return undefined;
    return this.#attemptScoped ? { [soleKey]: signal } : this.fetchOptions;
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
    if (!init) return fetch(input, init);
    const carried = init as RequestInit & Record<symbol, unknown>;
    const sole = carried[soleKey];
    if (sole instanceof AbortSignal) {
      const { [soleKey]: _sole, signal: _sdkSignal, ...rest } = carried;
      (rest as RequestInit).signal = sole;
      return fetch(input, rest);
    }
    const relay = carried[relayKey];
    if (!(relay instanceof SignalRelay)) return fetch(input, init);
    const { [relayKey]: _relay, signal: sdkSignal, ...rest } = carried;
    const controller = new AbortController();
    // The SDK's own signal (its timeout, its abort) still ends the request.
    if (sdkSignal) {
      if (sdkSignal.aborted) controller.abort(sdkSignal.reason);
      else sdkSignal.addEventListener('abort', () => controller.abort(sdkSignal.reason), { once: true });
    }
    relay.attach(controller);
    (rest as RequestInit).signal = controller.signal;
    return fetch(input, rest);
  };
}
