import type { AudioEncoding, AudioFormat } from './audio.js';
import type { CallWarning } from './language-model.js';
import type { BaseProvider, CallOptions } from './provider.js';

export interface SpeechRequest {
  text: string;
  /** Vendor voice id; falls back to the provider's configured voice. */
  voice?: string | undefined;
  model?: string | undefined;
  /** Defaults to the provider's configured format. */
  format?: AudioFormat | undefined;
  /** 1 is normal speed. */
  speed?: number | undefined;
  /** BCP-47 language tag. */
  language?: string | undefined;
  providerOptions?: Record<string, Record<string, unknown>> | undefined;
}

export interface SpeechResult {
  audio: Uint8Array;
  format: AudioFormat;
  /** Characters billed: the request text's length in UTF-16 code units as vendors count them. */
  characters: number;
  /** Seconds of audio, when known. */
  durationSeconds?: number | undefined;
  provider: string;
  vendor: string;
  model: string;
  voice: string;
  warnings: CallWarning[];
}

export interface SpeechStreamResult {
  /** Audio bytes as the vendor produces them; nothing is buffered. */
  stream: AsyncIterable<Uint8Array>;
  format: AudioFormat;
  characters: number;
  provider: string;
  vendor: string;
  model: string;
  voice: string;
  warnings: CallWarning[];
}

/**
 * Options of `streamText()`: the speech request's settings (everything but the text, which streams in) and
 * the call options, in one object.
 */
export interface SpeechTextStreamOptions extends Omit<SpeechRequest, 'text'>, CallOptions {}

/**
 * The result of `streamText()`. `characters` grows while the text streams in: it is the number of characters
 * (UTF-16 code units) sent to the vendor so far, and is final once `stream` has ended.
 */
export interface SpeechTextStreamResult extends SpeechStreamResult {
  readonly characters: number;
}

export interface Voice {
  id: string;
  name: string;
  language?: string | undefined;
  gender?: string | undefined;
  previewUrl?: string | undefined;
}

export interface SpeechSynthesizerCapabilities {
  streaming: boolean;
  /** Encodings the vendor can produce and the sample rates each supports (empty: the vendor's fixed rate). */
  formats: ReadonlyArray<{ encoding: AudioEncoding; sampleRates: readonly number[] }>;
  listVoices: boolean;
  languages?: readonly string[] | undefined;
}

export interface SpeechSynthesizer extends BaseProvider {
  readonly kind: 'tts';
  readonly capabilities: SpeechSynthesizerCapabilities;
  synthesize(request: SpeechRequest, options?: CallOptions): Promise<SpeechResult>;
  /** Resolves once the first audio chunk is ready, so failover can happen until then. */
  stream(request: SpeechRequest, options?: CallOptions): Promise<SpeechStreamResult>;
  /**
   * Speaks text that arrives in pieces (an LLM's text deltas). Resolves once the first audio chunk is ready,
   * like `stream()`; the text iterable is read while audio plays, and stopping the audio (or the signal) stops
   * reading it. Optional in the contract, so that a custom provider written against the spec alone still
   * compiles; every adapter built on the kind's skeleton (`SpeechSynthesizerAdapter`) has it (over the vendor's
   * streaming-input interface, or a sentence chunker over its request API), and so does every route, which
   * serves it with the members that have it.
   */
  streamText?(text: AsyncIterable<string>, options?: SpeechTextStreamOptions): Promise<SpeechTextStreamResult>;
  listVoices?(options?: CallOptions): Promise<Voice[]>;
}
