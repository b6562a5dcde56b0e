import type {
  CallOptions,
  CallWarning,
  LanguageModel,
  LanguageModelCapabilities,
  LanguageModelRequest,
  LanguageModelResult,
  LanguageModelStreamPart,
  LanguageModelStreamResult,
} from '@patchbay/core';
import {
  AbstractProvider,
  PatchbayError,
  type ProviderInit,
  type ResolvedCredentials,
  releaseOnEarlyReturn,
  SignalRelay,
  scrubError,
  validateLanguageModelRequest,
} from '@patchbay/core/adapter';

/** What one call of an adapter works with: a settings snapshot and the credentials resolved for it. */
export interface CallContext<S, C> {
  settings: S;
  credentials: ResolvedCredentials<C>;
  signal: AbortSignal | undefined;
  /**
   * The same signal for SDKs built with `relayingFetch`: pass `relay.fetchOptions` as the request's
   * `fetchOptions` instead of `signal` (see `SignalRelay`). The adapter base releases it when the call ends.
   */
  relay: SignalRelay;
  /** The model this call uses (request override, else settings). */
  model: string;
  /** Append-only: settings the vendor cannot honour. */
  warnings: CallWarning[];
}

/** A generation result before the adapter adds who served it. */
export type VendorResult = Omit<LanguageModelResult, 'provider' | 'vendor' | 'warnings'>;

/**
 * Thrown by a vendor stream that ended without its terminal event: the
 * connection dropped between two complete events.
 */
export class StreamEndedEarly extends Error {
  constructor(what: string) {
    super(`The stream ended before ${what}`);
    this.name = 'StreamEndedEarly';
  }
}

/**
 * The skeleton of every language model adapter (and of a custom one): one settings snapshot per
 * call, credentials per call, every failure mapped to a PatchbayError and scrubbed of the call's
 * secret values (stream failures too), and streams that resolve on their first part and never end
 * short silently. Vendors implement the request mapping and their error table.
 */
export abstract class LanguageModelAdapter<
    S extends Record<string, unknown> & { model: string },
    C extends Record<string, string | undefined>,
  >
  extends AbstractProvider<S, C>
  implements LanguageModel
{
  readonly kind = 'llm' as const;
  abstract readonly capabilities: LanguageModelCapabilities;

  constructor(init: ProviderInit<S, C>) {
    super(init);
  }

  /** Maps a vendor/SDK failure to a PatchbayError (abort and socket failures included). */
  protected abstract mapError(
    error: unknown,
    context: { signal: AbortSignal | undefined; secrets: string[] },
  ): PatchbayError;

  protected abstract doGenerate(request: LanguageModelRequest, context: CallContext<S, C>): Promise<VendorResult>;

  /**
   * Sends the streaming request and resolves once the vendor accepted it. The
   * parts iterable throws `StreamEndedEarly` when the vendor's terminal event is missing.
   */
  protected abstract doStream(
    request: LanguageModelRequest,
    context: CallContext<S, C>,
  ): Promise<AsyncIterable<LanguageModelStreamPart>>;

  generate(request: LanguageModelRequest, options: CallOptions = {}): Promise<LanguageModelResult> {
    const settings = this.settings;
    const relay = SignalRelay.forCall(options);
    let credentials: ResolvedCredentials<C> | undefined;
    try {
      this.validate(request);
      // Credentials at hand need no await: the call is sent before this returns.
      credentials = this.credentialsAtHand(settings, options);
    } catch (error) {
      relay.release();
      return Promise.reject(this.#normalize(error, options.signal, []));
    }
    if (credentials === undefined) return this.#generateResolving(request, options, settings, relay);
    return this.#generate(request, options, settings, credentials, relay);
  }

  async #generateResolving(
    request: LanguageModelRequest,
    options: CallOptions,
    settings: S,
    relay: SignalRelay,
  ): Promise<LanguageModelResult> {
    let credentials: ResolvedCredentials<C>;
    try {
      credentials = await this.resolveCredentials(settings, options);
    } catch (error) {
      relay.release();
      throw this.#normalize(error, options.signal, []);
    }
    return this.#generate(request, options, settings, credentials, relay);
  }

  /**
   * The vendor call and its settling, as one promise step rather than an async function: a routed call's answer
   * passes through one frame fewer, and a waiting call keeps none here.
   */
  #generate(
    request: LanguageModelRequest,
    options: CallOptions,
    settings: S,
    credentials: ResolvedCredentials<C>,
    relay: SignalRelay,
  ): Promise<LanguageModelResult> {
    let pending: Promise<VendorResult>;
    let context: CallContext<S, C>;
    try {
      context = this.#context(request, settings, credentials, options, relay);
      pending = this.doGenerate(request, context);
    } catch (error) {
      relay.release();
      return Promise.reject(this.#normalize(error, options.signal, secretValues(credentials)));
    }
    // An adapter written in plain JavaScript may answer with a value rather than a promise, as `await` allowed.
    if (!(pending instanceof Promise)) pending = Promise.resolve(pending);
    return pending.then(
      (result) => {
        relay.release();
        return { ...result, provider: this.id, vendor: this.vendor, warnings: context.warnings };
      },
      (error: unknown) => {
        relay.release();
        // The secrets to scrub are looked up only when there is an error to scrub.
        throw this.#normalize(error, options.signal, secretValues(credentials));
      },
    );
  }

  async stream(request: LanguageModelRequest, options: CallOptions = {}): Promise<LanguageModelStreamResult> {
    const settings = this.settings;
    let secrets: string[] = [];
    let context: CallContext<S, C>;
    let iterator: AsyncIterator<LanguageModelStreamPart>;
    const relay = SignalRelay.forCall(options);
    try {
      this.validate(request);
      const credentials =
        this.credentialsAtHand(settings, options) ?? (await this.resolveCredentials(settings, options));
      context = this.#context(request, settings, credentials, options, relay);
      secrets = secretValues(credentials);
      iterator = (await this.doStream(request, context))[Symbol.asyncIterator]();
    } catch (error) {
      relay.release();
      throw this.#normalize(error, options.signal, secrets);
    }
    // Resolve only once the first part is ready, so a router can still fail over until then.
    let first: IteratorResult<LanguageModelStreamPart>;
    try {
      first = await iterator.next();
    } catch (error) {
      relay.release();
      throw this.#streamError(error, options.signal, secrets, false);
    }
    return {
      // The first part was read: ended before its first `next()`, the relay's `finally` would not run, so the
      // vendor connection is released here.
      stream: releaseOnEarlyReturn(this.#relay(first, iterator, options.signal, secrets, relay), async () => {
        try {
          await iterator.return?.()?.catch?.(() => {});
        } finally {
          relay.release();
        }
      }),
      provider: this.id,
      vendor: this.vendor,
      model: context.model,
      warnings: context.warnings,
    };
  }

  /**
   * Runs a vendor call made outside `generate`/`stream` (the connection check)
   * with the same error mapping, the resolved credentials scrubbed from the error.
   */
  protected async mapFailures<T>(
    context: { credentials: ResolvedCredentials<C>; signal: AbortSignal | undefined },
    call: () => Promise<T>,
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const secrets = secretValues(context.credentials);
      throw scrubError(this.mapError(error, { signal: context.signal, secrets }), secrets);
    }
  }

  async *#relay(
    first: IteratorResult<LanguageModelStreamPart>,
    iterator: AsyncIterator<LanguageModelStreamPart>,
    signal: AbortSignal | undefined,
    secrets: string[],
    signalRelay: SignalRelay,
  ): AsyncGenerator<LanguageModelStreamPart> {
    let finished = false;
    try {
      let next = first;
      while (!next.done) {
        yield next.value;
        try {
          next = await iterator.next();
        } catch (error) {
          throw this.#streamError(error, signal, secrets, true);
        }
      }
      finished = true;
    } finally {
      // The consumer stopped early: release the vendor connection.
      if (!finished) await iterator.return?.()?.catch?.(() => {});
      signalRelay.release();
    }
  }

  /**
   * The one place the kind's request validator runs, before credentials or the network.
   */
  private validate(request: LanguageModelRequest): LanguageModelRequest {
    validateLanguageModelRequest(request);
    return request;
  }

  #context(
    request: LanguageModelRequest,
    settings: S,
    credentials: ResolvedCredentials<C>,
    options: CallOptions,
    relay: SignalRelay,
  ): CallContext<S, C> {
    return {
      settings,
      credentials,
      signal: options.signal,
      relay,
      model: request.model ?? settings.model,
      warnings: [],
    };
  }

  /**
   * Any failure as a PatchbayError attributed to this provider, scrubbed of the call's secret values
   * (an adapter's own PatchbayError too: its message, details or cause may echo what the vendor was sent).
   */
  #normalize(error: unknown, signal: AbortSignal | undefined, secrets: string[]): PatchbayError {
    return scrubError(this.#map(error, signal, secrets), secrets);
  }

  #map(error: unknown, signal: AbortSignal | undefined, secrets: string[]): PatchbayError {
    if (PatchbayError.isInstance(error)) return error.provider ? error : error.withProvider(this.id, this.vendor);
    // Whatever the SDK threw on the way out, a caller's abort is an abort.
    if (signal?.aborted) return this.toError(error, signal);
    if (error instanceof StreamEndedEarly) {
      return new PatchbayError({ code: 'stream_cut', message: error.message, provider: this.id, vendor: this.vendor });
    }
    return this.mapError(error, { signal, secrets });
  }

  /**
   * A failure of a stream the vendor had accepted. A caller's abort stays
   * `aborted` (its `AbortSignal.timeout`, `timeout`); before any part, a vendor
   * error event or a timeout keeps its own code; anything else, and every vendor
   * error after a part (a vendor timeout included), is `stream_cut`, so a
   * shortened answer never passes as complete.
   */
  #streamError(error: unknown, signal: AbortSignal | undefined, secrets: string[], started: boolean): PatchbayError {
    const mapped = this.#normalize(error, signal, secrets);
    if (mapped.code === 'aborted' || mapped.code === 'stream_cut') return mapped;
    if (mapped.code === 'timeout' && signal?.aborted) return mapped;
    const vendorEvent = mapped.status !== undefined || mapped.vendorCode !== undefined;
    if (!started && (vendorEvent || mapped.code === 'timeout')) return mapped;
    return new PatchbayError({
      code: 'stream_cut',
      message: `Stream from provider "${this.id}" broke after it had started (${mapped.code}: ${mapped.message})`,
      provider: this.id,
      vendor: this.vendor,
      vendorCode: mapped.vendorCode,
      requestId: mapped.requestId,
      cause: mapped,
    });
  }
}

// Resolutions are reused while nothing changes (see CredentialResolver), so their secret lists are too.
const secretLists = new WeakMap<object, string[]>();

function secretValues(credentials: ResolvedCredentials<Record<string, string | undefined>>): string[] {
  let values = secretLists.get(credentials);
  if (!values) {
    values = Object.values(credentials.values).filter((value): value is string => typeof value === 'string');
    secretLists.set(credentials, values);
  }
  return values;
}
