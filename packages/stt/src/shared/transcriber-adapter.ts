import type {
  CallOptions,
  LiveTranscriptionRequest,
  LiveTranscriptionSession,
  PatchbayError,
  Transcriber,
  TranscriberCapabilities,
  TranscriptionRequest,
  TranscriptionResult,
} from '@patchbay/core';
import { AbstractProvider, type ResolvedCredentials, validateTranscriptionRequest } from '@patchbay/core/adapter';
import { type VendorCall, type VendorCaller, type VendorErrorContext, vendorCaller } from './vendor-call.js';

/** What `doTranscribe` works with: one settings snapshot, the caller's signal, and the vendor call's fetch and credentials. */
export interface TranscribeContext<S, C> {
  settings: S;
  signal: AbortSignal | undefined;
  options: CallOptions;
  /** Core's `fernFetch` for the SDK and the call's credentials, resolved on first ask (then scrubbed from errors). */
  call: VendorCall<C>;
}

/** What `doOpenLive` works with. */
export interface OpenLiveContext<S> {
  settings: S;
  signal: AbortSignal | undefined;
  options: CallOptions;
}

/**
 * The skeleton of every transcriber (and of a custom one): one settings
 * snapshot per call, credentials resolved per call, the caller's abort checked
 * first, a fetch for Fern-generated SDKs that never leaves a timer behind, and
 * every failure mapped by the adapter's `mapError` with the transport failure
 * and the key it must not echo. An adapter implements `doTranscribe`,
 * `mapError` and `checkConnection`; a live-capable one also `doOpenLive` and a
 * `transcribeLive` that calls `openLive` (the method stays absent on adapters
 * without live sessions, which is how routing tells them apart).
 */
export abstract class TranscriberAdapter<S extends Record<string, unknown>, C extends { apiKey: string }>
  extends AbstractProvider<S, C>
  implements Transcriber
{
  readonly kind = 'stt' as const;
  abstract readonly capabilities: TranscriberCapabilities;
  readonly #call: VendorCaller<C> = vendorCaller<C>(
    { provider: this.id, fetch: this.runtime.fetch },
    (error, context) => this.mapError(error, context),
  );

  /** Maps any failure (SDK error, transport failure, abort) to a PatchbayError; the context names the secrets to keep out. */
  protected abstract mapError(error: unknown, context: VendorErrorContext): PatchbayError;

  /** Transcribes one validated request of recorded audio. */
  protected abstract doTranscribe(
    request: TranscriptionRequest,
    context: TranscribeContext<S, C>,
  ): Promise<TranscriptionResult>;

  /** Opens a live session; only adapters with `capabilities.live` implement it. */
  protected doOpenLive(
    _request: LiveTranscriptionRequest,
    _context: OpenLiveContext<S>,
  ): Promise<LiveTranscriptionSession> {
    throw new Error(`${this.constructor.name} has no live sessions`);
  }

  async transcribe(request: TranscriptionRequest, options: CallOptions = {}): Promise<TranscriptionResult> {
    const settings = this.settings;
    const signal = options.signal;
    const valid = this.validate(request);
    return this.#call(
      signal,
      () => this.resolveCredentials(settings, options),
      async (call) => {
        signal?.throwIfAborted();
        return this.doTranscribe(valid, { settings, signal, options, call });
      },
    );
  }

  /** For a live-capable adapter's `transcribeLive`: one settings snapshot, the abort checked first. */
  protected openLive(request: LiveTranscriptionRequest, options: CallOptions = {}): Promise<LiveTranscriptionSession> {
    return this.doOpenLive(request, { settings: this.settings, signal: options.signal, options });
  }

  /** Runs another vendor call (the connection check) with the same error mapping. */
  protected vendorCall<T>(
    signal: AbortSignal | undefined,
    credentials: () => Promise<ResolvedCredentials<C>>,
    body: (call: VendorCall<C>) => Promise<T>,
  ): Promise<T> {
    return this.#call(signal, credentials, body);
  }

  /**
   * The one place the kind's request validator runs, before anything else.
   */
  private validate(request: TranscriptionRequest): TranscriptionRequest {
    validateTranscriptionRequest(request);
    return request;
  }
}
