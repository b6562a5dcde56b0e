import { c as CredentialResolver, R as ResolvedCredentials } from '../credential-resolver-C6ppADFM.js';
export { b as CredentialSourceName } from '../credential-resolver-C6ppADFM.js';
import { C as CredentialSpec } from '../credential-spec-hJtA3byY.js';
export { b as CredentialPolicy, a as CredentialsOf, d as defineCredentials, s as secretInput } from '../credential-spec-hJtA3byY.js';
import { E as ErrorCode } from '../error-codes-Dl_-ZDZA.js';
import { b as PatchbayErrorOptions, P as PatchbayError, d as ProviderRuntime } from '../provider-factory-BFziUHIm.js';
export { c as ProviderFactory, e as defineProviderFactory } from '../provider-factory-BFziUHIm.js';
import { z } from 'zod';
import { B as BaseProvider, P as ProviderKind, R as RedactedConfig, C as CallOptions, T as TestOptions, H as HealthResult } from '../provider-BZKWBVCw.js';
import { Dispatcher, Agent } from 'undici';
import { g as LanguageModelRequest, O as OutboundMessage, B as SpeechRequest, P as TranscriptionRequest } from '../transcriber-Bnkc-Xgg.js';
export { s as scrubText } from '../scrub-text-DAQ7Ekfu.js';

/**
 * A module-level zod schema that is built on first use instead of on import.
 *
 * Building zod schemas is a large share of a package's cold import (every `z.number().int().min()`
 * chain constructs several schema instances, each running zod's initialisers), yet most processes
 * validate a configuration once, if at all. The returned object stands in for the schema: the first
 * property read builds it, and every read after that is forwarded to it, so callers (including other
 * schemas that embed it) see a normal zod schema with the same type.
 */
declare function lazySchema<Schema extends object>(create: () => Schema): Schema;

/** The default meaning of an HTTP status; adapters refine it with the vendor's error body. */
declare function errorCodeForStatus(status: number): ErrorCode;
type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined | null;
/**
 * Reads how long a vendor asked us to wait: `retry-after-ms` (OpenAI), then
 * `retry-after` as seconds or an HTTP date. Returns milliseconds, or undefined.
 */
declare function parseRetryAfter(headers: HeaderSource, now?: number): number | undefined;
interface HttpErrorInput extends Omit<PatchbayErrorOptions, 'code' | 'message'> {
    status: number;
    headers?: HeaderSource | undefined;
    code?: ErrorCode | undefined;
    message?: string | undefined;
}
/** A PatchbayError for a failed vendor HTTP response. */
declare function httpError(input: HttpErrorInput): PatchbayError;

interface NormalizeContext {
    provider?: string | undefined;
    vendor?: string | undefined;
    /** The caller's signal: an abort it caused is `aborted`, not a vendor failure. */
    signal?: AbortSignal | undefined;
}
/**
 * Turns anything thrown into a PatchbayError. Adapters map their vendor's errors
 * first; this is the floor for what is left (aborts, sockets, programming errors).
 */
declare function toPatchbayError(error: unknown, context?: NormalizeContext): PatchbayError;

interface ProviderInit<S extends Record<string, unknown>, C extends Record<string, string | undefined>> {
    id: string;
    vendor: string;
    /** Validates settings at construction and on every `updateConfig()`. */
    schema: z.ZodType<S>;
    settings: unknown;
    /** Credential fields are read from settings of the same name first. */
    credentials: CredentialSpec<C>;
    runtime?: ProviderRuntime | undefined;
    /**
     * Extra settings fields to redact besides the credential secrets. Fields named like credentials
     * (`*Key`, `*Token`, `*Secret`, `password`…), credential headers in any `headers` record and
     * credentials in URLs are redacted without being listed here.
     */
    secretSettings?: readonly string[] | undefined;
}
/** What `checkConnection` found; becomes the `connected` health result. */
interface ConnectionCheck {
    message?: string | undefined;
    details?: Record<string, unknown> | undefined;
}
/**
 * The shared half of every adapter: settings that swap atomically, credentials
 * resolved per call for the call's tenant, redacted `getConfig()`, and a
 * `test()` that never throws. Adapters add their kind's methods and
 * `checkConnection` (the vendor's cheapest real call).
 */
declare abstract class AbstractProvider<S extends Record<string, unknown>, C extends Record<string, string | undefined>> implements BaseProvider {
    #private;
    readonly specificationVersion: "v1";
    abstract readonly kind: ProviderKind;
    readonly id: string;
    readonly vendor: string;
    constructor(init: ProviderInit<S, C>);
    /**
     * Releases what the instance holds outside itself (its subscription to the credential store's
     * changes, its cached store answers). Patchbay calls it when configuration replaces or drops the
     * instance; calls still in flight finish normally.
     */
    dispose(): void;
    /** Host-provided hooks (credential store, environment, fetch). */
    protected get runtime(): ProviderRuntime;
    protected get credentialResolver(): CredentialResolver<C>;
    /** The adapter's settings schema (the provider catalogue renders it as JSON Schema). */
    protected get settingsSchema(): z.ZodType<S>;
    /** The current settings snapshot. Read it once per call and pass it down. */
    protected get settings(): S;
    /** The settings as they may be shown: redacted by the one rule of `redactConfig`. */
    getConfig(): RedactedConfig;
    updateConfig(patch: Record<string, unknown>): Promise<void>;
    /** What the provider shows of itself when serialised or inspected: its redacted config, nothing else. */
    toJSON(): RedactedConfig;
    /** Resolves credentials for one call, from the explicit values in its settings snapshot. */
    protected resolveCredentials(settings: S, options?: CallOptions | TestOptions): Promise<ResolvedCredentials<C>>;
    /** The revealed values of the secret credential fields, for `scrubText` on vendor text. */
    protected knownSecrets(credentials: ResolvedCredentials<C> | undefined): string[];
    /** Normalises any failure to a PatchbayError attributed to this provider. */
    protected toError(error: unknown, signal?: AbortSignal): PatchbayError;
    protected abstract checkConnection(context: {
        settings: S;
        credentials: ResolvedCredentials<C>;
        signal: AbortSignal | undefined;
    }): Promise<ConnectionCheck>;
    test(options?: TestOptions): Promise<HealthResult>;
}

/**
 * SDK clients per (settings snapshot, credentials): a rotated key or moved base
 * URL gets a new client on the next call while calls in flight keep theirs.
 * Keys are hashed, so raw credentials never sit in the cache's keys; the oldest
 * entry goes once `capacity` is reached. The last parts' hash is kept: most calls
 * repeat the previous call's parts, and hashing is most of what a lookup costs.
 */
declare class ClientCache<T> {
    #private;
    constructor(options?: {
        capacity?: number;
    });
    /** The client for these parts (base URL, key, organisation…), created once by `create`. */
    get(parts: ReadonlyArray<string | undefined>, create: () => T | Promise<T>): Promise<T>;
    /**
     * As `get`, for a settings snapshot and resolved credentials: when both are the very objects of the previous
     * lookup (snapshots are replaced, never changed), the answer comes without building or hashing the parts.
     */
    getFor(settings: object, credentials: object, parts: () => ReadonlyArray<string | undefined>, create: () => T | Promise<T>): Promise<T>;
    get size(): number;
    clear(): void;
}

/** Reads a byte stream (an audio clip, an upload) into one buffer; stops at once when the signal aborts. */
declare function collectBytes(source: AsyncIterable<Uint8Array>, signal?: AbortSignal): Promise<Uint8Array>;

/**
 * The one workaround for Fern-generated SDKs (Deepgram, ElevenLabs), shared by
 * every kind that uses them. Their request layer starts a timeout timer per
 * request and clears it only when fetch resolves, so every aborted or failed
 * request would leave that timer holding the process open. `fernFetch` always
 * resolves — a transport failure becomes a synthetic 599 response — and the
 * real failure is read back from the SDK error with `transportFailureOf`. It
 * uses only the SDKs' public `fetch` option, never their internals.
 *
 * The failure is remembered per synthetic response, not per fetch, so one SDK
 * client may be shared by concurrent calls: the SDK error keeps the response's
 * own `Headers` object (`error.rawResponse.headers`), and a WeakMap keyed by it
 * holds the failure for exactly as long as something still holds that error.
 */
declare const transportFailureStatus = 599;
/** A fetch for a Fern SDK client: never rejects, so the SDK always clears its timer. Safe to share across calls. */
declare function fernFetch(base?: typeof globalThis.fetch): typeof globalThis.fetch;
/**
 * The SDK's request timeout for a client using `fernFetch`: a day, so the
 * caller's AbortSignal and the route's attempt timeout bound a request, not the
 * SDK. The timer it starts is cleared as soon as fetch settles, which
 * `fernFetch` makes happen on every path.
 */
declare const fernTimeoutSeconds: number;
/** The real transport failure behind a Fern SDK error that `fernFetch` turned into a synthetic 599; else undefined. */
declare function transportFailureOf(error: unknown): unknown;
/** What a Fern SDK error says about a real HTTP answer (never the synthetic transport-failure one). */
interface FernHttpFailure {
    status: number;
    body: unknown;
    headers: Headers | undefined;
}
/** Reads a Fern SDK error's status, parsed body and headers; undefined for anything that is not an HTTP answer. */
declare function fernHttpFailure(error: unknown): FernHttpFailure | undefined;

/** The error for an optional vendor SDK that is not installed. */
declare function missingSdkError(packageName: string, cause: unknown): PatchbayError;
/** An optional vendor SDK, imported on first use. */
interface LazySdk<M> {
    /**
     * Imports the SDK once; a failed import (not installed) is retried on the next
     * call. With a signal, the returned promise rejects as soon as the signal
     * aborts, even while the import itself is still running.
     */
    load(signal?: AbortSignal): Promise<M>;
    /** The module once loaded: error mapping needs its classes, and needs nothing before the first call. */
    readonly loaded: M | undefined;
}
/**
 * Wraps a vendor SDK import so that importing an adapter never loads the SDK.
 * `importer` must be a literal `() => import('…')` in the kind package that
 * declares the SDK as an optional peer, so bundlers and package managers see it.
 * A missing package is `not_configured`, naming the package to install.
 */
declare function lazySdk<M>(packageName: string, importer: () => Promise<M>): LazySdk<M>;
/** setTimeout's ceiling: an SDK's own timeout is disabled, the caller's AbortSignal bounds the call. */
declare const noTimeout = 2147483647;

/**
 * The error with the call's secrets (and key-shaped tokens) cut out of its
 * message: the last step of every kind's error path, so vendor text that echoes
 * a key never reaches a caller, a log, a delivery log or a status report.
 */
declare function scrubError(error: PatchbayError, secrets: readonly (string | undefined)[]): PatchbayError;

type Fetch = typeof globalThis.fetch;
declare class SignalRelay {
    #private;
    /** Per-request options for the SDK; undefined when the call has no signal (nothing to relay). */
    readonly fetchOptions: Record<symbol, SignalRelay> | undefined;
    constructor(signal: AbortSignal | undefined);
    /** A request of this call started: it is aborted when the call's signal is. */
    attach(controller: AbortController): void;
    /** The call is over: stop listening, so a long-lived caller signal retains nothing of it. */
    release(): void;
}
/** A `fetch` that honours the relay a request carries in its init (see `SignalRelay`). */
declare function relayingFetch(base?: Fetch | undefined): Fetch;

/** The most of an error body read: enough for any vendor's error JSON, not a hostile endless body. */
declare const maxVendorErrorBodyBytes: number;
/**
 * A vendor's HTTP answer that is not a usable result, thrown by SDK-less adapters' requests and turned
 * into a PatchbayError by their `mapError` (which knows the vendor's error table).
 */
declare class VendorHttpFailure extends Error {
    readonly status: number;
    readonly headers: Headers;
    /** The body parsed as JSON, else its (bounded) text, else undefined. */
    readonly body: unknown;
    constructor(status: number, headers: Headers, body: unknown);
}
/** Reads at most `limit` bytes of a body as text, then lets the rest go. */
declare function readBoundedText(response: Response, limit?: number): Promise<string>;
/** A body as JSON when it parses, else its text (undefined when empty). */
declare function parseBody(text: string): unknown;
/**
 * Sends one request with the adapter's fetch and returns the response when it succeeded; an error status
 * becomes a `VendorHttpFailure` carrying the bounded body. Transport failures and aborts propagate as fetch
 * raised them (the kind skeletons map them).
 */
declare function vendorFetch(fetchFunction: typeof globalThis.fetch, url: string, init: RequestInit): Promise<Response>;

/**
 * The process-wide keep-alive pool, created (and undici loaded) on first use so importing the package
 * opens and loads nothing. Concurrent first callers share one pool.
 */
declare function vendorHttpAgent(): Promise<Agent>;
/** Closes the shared pool (tests, graceful shutdown); the next request opens a new one. */
declare function closeVendorHttpAgent(): Promise<void>;
interface VendorHttpRequest {
    method: 'GET' | 'POST';
    url: string;
    headers?: Record<string, string> | undefined;
    body?: string | undefined;
    signal?: AbortSignal | undefined;
}
interface VendorHttpResponse {
    status: number;
    headers: Headers;
    text: string;
}
/** How a request travels: a caller's `fetch` wins, else an undici dispatcher (the shared pool by default). */
interface VendorTransport {
    fetch?: typeof globalThis.fetch | undefined;
    dispatcher?: Dispatcher | undefined;
}
/**
 * A transport failure with no response. `requestSent` says whether the request
 * (headers and body) had been written to the socket: after that, the vendor may
 * have acted on it and the outcome is unknown.
 */
declare class VendorTransportFailure extends Error {
    readonly requestSent: boolean;
    constructor(cause: unknown, requestSent: boolean);
}
interface VendorHttpContext {
    provider: string;
    vendor: string;
}
/**
 * Sends one request and returns the vendor's response, whatever its status.
 * Failures without a response become PatchbayErrors: a caller abort is
 * `aborted`; a failure after the request left is marked `outcomeUnknown` when
 * the request had side effects (POST), so routing never sends the message twice.
 */
declare function vendorHttpRequest(transport: VendorTransport, request: VendorHttpRequest, context: VendorHttpContext): Promise<VendorHttpResponse>;
/** Parses a JSON body, or undefined when it is not JSON. */
declare function parseJson(text: string): unknown;

/** Throws `invalid_request` naming the field (e.g. `messages.0.content`) when the request is malformed. */
declare function validateLanguageModelRequest(request: unknown): asserts request is LanguageModelRequest;

/** Throws `invalid_request` naming the field (e.g. `body`) when the message is malformed. */
declare function validateMessageRequest(request: unknown): asserts request is OutboundMessage;

/** Throws `invalid_request` naming the field (e.g. `format.encoding`) when the request is malformed. */
declare function validateSpeechRequest(request: unknown): asserts request is SpeechRequest;

/** Throws `invalid_request` naming the field (e.g. `audio`) when the request is malformed. */
declare function validateTranscriptionRequest(request: unknown): asserts request is TranscriptionRequest;

/** Settles with the promise, or rejects with the signal's reason as soon as it aborts. */
declare function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T>;
/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
declare function sleep(ms: number, signal?: AbortSignal): Promise<void>;

/**
 * A deep copy of a config object that is safe to log, store or send to a
 * browser. One rule, applied at any depth:
 * - every `Secret`, every field named in `secretFields`, and every field whose
 *   name looks like a credential (`apiKey`, `auth_token`, `webhookSecret`,
 *   `password`…, case-insensitive) reads `[redacted]`;
 * - in a `headers`-like record (`headers`, `defaultHeaders`…), every header
 *   whose name carries a credential (see `redactHeaders`);
 * - every URL-looking string loses its userinfo and credential query
 *   parameters (see `redactUrl`);
 * - every other string loses key-shaped tokens (see `scrubText`).
 * Functions are dropped. Used by `getConfig()`, `toJSON()` and `util.inspect`.
 * `knownValues` are secret values to cut out of every string wherever they stand.
 */
declare function redactConfig<T>(value: T, secretFields?: ReadonlySet<string>, knownValues?: readonly string[]): T;
/** Anything a `headers` setting may hold: a record, a `Headers`, or `[name, value]` pairs. */
type HeadersLike = Headers | Readonly<Record<string, unknown>> | readonly (readonly [string, unknown])[];
/**
 * A copy of HTTP headers with every credential header's value replaced by
 * `[redacted]`. Names are matched case-insensitively and by pattern, so
 * `Authorization`, `Proxy-Authorization`, `AUTHORIZATION`, `Cookie`, `Api-Key`,
 * `X-API-KEY`, `X-Goog-Api-Key`, `Ocp-Apim-Subscription-Key`, `xi-api-key` and
 * `X-Auth-Token` are all caught; other values lose key-shaped tokens.
 * A `Headers` object comes back as a plain record.
 */
declare function redactHeaders(headers: Headers | Readonly<Record<string, unknown>>): Record<string, unknown>;
declare function redactHeaders(headers: readonly (readonly [string, unknown])[]): [string, unknown][];
declare function redactHeaders(headers: HeadersLike): Record<string, unknown> | [string, unknown][];
/**
 * A URL with its credentials cut out: the userinfo (`https://user:key@host`),
 * query and fragment parameters named like credentials (`key`, `api_key`,
 * `token`, `access_token`, `sig`, `signature`, `X-Amz-Signature`…) and
 * key-shaped path segments (a token in a `statusCallbackUrl`). Everything else
 * is kept byte for byte, so an unchanged URL compares equal to its input.
 */
declare function redactUrl(url: string | URL): string;

export { AbstractProvider, ClientCache, type ConnectionCheck, CredentialSpec, type FernHttpFailure, type HeadersLike, type HttpErrorInput, type LazySdk, type NormalizeContext, type ProviderInit, ProviderRuntime, ResolvedCredentials, SignalRelay, type VendorHttpContext, VendorHttpFailure, type VendorHttpRequest, type VendorHttpResponse, type VendorTransport, VendorTransportFailure, closeVendorHttpAgent, collectBytes, errorCodeForStatus, fernFetch, fernHttpFailure, fernTimeoutSeconds, httpError, lazySchema, lazySdk, maxVendorErrorBodyBytes, missingSdkError, noTimeout, parseBody, parseJson, parseRetryAfter, raceSignal, readBoundedText, redactConfig, redactHeaders, redactUrl, relayingFetch, scrubError, sleep, toPatchbayError, transportFailureOf, transportFailureStatus, validateLanguageModelRequest, validateMessageRequest, validateSpeechRequest, validateTranscriptionRequest, vendorFetch, vendorHttpAgent, vendorHttpRequest };
