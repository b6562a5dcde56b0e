import { P as Patchbay, x as StatusMonitor, W as FieldIssue } from '../status-monitor-Dgm1Ty4Z.js';
import { M as MaybePromise, e as LimitStore } from '../usage-C1uSLdYd.js';
import { IncomingMessage, ServerResponse } from 'node:http';
import { E as ErrorCode } from '../error-codes-Dl_-ZDZA.js';
import '../provider-BZKWBVCw.js';
import '../credential-spec-hJtA3byY.js';
import 'zod';
import '../credential-resolver-C6ppADFM.js';
import '../provider-factory-BFziUHIm.js';
import '../transcriber-Bnkc-Xgg.js';
import '../routing-events-tEXyk4_G.js';

/** Default bound on a request body the credential handlers read. */
declare const defaultMaxBodyBytes: number;
/** What an `authorize` hook answers: `false` refuses (401); an object lets the request through. */
interface HandlerAuthorization {
    /** Recorded as the audit actor. */
    actor?: string | null | undefined;
    /** When set, the caller may act for this tenant only (another tenant in the request: 403). */
    tenant?: string | undefined;
}
/** Decides who may call a handler; it may read headers (a session cookie, a bearer token). */
type AuthorizeRequest = (request: Request) => boolean | HandlerAuthorization | Promise<boolean | HandlerAuthorization>;

interface CredentialAdminHandlerOptions {
    /** Who may administer credentials. Required. An answer naming a tenant limits the caller to it. */
    authorize: AuthorizeRequest;
    /** Largest body read (default 16 KiB). */
    maxBodyBytes?: number | undefined;
}
/**
 * A tenant's credentials for one provider, as a Fetch handler. `GET ?tenant=&provider=` describes them,
 * `PUT { tenant, provider, credentials }` sets them, `PATCH` (same body) rotates some fields, `DELETE
 * ?tenant=&provider=` removes them. Every answer is the field names, policies and sources — never a
 * value; every change is audited as the authorised actor. Bad input is a typed 4xx naming the field.
 */
declare function createCredentialAdminHandler(patchbay: Pick<Patchbay, 'credentials'>, options: CredentialAdminHandlerOptions): (request: Request) => Promise<Response>;

interface StatusHandlerOptions {
    patchbay: Patchbay;
    /** The monitor answering `patchbay.status()`; gives the page its uptime and latency history. */
    monitor?: StatusMonitor | undefined;
    /**
     * Which tenant the request is about (from your session, a path segment, a header you trust);
     * `undefined` is the platform view. Throwing answers 400; hanging past `hookTimeoutMs` answers 503.
     */
    tenant?: ((request: Request) => MaybePromise<string | undefined>) | undefined;
    /**
     * Decides whether the request may see the status. `false` (or throwing) answers 401; hanging past
     * `hookTimeoutMs` answers 503. Without it, everyone who reaches the route may read it.
     */
    authorize?: ((request: Request, context: {
        tenant: string | undefined;
    }) => MaybePromise<boolean | undefined>) | undefined;
    /** Time limit of `tenant` and `authorize`. Default 5 s. */
    hookTimeoutMs?: number | undefined;
    /** Forced refreshes (`?refresh=true`) per tenant at most once per this interval; more answer 429. Default 10 s. */
    minRefreshIntervalMs?: number | undefined;
    /** Answer `Accept: text/html` with the status page. Default true. */
    html?: boolean | undefined;
    /** The page's title. */
    title?: string | undefined;
    /** How often the page fetches fresh JSON. Default 15 s; at least 1 s. */
    pageRefreshMs?: number | undefined;
}
/** A Fetch API handler: `GET` (and `HEAD`) only. */
type StatusHandler = (request: Request) => Promise<Response>;
/**
 * The status endpoint: `GET` answers the integration-status JSON (`integrations`, `overall_status`,
 * `last_checked`), `?refresh=true` checks now (rate-limited per tenant), `Accept: text/html` the
 * status page. Every string in a body is scrubbed of secrets; every refusal is a typed JSON error.
 */
declare function createStatusHandler(options: StatusHandlerOptions): StatusHandler;

interface NodeListenerOptions {
    /** Public origin (`https://status.example.com`) for the Request URL; default `http://` + the Host header. */
    origin?: string | undefined;
    /** Cap on a request body read from the stream; default 1 MiB. A larger body answers 413. */
    maxBodyBytes?: number | undefined;
}
/**
 * Adapts a Fetch API handler (`createStatusHandler`, …) to Node's `(req, res)` for `node:http`,
 * Express and Connect. A malformed Host answers 400, a body over `maxBodyBytes` 413 (the rest
 * discarded), and a handler that throws 500 — each as a typed JSON error.
 */
declare function toNodeListener(handler: (request: Request) => Promise<Response>, options?: NodeListenerOptions): (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/** Escapes text for HTML element content and quoted attribute values. */
declare function escapeHtml(text: string): string;
/** One self-contained page (inline CSS and script, nothing loaded from elsewhere) that refreshes itself. */
declare function renderStatusPage(options: {
    title: string;
    tenant: string | undefined;
    data: unknown;
    refreshMs?: number | undefined;
}): string;

/** The body of every refusal the HTTP handlers answer: typed, naming the field when one is at fault. */
interface HttpErrorBody {
    error: {
        code: ErrorCode;
        message: string;
        field?: string | undefined;
    };
}

interface ValidateCredentialsHandlerOptions {
    /** Who may validate (and save). Required: a credential endpoint is never open by accident. */
    authorize: AuthorizeRequest;
    /** Largest body read (default 16 KiB); the rest of a larger one is never read. */
    maxBodyBytes?: number | undefined;
    /**
     * Validations per window per caller (each one reaches a vendor). Default 10 per minute, keyed by the
     * authorised actor, else tenant, else one shared counter; `false` turns it off.
     */
    rateLimit?: {
        max: number;
        windowMs: number;
        store?: LimitStore | undefined;
        key?: ((request: Request, authorization: HandlerAuthorization) => string) | undefined;
    } | false | undefined;
    /** Whether `save: true` may store valid credentials for the tenant (default true). */
    allowSave?: boolean | undefined;
}
/** What the handler answers for a well-formed request. */
interface ValidateCredentialsAnswer {
    valid: boolean;
    issues: FieldIssue[];
    /** The live test's status (`connected`, `not_configured`, `error`); null when the schema check failed. */
    status: string | null;
    /** The live test's message (scrubbed of secrets). */
    message: string | null;
    /** True when the credentials were stored for the tenant. */
    saved: boolean;
}
/**
 * "Test connection" before saving, as a Fetch handler: `POST` `{ provider, credentials, tenant?, save? }`.
 * The candidate is checked against the adapter's schema — credential fields only, so a `baseURL` is
 * refused by name and a key is never sent to a host the caller chose — then live with `test()` using the
 * candidate alone. Answers `{ valid, issues, status, message, saved }`; with `save: true` and a tenant,
 * valid credentials are stored (audited as the authorised actor). Bad input is a typed 4xx.
 */
declare function createValidateCredentialsHandler(patchbay: Pick<Patchbay, 'validateCredentials' | 'credentials'>, options: ValidateCredentialsHandlerOptions): (request: Request) => Promise<Response>;

export { type AuthorizeRequest, type CredentialAdminHandlerOptions, type HandlerAuthorization, type HttpErrorBody, type NodeListenerOptions, type StatusHandler, type StatusHandlerOptions, type ValidateCredentialsAnswer, type ValidateCredentialsHandlerOptions, createCredentialAdminHandler, createStatusHandler, createValidateCredentialsHandler, defaultMaxBodyBytes, escapeHtml, renderStatusPage, toNodeListener };
