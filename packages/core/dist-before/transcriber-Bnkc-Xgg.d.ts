import { B as BaseProvider, C as CallOptions } from './provider-BZKWBVCw.js';
import { E as ErrorCode } from './error-codes-Dl_-ZDZA.js';

type LanguageModelTextPart = {
    type: 'text';
    text: string;
};
type LanguageModelImagePart = {
    type: 'image';
    /** An https/data URL, or raw bytes with `mimeType`. */
    image: string | Uint8Array;
    mimeType?: string | undefined;
};
type LanguageModelToolCallPart = {
    type: 'tool-call';
    toolCallId: string;
    toolName: string;
    /** Parsed JSON arguments. */
    input: unknown;
};
type LanguageModelToolResultPart = {
    type: 'tool-result';
    toolCallId: string;
    toolName: string;
    /** JSON-serialisable result; strings are sent verbatim. */
    output: unknown;
    isError?: boolean | undefined;
};
type LanguageModelMessage = {
    role: 'system';
    content: string;
} | {
    role: 'user';
    content: string | Array<LanguageModelTextPart | LanguageModelImagePart>;
} | {
    role: 'assistant';
    content: string | Array<LanguageModelTextPart | LanguageModelToolCallPart>;
} | {
    role: 'tool';
    content: LanguageModelToolResultPart[];
};
/** JSON Schema (draft 2020-12 subset vendors accept). */
type JsonSchema = Record<string, unknown>;
interface LanguageModelTool {
    name: string;
    description?: string | undefined;
    /**
     * JSON Schema, or any object with a `toJSONSchema()`-able zod schema; adapters
     * receive JSON Schema only (the kind package converts zod before calling).
     */
    parameters: JsonSchema;
}
type LanguageModelToolChoice = 'auto' | 'none' | 'required' | {
    type: 'tool';
    toolName: string;
};
type LanguageModelResponseFormat = {
    type: 'text';
} | {
    type: 'json';
    schema?: JsonSchema | undefined;
    name?: string | undefined;
    description?: string | undefined;
};
interface LanguageModelRequest {
    messages: LanguageModelMessage[];
    /** Overrides the provider's configured model for this call. */
    model?: string | undefined;
    tools?: LanguageModelTool[] | undefined;
    toolChoice?: LanguageModelToolChoice | undefined;
    temperature?: number | undefined;
    topP?: number | undefined;
    maxOutputTokens?: number | undefined;
    stopSequences?: string[] | undefined;
    responseFormat?: LanguageModelResponseFormat | undefined;
    /** Vendor-specific options, keyed by vendor: `{ openai: { user: 'x' } }`. */
    providerOptions?: Record<string, Record<string, unknown>> | undefined;
}
type LanguageModelFinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';
interface LanguageModelUsage {
    /** All input tokens, cached ones included (metering bills the cached part separately). */
    inputTokens: number;
    outputTokens: number;
    /** Input tokens served from the vendor's prompt cache (billed lower). */
    cachedInputTokens: number;
}
interface LanguageModelToolCall {
    toolCallId: string;
    toolName: string;
    input: unknown;
}
/** A setting the vendor ignored or changed, instead of an error. */
interface CallWarning {
    type: 'unsupported-setting' | 'other';
    setting?: string | undefined;
    message: string;
}
interface LanguageModelResult {
    text: string;
    toolCalls: LanguageModelToolCall[];
    finishReason: LanguageModelFinishReason;
    usage: LanguageModelUsage;
    /** Provider id and model that actually served (after routing). */
    provider: string;
    vendor: string;
    model: string;
    warnings: CallWarning[];
    /** The vendor's response id. */
    responseId?: string | undefined;
}
type LanguageModelStreamPart = {
    type: 'text-delta';
    delta: string;
} | {
    type: 'tool-call-start';
    toolCallId: string;
    toolName: string;
} | {
    type: 'tool-call-delta';
    toolCallId: string;
    argumentsDelta: string;
} | {
    type: 'tool-call';
    toolCallId: string;
    toolName: string;
    input: unknown;
} | {
    type: 'usage';
    usage: LanguageModelUsage;
} | {
    type: 'finish';
    finishReason: LanguageModelFinishReason;
    usage: LanguageModelUsage;
};
interface LanguageModelStreamResult {
    /**
     * Parts in the order the vendor produced them, never buffered. Ends with a
     * `finish` part; a stream that breaks early throws a `stream_cut` PatchbayError.
     */
    stream: AsyncIterable<LanguageModelStreamPart>;
    provider: string;
    vendor: string;
    model: string;
    warnings: CallWarning[];
}
interface LanguageModelCapabilities {
    streaming: boolean;
    tools: boolean;
    images: boolean;
    jsonOutput: boolean;
}
interface LanguageModel extends BaseProvider {
    readonly kind: 'llm';
    readonly capabilities: LanguageModelCapabilities;
    generate(request: LanguageModelRequest, options?: CallOptions): Promise<LanguageModelResult>;
    /** Resolves once the first part is ready, so failover can happen until then. */
    stream(request: LanguageModelRequest, options?: CallOptions): Promise<LanguageModelStreamResult>;
}

type MessagingChannel = 'sms' | 'whatsapp';
type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'undelivered';
interface MessageMedia {
    url: string;
    mimeType?: string | undefined;
    caption?: string | undefined;
}
/** A pre-approved WhatsApp template, required outside the 24-hour customer-service window. */
interface WhatsAppTemplate {
    name: string;
    /** e.g. `en_US`. */
    language: string;
    /** Body parameters in order ({{1}}, {{2}}…). */
    parameters?: string[] | undefined;
    /** Vendor-native components, passed through when given (header/button parameters). */
    components?: unknown[] | undefined;
}
interface OutboundMessage {
    /** Recipient; normalised to E.164 before any vendor is called. */
    to: string;
    body?: string | undefined;
    media?: MessageMedia[] | undefined;
    /** Overrides the provider's configured sender (number, short code or alphanumeric id). */
    from?: string | undefined;
    /** Where the vendor posts delivery reports for this message. */
    statusCallbackUrl?: string | undefined;
    /** The same key never sends twice where the vendor supports it, and is logged always. */
    idempotencyKey?: string | undefined;
    /** WhatsApp only. */
    template?: WhatsAppTemplate | undefined;
    /** ISO country used to read national-format numbers (default from provider settings). */
    defaultCountry?: string | undefined;
    providerOptions?: Record<string, Record<string, unknown>> | undefined;
}
interface SendResult {
    /** The vendor's message id, the key of later status updates. */
    messageId: string;
    status: DeliveryStatus;
    channel: MessagingChannel;
    /** Recipient in E.164. */
    to: string;
    /** SMS segments billed (1 for WhatsApp). */
    segments: number;
    provider: string;
    vendor: string;
    /** Only when the vendor reports it. */
    cost?: {
        amount: number;
        currency: string;
    } | undefined;
}
interface MessagingCapabilities {
    channel: MessagingChannel;
    media: boolean;
    templates: boolean;
    /** Vendor deduplicates on the idempotency key. */
    idempotency: boolean;
    /** Max characters (after encoding) the vendor accepts in one message. */
    maxBodyLength?: number | undefined;
}
interface MessagingProvider extends BaseProvider {
    readonly kind: MessagingChannel;
    readonly capabilities: MessagingCapabilities;
    send(message: OutboundMessage, options?: CallOptions): Promise<SendResult>;
}

/** Audio encodings Patchbay speaks; `pcm_s16le` is raw 16-bit little-endian PCM, `mulaw` is G.711 μ-law (telephony). */
type AudioEncoding = 'mp3' | 'wav' | 'pcm_s16le' | 'mulaw' | 'alaw' | 'opus' | 'flac' | 'aac' | 'webm' | 'ogg';
interface AudioFormat {
    encoding: AudioEncoding;
    /** Hz; required for raw encodings (`pcm_s16le`, `mulaw`, `alaw`). */
    sampleRate?: number | undefined;
    channels?: number | undefined;
}
/** Audio input: bytes, a byte stream, or a URL the vendor fetches itself. */
type AudioSource = Uint8Array | AsyncIterable<Uint8Array> | {
    url: string;
};

interface SpeechRequest {
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
interface SpeechResult {
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
interface SpeechStreamResult {
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
interface SpeechTextStreamOptions extends Omit<SpeechRequest, 'text'>, CallOptions {
}
/**
 * The result of `streamText()`. `characters` grows while the text streams in: it is the number of characters
 * (UTF-16 code units) sent to the vendor so far, and is final once `stream` has ended.
 */
interface SpeechTextStreamResult extends SpeechStreamResult {
    readonly characters: number;
}
interface Voice {
    id: string;
    name: string;
    language?: string | undefined;
    gender?: string | undefined;
    previewUrl?: string | undefined;
}
interface SpeechSynthesizerCapabilities {
    streaming: boolean;
    /** Encodings the vendor can produce and the sample rates each supports (empty: the vendor's fixed rate). */
    formats: ReadonlyArray<{
        encoding: AudioEncoding;
        sampleRates: readonly number[];
    }>;
    listVoices: boolean;
    languages?: readonly string[] | undefined;
}
interface SpeechSynthesizer extends BaseProvider {
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

interface TranscriptionRequest {
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
interface TranscriptionWord {
    word: string;
    start: number;
    end: number;
    confidence?: number | undefined;
    speaker?: number | undefined;
}
interface TranscriptionResult {
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
interface LiveTranscriptionRequest {
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
interface LiveFailoverOptions {
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
interface LiveTranscriptionFailover {
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
type LiveTranscriptionEvent = {
    type: 'transcript';
    /** false for an interim hypothesis that a later event replaces. */
    isFinal: boolean;
    text: string;
    words: TranscriptionWord[];
    start: number;
    duration: number;
    confidence?: number | undefined;
} | {
    type: 'speech-started';
    timestamp: number;
} | {
    type: 'utterance-end';
    lastWordEnd: number;
} | LiveTranscriptionFailover;
/** A duplex live session: push audio in, read results out. */
interface LiveTranscriptionSession {
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
interface TranscriberCapabilities {
    /** Supports `transcribeLive()`; routing only picks such providers for live use. */
    live: boolean;
    /** Can fetch audio from a URL itself. */
    urlInput: boolean;
    diarization: boolean;
    /** Encodings accepted for live audio. */
    liveEncodings: readonly AudioEncoding[];
    languages?: readonly string[] | undefined;
}
interface Transcriber extends BaseProvider {
    readonly kind: 'stt';
    readonly capabilities: TranscriberCapabilities;
    transcribe(request: TranscriptionRequest, options?: CallOptions): Promise<TranscriptionResult>;
    transcribeLive?(request: LiveTranscriptionRequest, options?: CallOptions): Promise<LiveTranscriptionSession>;
}

export type { AudioEncoding as A, SpeechRequest as B, CallWarning as C, DeliveryStatus as D, SpeechResult as E, SpeechStreamResult as F, SpeechSynthesizer as G, SpeechSynthesizerCapabilities as H, SpeechTextStreamOptions as I, JsonSchema as J, SpeechTextStreamResult as K, LanguageModel as L, MessageMedia as M, TranscriberCapabilities as N, OutboundMessage as O, TranscriptionRequest as P, TranscriptionResult as Q, TranscriptionWord as R, SendResult as S, Transcriber as T, Voice as V, WhatsAppTemplate as W, AudioFormat as a, AudioSource as b, LanguageModelCapabilities as c, LanguageModelFinishReason as d, LanguageModelImagePart as e, LanguageModelMessage as f, LanguageModelRequest as g, LanguageModelResponseFormat as h, LanguageModelResult as i, LanguageModelStreamPart as j, LanguageModelStreamResult as k, LanguageModelTextPart as l, LanguageModelTool as m, LanguageModelToolCall as n, LanguageModelToolCallPart as o, LanguageModelToolChoice as p, LanguageModelToolResultPart as q, LanguageModelUsage as r, LiveFailoverOptions as s, LiveTranscriptionEvent as t, LiveTranscriptionFailover as u, LiveTranscriptionRequest as v, LiveTranscriptionSession as w, MessagingCapabilities as x, MessagingChannel as y, MessagingProvider as z };
