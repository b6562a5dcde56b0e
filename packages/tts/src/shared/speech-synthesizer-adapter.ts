import {
  type AudioFormat,
  type CallOptions,
  type CallWarning,
  PatchbayError,
  type SpeechRequest,
  type SpeechResult,
  type SpeechStreamResult,
  type SpeechSynthesizer,
  type SpeechSynthesizerCapabilities,
} from '@patchbay/core';
import {
  AbstractProvider,
  type ResolvedCredentials,
  scrubError,
  transportFailureOf,
  validateSpeechRequest,
} from '@patchbay/core/adapter';
import { audioDurationSeconds, resolveFormat, type VendorFormatTable } from '../audio-format.js';
import { collectAudio, openAudioStream, type VendorAudioResponse } from '../audio-stream.js';

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
