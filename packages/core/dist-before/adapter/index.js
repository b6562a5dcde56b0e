import { toPatchbayError } from '../chunk-373R6TVW.js';
export { AbstractProvider, raceSignal, sleep, toPatchbayError, validateLanguageModelRequest, validateMessageRequest, validateSpeechRequest, validateTranscriptionRequest } from '../chunk-373R6TVW.js';
import '../chunk-KWNWYJ7G.js';
export { errorCodeForStatus, httpError, parseRetryAfter } from '../chunk-2FTTUUGV.js';
export { defineCredentials, lazySchema, secretInput } from '../chunk-EFFKKI2Q.js';
import { PatchbayError, scrubText } from '../chunk-JE5GE6TU.js';
export { redactConfig, redactHeaders, redactUrl, scrubText } from '../chunk-JE5GE6TU.js';
import { hash } from 'crypto';

var ClientCache = class {
  #clients = /* @__PURE__ */ new Map();
  #capacity;
  #lastParts;
  #lastKey = "";
  #lastIdentity;
  constructor(options = {}) {
    this.#capacity = options.capacity ?? 32;
  }
  /** The client for these parts (base URL, key, organisation…), created once by `create`. */
  get(parts, create) {
    const joined = parts.map((part) => part ?? "").join("\0");
    if (joined !== this.#lastParts) {
      this.#lastKey = hash("sha256", joined, "base64url");
      this.#lastParts = joined;
    }
    const key = this.#lastKey;
    const cached = this.#clients.get(key);
    if (cached) return cached;
    if (this.#clients.size >= this.#capacity) this.#clients.delete(this.#clients.keys().next().value);
    const created = Promise.resolve().then(create);
    created.catch(() => this.#clients.delete(key));
    this.#clients.set(key, created);
    return created;
  }
  /**
   * As `get`, for a settings snapshot and resolved credentials: when both are the very objects of the previous
   * lookup (snapshots are replaced, never changed), the answer comes without building or hashing the parts.
   */
  getFor(settings, credentials, parts, create) {
    const last = this.#lastIdentity;
    if (last !== void 0 && last.settings === settings && last.credentials === credentials) return last.client;
    const client = this.get(parts(), create);
    const identity = { settings, credentials, client };
    this.#lastIdentity = identity;
    client.catch(() => {
      if (this.#lastIdentity === identity) this.#lastIdentity = void 0;
    });
    return client;
  }
  get size() {
    return this.#clients.size;
  }
  clear() {
    this.#clients.clear();
    this.#lastParts = void 0;
    this.#lastIdentity = void 0;
  }
};

// src/provider/collect-bytes.ts
async function collectBytes(source, signal) {
  const chunks = [];
  let length = 0;
  for await (const chunk of source) {
    signal?.throwIfAborted();
    chunks.push(chunk);
    length += chunk.byteLength;
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

// src/provider/fern-fetch.ts
var transportFailureStatus = 599;
var transportFailures = /* @__PURE__ */ new WeakMap();
function fernFetch(base = globalThis.fetch) {
  const fetch = async (input, init) => {
    try {
      return await base(input, init);
    } catch (error) {
      const response = new Response(null, { status: transportFailureStatus, statusText: "Transport failure" });
      transportFailures.set(response.headers, { error });
      return response;
    }
  };
  return fetch;
}
var fernTimeoutSeconds = 24 * 60 * 60;
function transportFailureOf(error) {
  return syntheticFailure(error)?.error;
}
function syntheticFailure(error) {
  const headers = error?.rawResponse?.headers;
  return typeof headers === "object" && headers !== null ? transportFailures.get(headers) : void 0;
}
function fernHttpFailure(error) {
  const status = error?.statusCode;
  if (typeof status !== "number" || syntheticFailure(error)) return void 0;
  const { body, rawResponse } = error;
  return { status, body, headers: rawResponse?.headers };
}

// src/provider/lazy-sdk.ts
function missingSdkError(packageName, cause) {
  return new PatchbayError({
    code: "not_configured",
    message: `The optional peer dependency "${packageName}" is not installed; add it to use this adapter`,
    details: { package: packageName },
    cause
  });
}
function lazySdk(packageName, importer) {
  let pending;
  let loaded;
  const load = () => {
    pending ??= importer().then(
      (module) => {
        loaded = module;
        return module;
      },
      (error) => {
        pending = void 0;
        throw missingSdkError(packageName, error);
      }
    );
    return pending;
  };
  return {
    load(signal) {
      if (!signal) return load();
      signal.throwIfAborted();
      const loading = load();
      if (loaded) return loading;
      return new Promise((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
        loading.then(
          (module) => {
            signal.removeEventListener("abort", onAbort);
            resolve(module);
          },
          (error) => {
            signal.removeEventListener("abort", onAbort);
            reject(error);
          }
        );
      });
    },
    get loaded() {
      return loaded;
    }
  };
}
var noTimeout = 2147483647;

// src/provider/provider-factory.ts
function defineProviderFactory(factory) {
  return Object.freeze(factory);
}

// src/provider/scrub-error.ts
function scrubError(error, secrets) {
  const message = scrubText(error.message, secrets);
  if (message === error.message) return error;
  return new PatchbayError({ ...error.toOptions(), message });
}

// src/provider/signal-relay.ts
var relayKey = /* @__PURE__ */ Symbol("patchbay.signalRelay");
var SignalRelay = class {
  #signal;
  #controllers = [];
  #listening = false;
  /** Per-request options for the SDK; undefined when the call has no signal (nothing to relay). */
  fetchOptions;
  constructor(signal) {
    this.#signal = signal;
    this.fetchOptions = signal ? { [relayKey]: this } : void 0;
  }
  #abort = () => {
    const reason = this.#signal?.reason;
    for (const controller of this.#controllers) controller.abort(reason);
    this.#controllers = [];
  };
  /** A request of this call started: it is aborted when the call's signal is. */
  attach(controller) {
    const signal = this.#signal;
    if (!signal) return;
    if (signal.aborted) {
      controller.abort(signal.reason);
      return;
    }
    this.#controllers.push(controller);
    if (!this.#listening) {
      this.#listening = true;
      signal.addEventListener("abort", this.#abort, { once: true });
    }
  }
  /** The call is over: stop listening, so a long-lived caller signal retains nothing of it. */
  release() {
    if (this.#listening) this.#signal?.removeEventListener("abort", this.#abort);
    this.#listening = false;
    this.#controllers = [];
  }
};
function relayingFetch(base) {
  return (input, init) => {
    const fetch = base ?? globalThis.fetch;
    const relay = init?.[relayKey];
    if (!(relay instanceof SignalRelay) || !init) return fetch(input, init);
    const { [relayKey]: _relay, signal: sdkSignal, ...rest } = init;
    const controller = new AbortController();
    if (sdkSignal) {
      if (sdkSignal.aborted) controller.abort(sdkSignal.reason);
      else sdkSignal.addEventListener("abort", () => controller.abort(sdkSignal.reason), { once: true });
    }
    relay.attach(controller);
    return fetch(input, { ...rest, signal: controller.signal });
  };
}

// src/provider/vendor-fetch.ts
var maxVendorErrorBodyBytes = 64 * 1024;
var VendorHttpFailure = class extends Error {
  status;
  headers;
  /** The body parsed as JSON, else its (bounded) text, else undefined. */
  body;
  constructor(status, headers, body) {
    super(`HTTP ${status}`);
    this.name = "VendorHttpFailure";
    this.status = status;
    this.headers = headers;
    this.body = body;
  }
};
async function readBoundedText(response, limit = maxVendorErrorBodyBytes) {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks = [];
  let length = 0;
  try {
    while (length < limit) {
      const next = await reader.read();
      if (next.done) break;
      chunks.push(next.value);
      length += next.value.length;
    }
  } finally {
    void reader.cancel().catch(() => {
    });
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, limit));
}
function parseBody(text) {
  if (text === "") return void 0;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
async function vendorFetch(fetchFunction, url, init) {
  const response = await fetchFunction(url, init);
  if (response.ok) return response;
  throw new VendorHttpFailure(response.status, response.headers, parseBody(await readBoundedText(response)));
}

// src/provider/vendor-http.ts
var undiciModule;
var sharedAgent;
function loadUndici() {
  undiciModule ??= import('undici').catch((error) => {
    undiciModule = void 0;
    throw error;
  });
  return undiciModule;
}
function vendorHttpAgent() {
  if (sharedAgent) return sharedAgent;
  const created = loadUndici().then(
    ({ Agent: UndiciAgent }) => new UndiciAgent({
      keepAliveTimeout: 1e4,
      keepAliveMaxTimeout: 6e4,
      // Vendors answer a send in well under a second; a busy host keeps a handful of sockets per vendor.
      connections: 32,
      pipelining: 1
    })
  );
  sharedAgent = created;
  created.catch(() => {
    if (sharedAgent === created) sharedAgent = void 0;
  });
  return created;
}
async function closeVendorHttpAgent() {
  const agent = sharedAgent;
  sharedAgent = void 0;
  if (!agent) return;
  const opened = await agent.catch(() => void 0);
  await opened?.close();
}
var VendorTransportFailure = class extends Error {
  requestSent;
  constructor(cause, requestSent) {
    super(requestSent ? "Request failed after it was sent" : "Request failed before it was sent", { cause });
    this.name = "VendorTransportFailure";
    this.requestSent = requestSent;
  }
};
function dispatchRequest(dispatcher, request) {
  const url = new URL(request.url);
  const signal = request.signal;
  return new Promise((resolve, reject) => {
    let sent = false;
    let settled = false;
    let abortRequest;
    let status = 0;
    const headers = new Headers();
    const chunks = [];
    const onAbort = () => abortRequest?.(signal?.reason instanceof Error ? signal.reason : new Error("Aborted"));
    const finish = (outcome) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      outcome();
    };
    const handler = {
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
        finish(() => resolve({ status, headers, text: Buffer.concat(chunks).toString("utf8") }));
      },
      onError(error) {
        finish(() => reject(new VendorTransportFailure(error, sent || status !== 0)));
      }
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      dispatcher.dispatch(
        {
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: request.method,
          headers: request.headers,
          body: request.body
        },
        handler
      );
    } catch (error) {
      finish(() => reject(new VendorTransportFailure(error, false)));
    }
  });
}
var beforeSendCodes = /* @__PURE__ */ new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT"
]);
function errorCodeOf(error, depth = 0) {
  if (depth > 4 || typeof error !== "object" || error === null) return void 0;
  const code = error.code;
  if (typeof code === "string") return code;
  return errorCodeOf(error.cause, depth + 1);
}
async function fetchRequest(fetchFunction, request) {
  let response;
  try {
    response = await fetchFunction(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: request.signal
    });
  } catch (error) {
    const code = errorCodeOf(error);
    throw new VendorTransportFailure(error, !(code && beforeSendCodes.has(code)));
  }
  try {
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch (error) {
    throw new VendorTransportFailure(error, true);
  }
}
async function vendorHttpRequest(transport, request, context) {
  if (request.signal?.aborted) {
    throw toPatchbayError(request.signal.reason, { ...context, signal: request.signal });
  }
  try {
    return transport.fetch ? await fetchRequest(transport.fetch, request) : await dispatchRequest(transport.dispatcher ?? await vendorHttpAgent(), request);
  } catch (caught) {
    const failure = caught instanceof VendorTransportFailure ? caught : void 0;
    const base = toPatchbayError(failure?.cause ?? caught, { ...context, signal: request.signal });
    const outcomeUnknown = request.method !== "GET" && (failure?.requestSent ?? true);
    if (!outcomeUnknown) throw base;
    throw new PatchbayError({
      ...base.toOptions(),
      // A socket error after the request left is not a plain connection failure: the vendor may have acted.
      message: `${base.message}; the request had been sent, so the vendor may have accepted it`,
      outcomeUnknown: true
    });
  }
}
function parseJson(text) {
  if (!text) return void 0;
  try {
    return JSON.parse(text);
  } catch {
    return void 0;
  }
}

export { ClientCache, SignalRelay, VendorHttpFailure, VendorTransportFailure, closeVendorHttpAgent, collectBytes, defineProviderFactory, fernFetch, fernHttpFailure, fernTimeoutSeconds, lazySdk, maxVendorErrorBodyBytes, missingSdkError, noTimeout, parseBody, parseJson, readBoundedText, relayingFetch, scrubError, transportFailureOf, transportFailureStatus, vendorFetch, vendorHttpAgent, vendorHttpRequest };
//# sourceMappingURL=index.js.map
//# sourceMappingURL=index.js.map