import type { ErrorCode } from '../errors/error-codes.js';
import type { AudioEncoding, AudioSource } from './audio.js';
import type { CallWarning } from './language-model.js';
import type { BaseProvider, CallOptions } from './provider.js';

export interface TranscriptionRequest {
  audio: AudioSource;
  /** e.g. `audio/wav`; required for raw bytes of most vendors. */
  mimeType?: string | undefined;
  /** BCP-47 tag, or `auto` to detect. */
  language?: string | undefined;
  model?: string | undefined;
  punctuate?: boolean | undefined;
  diarize?: boolean | undefined;
  /** Words to boost (names, products). */
  keywords?: string[] | undefined;
  providerOptions?: Record<string, Record<string, unknown>> | undefined;
}

export interface TranscriptionWord {
  word: string;
  start: number;
  end: number;
  confidence?: number | undefined;
  speaker?: number | undefined;
}

export interface TranscriptionResult {
  text: string;
  words: TranscriptionWord[];
  language?: string | undefined;
  /** Seconds of audio processed: the billing quantity. */
  durationSeconds: number;
  confidence?: number | undefined;
  provider: string;
  vendor: string;
  model: string;
  warnings: CallWarning[];
}

export interface LiveTranscriptionRequest {
  encoding: AudioEncoding;
  sampleRate: number;
  channels?: number | undefined;
  language?: string | undefined;
  model?: string | undefined;
  punctuate?: boolean | undefined;
  diarize?: boolean | undefined;
  keywords?: string[] | undefined;
  interimResults?: boolean | undefined;
  /** How a routed session survives the loss of its vendor; single providers ignore it. */
  failover?: LiveFailoverOptions | undefined;
  providerOptions?: Record<string, Record<string, unknown>> | undefined;
}

/**
 * A routed live session keeps the audio sent since the last final transcript so that another member can
 * transcribe it again after a failover. Only raw encodings (`pcm_s16le`, `mulaw`, `alaw`) are replayed: their
 * bytes map to seconds, and they can be cut anywhere.
 */
export interface LiveFailoverOptions {
  /** Most seconds of audio kept for replay (default 30); older audio without a final transcript is lost on failover. */
  replaySeconds?: number | undefined;
  /**
   * Milliseconds the vendor may stay silent (no result, no event) while audio is being sent before the session
   * counts as lost (default 10 000; 0 turns the watchdog off).
   */
  silenceTimeoutMs?: number | undefined;
  /** False: a lost vendor ends the session with `stream_cut`, as a single provider does (default true). */
  enabled?: boolean | undefined;
}

/** A routed live session moved to another member; results after it come from `to`, on the same timeline. */
export interface LiveTranscriptionFailover {
  type: 'failover';
  /** The member that was lost. */
  from: string;
  /** The member that took over. */
  to: string;
  /** Why `from` was lost: `stream_cut` (reset, abnormal close), `timeout` (vendor silence), or its refusal's code. */
  errorCode: ErrorCode;
  /** Seconds on the session's timeline where the replay starts: `to`'s results are shifted by this much. */
  at: number;
  /** Seconds of audio sent to `to` again, that `from` had already been sent. */
  secondsReplayed: number;
  /**
   * Seconds of audio without a final transcript that fell out of the bounded replay buffer before the failover:
   * no member transcribes them.
   */
  secondsLost: number;
}

export type LiveTranscriptionEvent =
  | {
      type: 'transcript';
      /** false for an interim hypothesis that a later event replaces. */
      isFinal: boolean;
      text: string;
      words: TranscriptionWord[];
      start: number;
      duration: number;
      confidence?: number | undefined;
    }
  | { type: 'speech-started'; timestamp: number }
  | { type: 'utterance-end'; lastWordEnd: number }
  | LiveTranscriptionFailover;

/** A duplex live session: push audio in, read results out. */
export interface LiveTranscriptionSession {
  readonly provider: string;
  readonly vendor: string;
  readonly model: string;
  send(chunk: Uint8Array): void;
  /** Signals the end of audio and resolves when the vendor has sent its last result. */
  finish(): Promise<void>;
  /** Ends at once, dropping pending results. */
  close(): void;
  /** Results as they arrive; ends after `finish()`, throws a PatchbayError if the session breaks. */
  readonly events: AsyncIterable<LiveTranscriptionEvent>;
  /** Seconds of audio sent so far (the billing quantity). */
  readonly audioSeconds: number;
}

export interface TranscriberCapabilities {
  /** Supports `transcribeLive()`; routing only picks such providers for live use. */
  live: boolean;
  /** Can fetch audio from a URL itself. */
  urlInput: boolean;
  diarization: boolean;
  /** Encodings accepted for live audio. */
  liveEncodings: readonly AudioEncoding[];
  languages?: readonly string[] | undefined;
}

export interface Transcriber extends BaseProvider {
  readonly kind: 'stt';
  readonly capabilities: TranscriberCapabilities;
  transcribe(request: TranscriptionRequest, options?: CallOptions): Promise<TranscriptionResult>;
  transcribeLive?(request: LiveTranscriptionRequest, options?: CallOptions): Promise<LiveTranscriptionSession>;
}
