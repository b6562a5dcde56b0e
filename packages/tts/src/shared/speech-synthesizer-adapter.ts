import type {
  AudioFormat,
  CallOptions,
  CallWarning,
  SpeechRequest,
  SpeechResult,
  SpeechStreamResult,
  SpeechSynthesizer,
  SpeechSynthesizerCapabilities,
  SpeechTextStreamOptions,
  SpeechTextStreamResult,
} from '@patchbay/core';
import {
  AbstractProvider,
  PatchbayError,
  type ResolvedCredentials,
  releaseOnEarlyReturn,
  scrubError,
  transportFailureOf,
  validateSpeechRequest,
} from '@patchbay/core/adapter';
import { audioDurationSeconds, resolveFormat, type VendorFormatTable } from '../audio-format.js';
import { collectAudio, openAudioStream, type VendorAudioResponse } from '../audio-stream.js';
import { chunkTextStream, defaultTextChunking, type TextChunkingOptions } from '../text-chunker.js';
import { TextSource } from './text-source.js';

/** Settings every speech adapter has, whatever its vendor. */
export interface SpeechSettingsBase extends Record<string, unknown> {
  voice: string;
  format: AudioFormat;
}

/** A settings snapshot with the credentials resolved for it, for one vendor call. */
export interface VendorCallContext<S, C> {
  settings: S;
  credentials: ResolvedCredentials<C>;
  signal: AbortSignal | undefined;
}

/** One vendor request, fully resolved from the caller's request and a settings snapshot. */
export interface AudioCall<S, C> {
  settings: S;
  credentials: ResolvedCredentials<C>;
  text: string;
  voice: string;
  model: string;
  /** Exactly what the vendor is asked to produce (sample rate filled in). */
  format: AudioFormat & { sampleRate: number | undefined };
  speed: number | undefined;
  language: string | undefined;
  /** `providerOptions[vendor]` of the request. */
  vendorOptions: Record<string, unknown>;
  /** True for `stream()`: vendors with a separate streaming endpoint use it. */
  streaming: boolean;
  signal: AbortSignal | undefined;
  /** Adapters push a warning for each request field their vendor ignores. */
  warnings: CallWarning[];
}

/**
 * One `streamText()` vendor call: an `AudioCall` whose text arrives in pieces. This is what `doStreamText`
 * receives.
 */
export interface TextStreamCall<S, C> extends Omit<AudioCall<S, C>, 'text' | 'streaming'> {
  /**
   * The caller's text as it arrives, read once. Each read already races the caller's signal; a failure of the
   * caller's iterable reaches the caller as it was thrown, whatever the hook makes of it.
   */
  text: AsyncIterable<string>;
  /**
   * Reports characters (UTF-16 code units) the vendor has produced audio for, or at least received on a
   * connection that is producing audio: they are what `characters` of the result counts and what a route
   * meters. Call it as text is sent, once the vendor has answered with audio.
   */
  sent(characters: number): void;
}

/** Ends an opened audio stream nobody will read: reading once runs its cleanup (cancels the vendor body). */
async function release(opened: { audio: AsyncIterable<Uint8Array> } | undefined): Promise<void> {
  if (!opened) return;
  try {
    for await (const _chunk of opened.audio) break;
  } catch {
    // Already failed: nothing left to release.
  }
}

/** What `mapError` is told about the call that failed. */
export interface SpeechErrorContext {
  signal: AbortSignal | undefined;
  /** The call's credential values: never to appear in an error. */
  secrets: readonly (string | undefined)[];
}

/**
 * The skeleton of every speech adapter (and of a custom one): validates the
 * request, resolves format, voice and credentials per call from one settings
 * snapshot, opens the vendor's audio body (abort wired to the caller's signal)
 * and turns every failure into a PatchbayError attributed to this provider and
 * scrubbed of the call's secrets. An adapter implements `doSynthesize` (and
 * `doStream` when its vendor has a separate streaming endpoint), `mapError`,
 * `modelFor` and `checkConnection`.
 */
export abstract class SpeechSynthesizerAdapter<
    S extends SpeechSettingsBase,
    C extends Record<string, string | undefined>,
  >
  extends AbstractProvider<S, C>
  implements SpeechSynthesizer
{
  readonly kind = 'tts' as const;
  abstract readonly capabilities: SpeechSynthesizerCapabilities;
  protected abstract readonly formats: VendorFormatTable;

  /** Makes the vendor request and returns its response once headers arrived. */
  protected abstract doSynthesize(call: AudioCall<S, C>): Promise<VendorAudioResponse>;

  /** The request for `stream()`; by default `doSynthesize` (which sees `call.streaming`). */
  protected doStream(call: AudioCall<S, C>): Promise<VendorAudioResponse> {
    return this.doSynthesize(call);
  }

  /** How the default `doStreamText` cuts streamed text into requests (see `text-chunker.ts`). */
  protected get textChunking(): TextChunkingOptions {
    return defaultTextChunking;
  }

  /**
   * The audio for `streamText()`: an async iterable the base reads once its first chunk is ready (that is when
   * `streamText()` resolves), then hands to the caller; stopping early calls its `return()`, which must close
   * the vendor connection. Errors thrown before the first chunk go through `mapError` and fail over in a route;
   * after it they reach the caller as `stream_cut` (the vendor's error its `cause`), whatever their code.
   *
   * The default serves vendors without a streaming-input interface: the text is cut by the chunker (sentence
   * and clause punctuation, maximum length, maximum wait — `textChunking`) and each piece is one `doStream`
   * request; the next piece's request is made while the current piece's audio plays (one ahead), and the
   * audio is handed out in order.
   * Vendors with a streaming-input interface (a websocket taking text as it comes) override it.
   */
  protected doStreamText(call: TextStreamCall<S, C>): AsyncIterable<Uint8Array> {
    return this.#chunkedStreamText(call);
  }

  async *#chunkedStreamText(call: TextStreamCall<S, C>): AsyncGenerator<Uint8Array> {
    const context = { provider: this.id, vendor: this.vendor, signal: call.signal };
    const pieces = chunkTextStream(call.text, this.textChunking);
    type Opened = { piece: string; audio: AsyncIterable<Uint8Array> } | undefined;
    // The next piece is read and its request made while the current piece's audio plays (one ahead), so the
    // vendor's time to first byte does not become silence between sentences.
    const openNext = (): Promise<Opened> => {
      const pending = (async (): Promise<Opened> => {
        const next = await pieces.next();
        if (next.done) return undefined;
        const response = await this.doStream({ ...call, text: next.value, streaming: true });
        return { piece: next.value, audio: await openAudioStream(response, context) };
      })();
      pending.catch(() => {});
      return pending;
    };
    let ahead: Promise<Opened> | undefined = openNext();
    try {
      while (ahead) {
        const opened = await ahead;
        ahead = undefined;
        if (!opened) return;
        call.sent(opened.piece.length);
        ahead = openNext();
        yield* opened.audio;
      }
    } finally {
      // Stopped early: release a request already made for the next piece, and stop reading the text.
      if (ahead) void ahead.then(release, () => {});
      void pieces.return(undefined).catch(() => {});
    }
  }

  /** The vendor's model for this request (some vendors name voice and model in one id). */
  protected abstract modelFor(request: SpeechRequest, settings: S, voice: string): string;

  /** The voice for this request: the request's, else the configured one. */
  protected voiceFor(request: SpeechRequest, settings: S): string {
    return request.voice ?? settings.voice;
  }

  /** Maps an SDK error to a PatchbayError; undefined leaves it to the generic normaliser (aborts, sockets). */
  protected abstract mapError(error: unknown, context: SpeechErrorContext): PatchbayError | undefined;

  /**
   * Any failure, as a PatchbayError attributed to this provider and scrubbed of
   * the call's secrets. Caller aborts win over everything.
   */
  protected fail(
    caught: unknown,
    signal: AbortSignal | undefined,
    secrets: readonly (string | undefined)[] = [],
  ): PatchbayError {
    // A Fern SDK reports a transport failure as the synthetic answer of core's `fernFetch`: map the real one.
    const error = transportFailureOf(caught) ?? caught;
    if (PatchbayError.isInstance(error) || signal?.aborted) return scrubError(this.toError(error, signal), secrets);
    const mapped = this.mapError(error, { signal, secrets })?.withProvider(this.id, this.vendor);
    return scrubError(mapped ?? this.toError(error, signal), secrets);
  }

  /**
   * The one place the kind's request validator runs, before anything else.
   */
  private validate(request: SpeechRequest): SpeechRequest {
    validateSpeechRequest(request);
    return request;
  }

  async synthesize(request: SpeechRequest, options: CallOptions = {}): Promise<SpeechResult> {
    const { call, stream } = await this.open(request, options, false);
    let audio: Uint8Array;
    try {
      audio = await collectAudio(stream);
    } catch (caught) {
      throw this.fail(caught, options.signal, Object.values(call.credentials.values));
    }
    return {
      audio,
      format: call.format,
      characters: call.text.length,
      durationSeconds: audioDurationSeconds(call.format, audio),
      provider: this.id,
      vendor: this.vendor,
      model: call.model,
      voice: call.voice,
      warnings: call.warnings,
    };
  }

  async stream(request: SpeechRequest, options: CallOptions = {}): Promise<SpeechStreamResult> {
    const { call, stream } = await this.open(request, options, true);
    return {
      stream,
      format: call.format,
      characters: call.text.length,
      provider: this.id,
      vendor: this.vendor,
      model: call.model,
      voice: call.voice,
      warnings: call.warnings,
    };
  }

  /**
   * Speaks text as it arrives (see `SpeechSynthesizer.streamText`): resolves once the first audio chunk is
   * ready; `characters` counts what was sent to the vendor and grows while the audio plays.
   */
  async streamText(
    text: AsyncIterable<string>,
    options: SpeechTextStreamOptions = {},
  ): Promise<SpeechTextStreamResult> {
    const { signal, tenant, correlationId, ...settings } = options;
    const callOptions: CallOptions = { signal, tenant, correlationId };
    let secrets: (string | undefined)[] = [];
    const source = new TextSource(text, signal);
    let characters = 0;
    let call: TextStreamCall<S, C>;
    let iterator: AsyncIterator<Uint8Array>;
    let first: IteratorResult<Uint8Array>;
    try {
      signal?.throwIfAborted();
      if (text === null || typeof (text as Partial<AsyncIterable<string>>)[Symbol.asyncIterator] !== 'function') {
        throw new PatchbayError({
          code: 'invalid_request',
          message: 'streamText needs an async iterable of text',
          details: { field: 'text', issues: [{ path: 'text', message: 'must be an async iterable of strings' }] },
        });
      }
      // The request's other fields are checked like a speech request's (the text itself arrives later).
      const {
        text: _placeholder,
        streaming: _streaming,
        ...audioCall
      } = await this.#prepare(this.validate({ ...settings, text: 'streamed text' }), callOptions, true);
      secrets = Object.values(audioCall.credentials.values);
      call = {
        ...audioCall,
        text: source,
        sent: (count) => {
          characters += count;
        },
      };
      iterator = this.doStreamText(call)[Symbol.asyncIterator]();
      first = await iterator.next();
    } catch (caught) {
      if (source.failure) throw source.failure.error;
      throw this.fail(caught, signal, secrets);
    }
    if (first.done) {
      throw new PatchbayError({
        code: source.hasText ? 'unavailable' : 'invalid_request',
        message: source.hasText
          ? `${this.vendor} sent no audio for the streamed text`
          : 'The text stream held no text to speak',
        provider: this.id,
        vendor: this.vendor,
        ...(source.hasText ? {} : { details: { field: 'text', issues: [{ path: 'text', message: 'no text' }] } }),
      });
    }
    // The first chunk was read: ended before its first `next()`, the relay's `finally` would not run, so the
    // vendor side (socket or request) and the text source are closed here.
    const stream = releaseOnEarlyReturn(this.#relayText(first.value, iterator, source, signal, secrets), () =>
      iterator.return?.()?.catch?.(() => {}),
    );
    return {
      stream,
      format: call.format,
      get characters() {
        return characters;
      },
      provider: this.id,
      vendor: this.vendor,
      model: call.model,
      voice: call.voice,
      warnings: call.warnings,
    };
  }

  async *#relayText(
    first: Uint8Array,
    iterator: AsyncIterator<Uint8Array>,
    source: TextSource,
    signal: AbortSignal | undefined,
    secrets: readonly (string | undefined)[],
  ): AsyncGenerator<Uint8Array> {
    let finished = false;
    let bytes = first.length;
    try {
      yield first;
      while (true) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await iterator.next();
        } catch (caught) {
          finished = true;
          if (source.failure) throw source.failure.error;
          const error = this.fail(caught, signal, secrets);
          // Audio has been handed out: any vendor failure now is a cut, its own error kept as the cause (as a
          // route does). The caller's abort (`aborted`, or `timeout` for a TimeoutError reason) and a piece of
          // text that was not a string are the caller's, and reach it as they are.
          if (['stream_cut', 'aborted'].includes(error.code) || signal?.aborted || source.rejected) throw error;
          throw new PatchbayError({
            code: 'stream_cut',
            message: `Audio from ${this.vendor} broke off after ${bytes} bytes (${error.code})`,
            provider: this.id,
            vendor: this.vendor,
            cause: error,
          });
        }
        if (next.done) {
          finished = true;
          return;
        }
        bytes += next.value.length;
        if (next.value.length) yield next.value;
      }
    } finally {
      // The consumer stopped early: close the vendor side (its socket or request) and the text source.
      if (!finished) await iterator.return?.()?.catch?.(() => {});
    }
  }

  async #prepare(request: SpeechRequest, options: CallOptions, streaming: boolean): Promise<AudioCall<S, C>> {
    const settings = this.settings;
    if (typeof request.text !== 'string' || request.text.trim() === '') {
      throw new PatchbayError({
        code: 'invalid_request',
        message: 'Speech request needs non-empty text',
        provider: this.id,
        vendor: this.vendor,
        details: { field: 'text', issues: [{ path: 'text', message: 'must be a non-empty string' }] },
      });
    }
    // Format problems are the caller's: report them before touching credentials or the network.
    const format = resolveFormat(request.format ?? settings.format, this.formats, {
      provider: this.id,
      vendor: this.vendor,
    });
    const voice = this.voiceFor(request, settings);
    const credentials = await this.resolveCredentials(settings, options);
    const vendorOptions = request.providerOptions?.[this.vendor] ?? {};
    return {
      settings,
      credentials,
      text: request.text,
      voice,
      model: this.modelFor(request, settings, voice),
      format,
      speed: request.speed,
      language: request.language,
      vendorOptions,
      streaming,
      signal: options.signal,
      warnings: [],
    };
  }

  protected async open(
    request: SpeechRequest,
    options: CallOptions,
    streaming: boolean,
  ): Promise<{ call: AudioCall<S, C>; stream: AsyncIterable<Uint8Array> }> {
    const signal = options.signal;
    let secrets: (string | undefined)[] = [];
    try {
      signal?.throwIfAborted();
      const call = await this.#prepare(this.validate(request), options, streaming);
      secrets = Object.values(call.credentials.values);
      const response = await (streaming ? this.doStream(call) : this.doSynthesize(call));
      const stream = await openAudioStream(response, { provider: this.id, vendor: this.vendor, signal });
      return { call, stream };
    } catch (caught) {
      throw this.fail(caught, signal, secrets);
    }
  }

  /** Runs one non-audio vendor call (voices) with this adapter's error mapping. */
  protected async run<T>(options: CallOptions, body: (context: VendorCallContext<S, C>) => Promise<T>): Promise<T> {
    const settings = this.settings;
    let secrets: (string | undefined)[] = [];
    try {
      options.signal?.throwIfAborted();
      const credentials = await this.resolveCredentials(settings, options);
      secrets = Object.values(credentials.values);
      return await body({ settings, credentials, signal: options.signal });
    } catch (caught) {
      throw this.fail(caught, options.signal, secrets);
    }
  }

  /** Runs a vendor call (such as `checkConnection`'s) with every failure turned into this adapter's PatchbayError. */
  protected async mapFailures<T>(
    context: { signal: AbortSignal | undefined; credentials?: ResolvedCredentials<C> | undefined },
    body: () => Promise<T>,
  ): Promise<T> {
    try {
      return await body();
    } catch (caught) {
      throw this.fail(caught, context.signal, Object.values(context.credentials?.values ?? {}));
    }
  }
}
