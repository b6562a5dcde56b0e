import type {
  CallOptions,
  LiveTranscriptionEvent,
  LiveTranscriptionRequest,
  LiveTranscriptionSession,
  Transcriber,
  TranscriberCapabilities,
  TranscriptionRequest,
  TranscriptionResult,
} from '@patchbay/core';
import {
  AbstractProvider,
  PatchbayError,
  type ResolvedCredentials,
  scrubError,
  validateTranscriptionRequest,
} from '@patchbay/core/adapter';
import { secretsOf, type VendorCall, type VendorCaller, type VendorErrorContext, vendorCaller } from './vendor-call.js';

/** What `doTranscribe` works with: one settings snapshot, the caller's signal, and the vendor call's fetch and credentials. */
export interface TranscribeContext<S, C> {
  settings: S;
  signal: AbortSignal | undefined;
  options: CallOptions;
  /** Core's `fernFetch` for the SDK and the call's credentials, resolved on first ask (then scrubbed from errors). */
  call: VendorCall<C>;
}

/** What `doOpenLive` works with. */
export interface OpenLiveContext<S, C = { apiKey: string }> {
  settings: S;
  signal: AbortSignal | undefined;
  options: CallOptions;
  /**
   * Core's `fernFetch` and the call's credentials, resolved on first ask: resolve them here (not with
   * `resolveCredentials`), so the skeleton knows the values to scrub from the session's errors.
   */
  call: VendorCall<C>;
}

/**
 * The skeleton of every transcriber (and of a custom one): one settings
 * snapshot per call, credentials resolved per call, the caller's abort checked
 * first, a fetch for Fern-generated SDKs that never leaves a timer behind, and
 * every failure mapped by the adapter's `mapError` with the transport failure
 * and the values it must not echo, then scrubbed of the call's credential values
 * (a live session's failures too). An adapter implements `doTranscribe`,
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
    _context: OpenLiveContext<S, C>,
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

  /**
   * For a live-capable adapter's `transcribeLive`: one settings snapshot, the abort checked first, every failure
   * (opening, `send`, `finish`, the events) mapped and scrubbed of the call's credential values.
   */
  protected openLive(request: LiveTranscriptionRequest, options: CallOptions = {}): Promise<LiveTranscriptionSession> {
    const settings = this.settings;
    const signal = options.signal;
    return this.#call(
      signal,
      () => this.resolveCredentials(settings, options),
      async (call) => {
        const session = await this.doOpenLive(request, { settings, signal, options, call });
        const secrets = secretsOf(await call.credentials());
        return new ScrubbedLiveSession(session, (error) =>
          scrubError(
            PatchbayError.isInstance(error) ? error : this.mapError(error, { provider: this.id, signal, secrets }),
            secrets,
          ),
        );
      },
    );
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

/** A live session whose every failure goes through `fail` (the skeleton's mapping and scrub). */
class ScrubbedLiveSession implements LiveTranscriptionSession {
  readonly #session: LiveTranscriptionSession;
  readonly #fail: (error: unknown) => PatchbayError;
  readonly events: AsyncIterable<LiveTranscriptionEvent>;

  constructor(session: LiveTranscriptionSession, fail: (error: unknown) => PatchbayError) {
    this.#session = session;
    this.#fail = fail;
    this.events = {
      [Symbol.asyncIterator]: () => {
        const iterator = session.events[Symbol.asyncIterator]();
        const rethrow = (error: unknown): never => {
          throw fail(error);
        };
        return {
          next: () => iterator.next().catch(rethrow),
          return: (value?: unknown) =>
            iterator.return ? iterator.return(value).catch(rethrow) : Promise.resolve({ value, done: true as const }),
        };
      },
    };
  }

  get provider(): string {
    return this.#session.provider;
  }

  get vendor(): string {
    return this.#session.vendor;
  }

  get model(): string {
    return this.#session.model;
  }

  get audioSeconds(): number {
    return this.#session.audioSeconds;
  }

  send(chunk: Uint8Array): void {
    try {
      this.#session.send(chunk);
    } catch (error) {
      throw this.#fail(error);
    }
  }

  finish(): Promise<void> {
    try {
      return this.#session.finish().catch((error: unknown) => {
        throw this.#fail(error);
      });
    } catch (error) {
      return Promise.reject(this.#fail(error));
    }
  }

  close(): void {
    this.#session.close();
  }
}
