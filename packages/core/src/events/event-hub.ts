/** Called with what a listener threw; must not throw itself (a throw is swallowed). */
export type ListenerErrorHandler = (error: unknown, type: string) => void;

/**
 * Plain subscribe functions that return an unsubscribe: no EventEmitter, no
 * string-typed payloads. Emitting with no listeners costs one map lookup.
 */
export class EventHub<Events extends Record<string, unknown>> {
  readonly #listeners = new Map<keyof Events, Set<(event: never) => void>>();
  readonly #onListenerError: ListenerErrorHandler | undefined;
  #changes = 0;

  /** `onListenerError` receives what a listener threw; without it the error is dropped. */
  constructor(options: { onListenerError?: ListenerErrorHandler | undefined } = {}) {
    this.#onListenerError = options.onListenerError;
  }

  on<K extends keyof Events>(type: K, listener: (event: Events[K]) => void): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    if (!set.has(listener as (event: never) => void)) {
      set.add(listener as (event: never) => void);
      this.#changes++;
    }
    return () => {
      if (set.delete(listener as (event: never) => void)) this.#changes++;
    };
  }

  /** Counts subscriptions and unsubscriptions (what a `ListenerWatch` compares). */
  get changes(): number {
    return this.#changes;
  }

  /**
   * `has(type)` for a hot path that asks on every call: the watch keeps the answer while no subscription changed
   * (one field read instead of a map lookup).
   */
  watch(type: keyof Events): ListenerWatch {
    return new ListenerWatch(this as unknown as EventHub<Record<string, unknown>>, type as string);
  }

  has(type: keyof Events): boolean {
    return (this.#listeners.get(type)?.size ?? 0) > 0;
  }

  /**
   * Calls every listener; one that throws is reported to `onListenerError` and
   * never reaches the caller that emitted (nor the process, as an uncaught error).
   */
  emit<K extends keyof Events>(type: K, event: Events[K]): void {
    const set = this.#listeners.get(type);
    if (!set || set.size === 0) return;
    for (const listener of set) {
      try {
        (listener as (event: Events[K]) => void)(event);
      } catch (error) {
        try {
          this.#onListenerError?.(error, String(type));
        } catch {
          // The error handler itself failed: nothing safe is left to report to.
        }
      }
    }
  }
}

/** Whether a hub has listeners of one type, asked again only after a subscription changed. */
export class ListenerWatch {
  readonly #hub: EventHub<Record<string, unknown>>;
  readonly #type: string;
  #asOf = -1;
  #active = false;

  constructor(hub: EventHub<Record<string, unknown>>, type: string) {
    this.#hub = hub;
    this.#type = type;
  }

  get active(): boolean {
    const changes = this.#hub.changes;
    if (changes !== this.#asOf) {
      this.#active = this.#hub.has(this.#type);
      this.#asOf = changes;
    }
    return this.#active;
  }
}
