import type { Agent, Dispatcher } from 'undici';
import { toPatchbayError } from '../errors/normalize-error.js';
import { PatchbayError } from '../errors/patchbay-error.js';

/**
 * The HTTP layer for adapters that call a vendor without an SDK (every
 * messaging adapter): one keep-alive connection pool for the process, and the
 * one fact the router needs to avoid double sends — whether a failed request
 * had already been handed to the vendor when it failed.
 */

// undici is ~110 modules: loaded by the first request that needs the pool, so importing a package that
// only might send (every messaging import, and core itself) does not pay for it.
let undiciModule: Promise<typeof import('undici')> | undefined;
let sharedAgent: Promise<Agent> | undefined;

function loadUndici(): Promise<typeof import('undici')> {
  undiciModule ??= import('undici').catch((error: unknown) => {
    // A failed load is not cached: the next request tries again.
    undiciModule = undefined;
    throw error;
  });
  return undiciModule;
}

/**
 * The process-wide keep-alive pool, created (and undici loaded) on first use so importing the package
 * opens and loads nothing. Concurrent first callers share one pool.
 */
export function vendorHttpAgent(): Promise<Agent> {
  if (sharedAgent) return sharedAgent;
  const created = loadUndici().then(
    ({ Agent: UndiciAgent }) =>
      new UndiciAgent({
        keepAliveTimeout: 10_000,
        keepAliveMaxTimeout: 60_000,
        // Vendors answer a send in well under a second; a busy host keeps a handful of sockets per vendor.
        connections: 32,
        pipelining: 1,
      }),
  );
  sharedAgent = created;
  created.catch(() => {
    if (sharedAgent === created) sharedAgent = undefined;
  });
  return created;
}

/** Closes the shared pool (tests, graceful shutdown); the next request opens a new one. */
export async function closeVendorHttpAgent(): Promise<void> {
  const agent = sharedAgent;
  sharedAgent = undefined;
  if (!agent) return;
  // A pool that never came up (undici failed to load) has nothing to close.
  const opened = await agent.catch(() => undefined);
  await opened?.close();
}

export interface VendorHttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string> | undefined;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface VendorHttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** How a request travels: a caller's `fetch` wins, else an undici dispatcher (the shared pool by default). */
export interface VendorTransport {
  fetch?: typeof globalThis.fetch | undefined;
  dispatcher?: Dispatcher | undefined;
}

/**
 * A transport failure with no response. `requestSent` says whether the request
 * (headers and body) had been written to the socket: after that, the vendor may
 * have acted on it and the outcome is unknown.
 */
export class VendorTransportFailure extends Error {
  readonly requestSent: boolean;

  constructor(cause: unknown, requestSent: boolean) {
    super(requestSent ? 'Request failed after it was sent' : 'Request failed before it was sent', { cause });
    this.name = 'VendorTransportFailure';
    this.requestSent = requestSent;
  }
}

type LegacyHandler = Dispatcher.DispatchHandler & { onRequestSent(): void };

function dispatchRequest(dispatcher: Dispatcher, request: VendorHttpRequest): Promise<VendorHttpResponse> {
  const url = new URL(request.url);
  const signal = request.signal;
  return new Promise<VendorHttpResponse>((resolve, reject) => {
    let sent = false;
    let settled = false;
    let abortRequest: ((reason?: Error) => void) | undefined;
    let status = 0;
    const headers = new Headers();
    const chunks: Buffer[] = [];
    const onAbort = () => abortRequest?.(signal?.reason instanceof Error ? signal.reason : new Error('Aborted'));
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    // The legacy handler interface is the one undici reports `onRequestSent` on.
    const handler: LegacyHandler = {
      onConnect(abort) {
        abortRequest = abort;
        if (signal?.aborted) onAbort();
      },
      onRequestSent() {
        sent = true;
      },
      onHeaders(statusCode, rawHeaders) {
        if (statusCode < 200) return true;
        status = statusCode;
        for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
          headers.append(String(rawHeaders[index]), String(rawHeaders[index + 1]));
        }
        return true;
      },
      onData(chunk) {
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        finish(() => resolve({ status, headers, text: Buffer.concat(chunks).toString('utf8') }));
      },
      onError(error) {
        // A response whose headers arrived but whose body broke was also sent.
        finish(() => reject(new VendorTransportFailure(error, sent || status !== 0)));
      },
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      dispatcher.dispatch(
        {
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: request.method,
          headers: request.headers,
          body: request.body,
        },
        handler,
      );
    } catch (error) {
      finish(() => reject(new VendorTransportFailure(error, false)));
    }
  });
}

/** Socket errors that happen before a byte of the request left: safe to send elsewhere. */
const beforeSendCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function errorCodeOf(error: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return errorCodeOf((error as { cause?: unknown }).cause, depth + 1);
}

async function fetchRequest(
  fetchFunction: typeof globalThis.fetch,
  request: VendorHttpRequest,
): Promise<VendorHttpResponse> {
  let response: Response;
  try {
    response = await fetchFunction(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: request.signal,
    });
  } catch (error) {
    // fetch does not say whether the body left; only a refused or unresolved connection proves it did not.
    const code = errorCodeOf(error);
    throw new VendorTransportFailure(error, !(code && beforeSendCodes.has(code)));
  }
  try {
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch (error) {
    throw new VendorTransportFailure(error, true);
  }
}

export interface VendorHttpContext {
  provider: string;
  vendor: string;
}

/**
 * Sends one request and returns the vendor's response, whatever its status.
 * Failures without a response become PatchbayErrors: a caller abort is
 * `aborted`; a failure after the request left is marked `outcomeUnknown` when
 * the request had side effects (POST), so routing never sends the message twice.
 */
export async function vendorHttpRequest(
  transport: VendorTransport,
  request: VendorHttpRequest,
  context: VendorHttpContext,
): Promise<VendorHttpResponse> {
  if (request.signal?.aborted) {
    throw toPatchbayError(request.signal.reason, { ...context, signal: request.signal });
  }
  try {
    return transport.fetch
      ? await fetchRequest(transport.fetch, request)
      : await dispatchRequest(transport.dispatcher ?? (await vendorHttpAgent()), request);
  } catch (caught) {
    const failure = caught instanceof VendorTransportFailure ? caught : undefined;
    const base = toPatchbayError(failure?.cause ?? caught, { ...context, signal: request.signal });
    const outcomeUnknown = request.method !== 'GET' && (failure?.requestSent ?? true);
    if (!outcomeUnknown) throw base;
    throw new PatchbayError({
      ...base.toOptions(),
      // A socket error after the request left is not a plain connection failure: the vendor may have acted.
      message: `${base.message}; the request had been sent, so the vendor may have accepted it`,
      outcomeUnknown: true,
    });
  }
}

/** Parses a JSON body, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
