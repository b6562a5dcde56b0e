/** Where a reported failure of user code (or of the machinery around it) came from. */
export type PatchbayErrorSource =
  /** A `patchbay.on(...)` listener threw. */
  | 'listener'
  /** A usage sink threw or its promise rejected. */
  | 'usage-sink'
  /** A usage sink's queue was full: records were dropped (counted in `dropped`). */
  | 'usage-queue-overflow'
  /** `close()` or `flush()` gave up waiting for usage sinks to drain. */
  | 'usage-drain-timeout'
  /** An audit sink threw or its promise rejected. */
  | 'audit-sink'
  /** An audit sink had too many records in flight (it hangs or is slow): the record was dropped. */
  | 'audit-queue-overflow'
  /** The limit store threw or rejected: the call went ahead without that limit (fail open). */
  | 'limit-store';

/** One report on the error channel: the `error` event and the `onError` option receive it. */
export interface PatchbayErrorEvent {
  source: PatchbayErrorSource;
  /** What was thrown or rejected (may be anything user code throws). */
  error: unknown;
  /** For `listener`: the event type whose listener threw. */
  eventType?: string | undefined;
  /** For usage and audit sink reports: the sink's position in `usageSinks` or `audit.sinks`. */
  sink?: number | undefined;
  /** For `usage-queue-overflow`, `usage-drain-timeout` and `audit-queue-overflow`: records dropped or left undelivered. */
  dropped?: number | undefined;
}

export type PatchbayErrorHandler = (event: PatchbayErrorEvent) => void;

/**
 * The one channel on which failures of user code are reported: the `onError`
 * option and every `error` listener. A handler that throws is ignored (never
 * reported again, so reporting cannot loop). With nobody listening, each source
 * is announced once as a process warning so a failure is not invisible.
 */
export class ErrorChannel {
  readonly #onError: PatchbayErrorHandler | undefined;
  readonly #listeners = new Set<PatchbayErrorHandler>();
  readonly #warned = new Set<PatchbayErrorSource>();

  constructor(onError?: PatchbayErrorHandler | undefined) {
    this.#onError = onError;
  }

  on(listener: PatchbayErrorHandler): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  report(event: PatchbayErrorEvent): void {
    if (!this.#onError && this.#listeners.size === 0) {
      if (!this.#warned.has(event.source)) {
        this.#warned.add(event.source);
        process.emitWarning(
          `Patchbay: ${event.source} failed (further reports of this source are silent without an error listener; pass onError or subscribe to 'error')`,
          { code: 'PATCHBAY_USER_CODE_FAILED' },
        );
      }
      return;
    }
    for (const handler of [this.#onError, ...this.#listeners]) {
      if (!handler) continue;
      try {
        handler(event);
      } catch {
        // A failing error handler is not reported again: that is how reporting would loop.
      }
    }
  }
}
