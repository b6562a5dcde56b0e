import { LruMap } from './chunk-KWNWYJ7G.js';
import { schemaOnFirstUse, policyOf } from './chunk-EFFKKI2Q.js';
import { PatchbayError, redactConfig, rememberSecrets, secretValuesOf, scrubSecrets, Secret, redactedText } from './chunk-JE5GE6TU.js';
import { z } from 'zod';

// src/errors/normalize-error.ts
var connectionCodes = /* @__PURE__ */ new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_CLOSED",
  "ERR_STREAM_PREMATURE_CLOSE"
]);
function findCode(error, depth = 0) {
  if (depth > 4 || typeof error !== "object" || error === null) return void 0;
  const code = error.code;
  if (typeof code === "string" && connectionCodes.has(code)) return code;
  return findCode(error.cause, depth + 1);
}
function toPatchbayError(error, context = {}) {
  if (PatchbayError.isInstance(error)) {
    return context.provider && !error.provider ? error.withProvider(context.provider, context.vendor) : error;
  }
  const base = { provider: context.provider, vendor: context.vendor, cause: error };
  const name = typeof error === "object" && error !== null ? error.name : void 0;
  if (context.signal?.aborted) {
    const reason = context.signal.reason;
    if (reason?.name === "TimeoutError") return new PatchbayError({ ...base, code: "timeout", message: "Timed out" });
    return new PatchbayError({ ...base, code: "aborted", message: "Aborted by the caller" });
  }
  if (name === "TimeoutError") return new PatchbayError({ ...base, code: "timeout", message: "Timed out" });
  if (name === "AbortError") return new PatchbayError({ ...base, code: "aborted", message: "Aborted" });
  const socketCode = findCode(error);
  if (socketCode) {
    return new PatchbayError({ ...base, code: "connection", message: `Connection failed (${socketCode})` });
  }
  if (error instanceof TypeError && /fetch failed|network|socket/i.test(error.message)) {
    return new PatchbayError({ ...base, code: "connection", message: "Connection failed" });
  }
  return new PatchbayError({
    ...base,
    code: "unknown",
    message: `Unexpected failure (${typeof name === "string" ? name : typeof error})`
  });
}

// src/routing/signals.ts
function timeoutReason(message) {
  return new DOMException(message, "TimeoutError");
}
function linkSignal(...parents) {
  const controller = new AbortController();
  let timer;
  const unlinks = [];
  for (const parent of parents) {
    if (!parent) continue;
    if (parent.aborted) {
      controller.abort(parent.reason);
      break;
    }
    const onAbort = () => controller.abort(parent.reason);
    parent.addEventListener("abort", onAbort, { once: true });
    unlinks.push(() => parent.removeEventListener("abort", onAbort));
  }
  const clearTimer = () => {
    if (timer !== void 0) clearTimeout(timer);
    timer = void 0;
  };
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    startTimer(ms, message) {
      clearTimer();
      if (controller.signal.aborted) return;
      timer = setTimeout(() => controller.abort(timeoutReason(message)), ms);
    },
    clearTimer,
    dispose() {
      clearTimer();
      for (const unlink of unlinks) unlink();
      unlinks.length = 0;
    }
  };
}
function raceSignal(promise, signal) {
  if (signal.aborted) {
    promise.catch(() => {
    });
    return Promise.reject(signal.reason);
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {
      });
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      }
    );
  });
}
function sleep(ms, signal) {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
var TimeoutQueue = class {
  #heap = [];
  #timer;
  #armedFor = Number.POSITIVE_INFINITY;
  get size() {
    return this.#heap.length;
  }
  /** @internal */
  add(guard, now) {
    const heap = this.#heap;
    guard.heapIndex = heap.length;
    heap.push(guard);
    this.#up(guard.heapIndex);
    if (guard.expiresAt < this.#armedFor) this.#arm(guard.expiresAt, now);
  }
  /** @internal */
  remove(guard) {
    const index = guard.heapIndex;
    if (index < 0) return;
    guard.heapIndex = -1;
    const heap = this.#heap;
    const last = heap.pop();
    if (index < heap.length) {
      heap[index] = last;
      last.heapIndex = index;
      this.#down(index);
      this.#up(last.heapIndex);
    }
    if (heap.length === 0) this.close();
  }
  close() {
    if (this.#timer !== void 0) clearTimeout(this.#timer);
    this.#timer = void 0;
    this.#armedFor = Number.POSITIVE_INFINITY;
  }
  #arm(at, now) {
    if (this.#timer !== void 0) clearTimeout(this.#timer);
    this.#armedFor = at;
    this.#timer = setTimeout(this.#onTimer, Math.max(0, at - now));
  }
  #onTimer = () => {
    this.#timer = void 0;
    this.#armedFor = Number.POSITIVE_INFINITY;
    const heap = this.#heap;
    const now = Date.now();
    while (heap.length > 0 && heap[0].expiresAt <= now) {
      const due = heap[0];
      this.remove(due);
      due.expire();
    }
    if (heap.length > 0 && this.#timer === void 0) this.#arm(heap[0].expiresAt, Date.now());
  };
  #up(start) {
    const heap = this.#heap;
    let index = start;
    const item = heap[index];
    while (index > 0) {
      const parentIndex = index - 1 >> 1;
      const parent = heap[parentIndex];
      if (parent.expiresAt <= item.expiresAt) break;
      heap[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    heap[index] = item;
    item.heapIndex = index;
  }
  #down(start) {
    const heap = this.#heap;
    const length = heap.length;
    let index = start;
    const item = heap[index];
    for (; ; ) {
      let child = 2 * index + 1;
      if (child >= length) break;
      const right = child + 1;
      if (right < length && heap[right].expiresAt < heap[child].expiresAt)
        child = right;
      const smaller = heap[child];
      if (smaller.expiresAt >= item.expiresAt) break;
      heap[index] = smaller;
      smaller.heapIndex = index;
      index = child;
    }
    heap[index] = item;
    item.heapIndex = index;
  }
};
var AttemptGuard = class {
  /** @internal `Date.now()` at which the attempt times out (queue order). */
  expiresAt = Number.POSITIVE_INFINITY;
  /** @internal Position in the queue's heap; -1 when not queued. */
  heapIndex = -1;
  #controller;
  #aborted = false;
  #handedOver = false;
  #reason;
  #queue;
  #timeoutName = "";
  #timeoutMs;
  #timeoutIsDeadline = false;
  #caller;
  #onCallerAbort;
  #reject;
  #rejecters;
  /**
   * `timeoutMs` undefined: no timeout (only the caller's signal ends the attempt). A timeout's message is built
   * only when it fires: `deadline` names the route `name` and its `ms` deadline, else the provider `name` and
   * its `ms` attempt timeout. `now` is `Date.now()`, passed in when the caller has just read it.
   */
  constructor(caller, timeoutMs, queue, name = "", ms = void 0, deadline = false, now = Date.now()) {
    this.#queue = queue;
    if (caller) {
      if (caller.aborted) {
        this.#fire(caller.reason);
      } else {
        this.#caller = caller;
        this.#onCallerAbort = () => this.#fire(caller.reason);
        caller.addEventListener("abort", this.#onCallerAbort, { once: true });
      }
    }
    if (timeoutMs !== void 0 && !this.#aborted) {
      this.#timeoutName = name;
      this.#timeoutMs = ms;
      this.#timeoutIsDeadline = deadline;
      if (timeoutMs <= 0) this.expire();
      else if (queue) {
        this.expiresAt = now + timeoutMs;
        queue.add(this, now);
      }
    }
  }
  get aborted() {
    return this.#aborted;
  }
  get reason() {
    return this.#reason;
  }
  /** The signal handed to the adapter: aborts when the attempt times out or the caller aborts. */
  get signal() {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }
  /** Settles with the promise, or rejects with the abort reason as soon as the attempt is aborted. */
  race(promise) {
    if (this.#aborted) {
      promise.catch(() => {
      });
      return Promise.reject(this.#reason);
    }
    return new Promise((resolve, reject) => {
      if (this.#reject === void 0) this.#reject = reject;
      else (this.#rejecters ??= []).push(reject);
      promise.then(resolve, reject);
    });
  }
  /** Whether `handOver()` was called: the result now belongs to the caller, who disposes of the guard. */
  get handedOver() {
    return this.#handedOver;
  }
  /** Stops the timeout; the caller's signal still applies (a stream or session now belongs to the caller). */
  handOver() {
    this.#handedOver = true;
    this.#stopTimeout();
  }
  /** Stops the timeout and unlinks from the caller's signal. */
  dispose() {
    this.#stopTimeout();
    if (this.#onCallerAbort) this.#caller?.removeEventListener("abort", this.#onCallerAbort);
  }
  #stopTimeout() {
    if (this.heapIndex >= 0) this.#queue?.remove(this);
    this.#reject = void 0;
    this.#rejecters = void 0;
  }
  /** @internal The timeout is due (called by the queue). */
  expire() {
    const ms = this.#timeoutMs;
    const name = this.#timeoutName;
    this.#fire(
      timeoutReason(
        this.#timeoutIsDeadline ? `Route "${name}" exceeded its ${ms} ms deadline` : `Attempt on provider "${name}" exceeded ${ms} ms`
      )
    );
  }
  #fire(reason) {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#queue?.remove(this);
    this.#controller?.abort(reason);
    const reject = this.#reject;
    const rejecters = this.#rejecters;
    this.#reject = void 0;
    this.#rejecters = void 0;
    reject?.(reason);
    if (rejecters) for (const other of rejecters) other(reason);
  }
};

// src/config/zod-issues.ts
function describeIssues(error, prefix = []) {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join(".") || "(root)",
    message: issue.message
  }));
}
function invalidFieldsError(what, issues, provider) {
  const listed = issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
  return new PatchbayError({
    code: "invalid_request",
    message: `Invalid ${what} \u2014 ${listed}`,
    provider,
    details: { issues }
  });
}

// src/config/settings-cell.ts
function isPlainObject(value) {
  if (typeof value !== "object" || value === null || Array.isArray(value) || Secret.isInstance(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
function mergePatch(base, patch) {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch;
  const merged = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === void 0) continue;
    if (value === null) delete merged[key];
    else merged[key] = mergePatch(base[key], value);
  }
  return merged;
}
function deepFreeze(value) {
  if (isPlainObject(value) || Array.isArray(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
var SettingsCell = class {
  #current;
  #schema;
  #what;
  constructor(schema, initial, what = "settings") {
    this.#schema = schema;
    this.#what = what;
    this.#current = this.#validate(initial);
  }
  get current() {
    return this.#current;
  }
  /** Validates the merged result; on any issue throws and keeps the old settings. */
  update(patch) {
    const next = this.#validate(mergePatch(this.#current, patch));
    this.#current = next;
    return next;
  }
  /** Replaces the settings wholesale (validated the same way). */
  replace(value) {
    const next = this.#validate(value);
    this.#current = next;
    return next;
  }
  #validate(value) {
    const parsed = this.#schema.safeParse(value);
    if (!parsed.success) throw invalidFieldsError(this.#what, describeIssues(parsed.error));
    return deepFreeze(parsed.data);
  }
};

// src/credentials/credential-resolver.ts
var defaultCredentialCacheMaxTenants = 1e4;
var inspect = /* @__PURE__ */ Symbol.for("nodejs.util.inspect.custom");
function guarded(values) {
  Object.defineProperty(values, "toJSON", { value: () => redactedText, enumerable: false });
  Object.defineProperty(values, inspect, { value: () => `Credentials(${redactedText})`, enumerable: false });
  return Object.freeze(values);
}
function plain(value) {
  if (value === void 0) return void 0;
  const text = Secret.isInstance(value) ? value.reveal() : value;
  return text === "" ? void 0 : text;
}
var CredentialResolver = class {
  #options;
  #cache;
  #unsubscribe;
  /** The last successful resolution: most calls resolve the same values from the same sources again. */
  #last;
  constructor(options) {
    this.#options = options;
    this.#cache = new LruMap(options.cacheMaxTenants ?? defaultCredentialCacheMaxTenants);
  }
  /** How many tenants' store answers are cached now (bounded by `cacheMaxTenants`). */
  get cachedTenants() {
    return this.#cache.size;
  }
  /** Stops listening to the store's change events. */
  dispose() {
    this.#unsubscribe?.();
    this.#unsubscribe = void 0;
    this.#cache.clear();
    this.#last = void 0;
  }
  get spec() {
    return this.#options.spec;
  }
  /** Drops cached store answers (for one tenant, or all). */
  invalidate(tenant) {
    if (tenant === void 0) this.#cache.clear();
    else this.#cache.delete(tenant);
  }
  async resolve(options) {
    const { spec, provider } = this.#options;
    const stored = options.tenant === void 0 ? void 0 : await this.#fromStore(options.tenant);
    const env = this.#options.env === false ? void 0 : this.#options.env ?? process.env;
    const candidate = {};
    const sources = {};
    const policy = {};
    const ignored = [];
    for (const field of spec.fields) {
      const supplier = policyOf(spec, field);
      policy[field] = supplier;
      const explicit = plain(options.explicit?.[field]);
      if (explicit !== void 0) {
        candidate[field] = explicit;
        sources[field] = "explicit";
        continue;
      }
      const fromStore = plain(stored?.[field]);
      if (fromStore !== void 0) {
        if (supplier === "platform") ignored.push(field);
        else {
          candidate[field] = fromStore;
          sources[field] = "tenant-store";
          continue;
        }
      }
      if (supplier === "tenant") continue;
      for (const name of spec.env[field] ?? []) {
        const fromEnv = plain(env?.[name]);
        if (fromEnv !== void 0) {
          candidate[field] = fromEnv;
          sources[field] = "environment";
          break;
        }
      }
    }
    const last = this.#last;
    if (last && this.#sameAsLast(last, candidate, sources, ignored)) return last.result;
    const parsed = spec.schema.safeParse(candidate);
    if (!parsed.success) {
      const issues = describeIssues(parsed.error);
      const missing = issues.filter((issue) => candidate[issue.path] === void 0).map((issue) => issue.path);
      const tenantOnly = missing.filter((field) => policy[field] === "tenant");
      const invalid = issues.filter((issue) => candidate[issue.path] !== void 0);
      throw new PatchbayError({
        code: "not_configured",
        provider,
        message: `Credentials for provider "${provider}" are not configured` + (missing.length ? `; missing: ${missing.join(", ")}` : "") + (invalid.length ? `; invalid: ${invalid.map((issue) => `${issue.path} (${issue.message})`).join(", ")}` : "") + (tenantOnly.length ? `; supplied per tenant only (never from the environment): ${tenantOnly.join(", ")}` : "") + (ignored.length ? `; platform-only, ignored in the tenant store: ${ignored.join(", ")}` : "") + ` (tried ${this.describeSources(options.tenant).join(", ")})`,
        details: { missing, invalid, sourcesTried: this.describeSources(options.tenant), policy, ignored }
      });
    }
    const result = {
      values: guarded({ ...parsed.data }),
      sources: Object.freeze(sources),
      policy: Object.freeze(policy),
      ignored: Object.freeze(ignored)
    };
    this.#last = { candidate, result };
    return result;
  }
  /** Same values from the same sources, and the same platform-only fields ignored: the same (frozen) answer. */
  #sameAsLast(last, candidate, sources, ignored) {
    for (const field of this.#options.spec.fields) {
      if (last.candidate[field] !== candidate[field] || last.result.sources[field] !== sources[field]) return false;
    }
    const lastIgnored = last.result.ignored ?? [];
    return lastIgnored.length === ignored.length && ignored.every((field, index) => lastIgnored[index] === field);
  }
  /** The sources a resolution walks, for messages: names only, never values. */
  describeSources(tenant) {
    const tried = ["explicit settings"];
    if (this.#options.store && tenant !== void 0) tried.push(`tenant store (tenant "${tenant}")`);
    if (this.#options.env !== false) {
      const names = Object.values(this.#options.spec.env).flat();
      tried.push(names.length ? `environment (${names.join(", ")})` : "environment");
    }
    return tried;
  }
  async #fromStore(tenant) {
    const store = this.#options.store;
    if (!store) return void 0;
    const ttl = this.#options.cacheTtlMs ?? 5e3;
    if (ttl > 0) {
      const cached = this.#cache.get(tenant);
      if (cached && cached.expires > Date.now()) return cached.values;
      this.#unsubscribe ??= store.subscribe?.((change) => {
        if (change.provider === this.#options.provider) this.#cache.delete(change.tenant);
      });
    }
    const values = await store.get(tenant, this.#options.provider);
    if (ttl > 0) this.#cache.set(tenant, { values, expires: Date.now() + ttl });
    return values;
  }
};

// src/provider/abstract-provider.ts
var AbstractProvider = class {
  specificationVersion = "v1";
  id;
  vendor;
  // Private fields: the runtime holds the environment, which must never print with the provider.
  #runtime;
  #credentialResolver;
  #cell;
  #secretFields;
  #settingsSchema;
  /** Settings snapshots whose secret values are already remembered. */
  #remembered = /* @__PURE__ */ new WeakSet();
  constructor(init) {
    this.id = init.id;
    this.vendor = init.vendor;
    this.#runtime = init.runtime ?? {};
    this.#cell = new SettingsCell(init.schema, init.settings, `settings of provider "${init.id}"`);
    this.#settingsSchema = init.schema;
    this.#secretFields = /* @__PURE__ */ new Set([...init.credentials.secret, ...init.secretSettings ?? []]);
    this.#credentialResolver = new CredentialResolver({
      provider: init.id,
      spec: init.credentials,
      store: this.#runtime.credentialStore,
      env: this.#runtime.env
    });
  }
  /**
   * Releases what the instance holds outside itself (its subscription to the credential store's
   * changes, its cached store answers). Patchbay calls it when configuration replaces or drops the
   * instance; calls still in flight finish normally.
   */
  dispose() {
    this.#credentialResolver.dispose();
  }
  /** Host-provided hooks (credential store, environment, fetch). */
  get runtime() {
    return this.#runtime;
  }
  get credentialResolver() {
    return this.#credentialResolver;
  }
  /** The adapter's settings schema (the provider catalogue renders it as JSON Schema). */
  get settingsSchema() {
    return this.#settingsSchema;
  }
  /** The current settings snapshot. Read it once per call and pass it down. */
  get settings() {
    return this.#cell.current;
  }
  /** The settings as they may be shown: redacted by the one rule of `redactConfig`. */
  getConfig() {
    return redactConfig(
      { id: this.id, vendor: this.vendor, kind: this.kind, ...this.#cell.current },
      this.#secretFields
    );
  }
  async updateConfig(patch) {
    try {
      this.#cell.update(patch);
    } catch (error) {
      throw this.toError(error);
    }
  }
  /** What the provider shows of itself when serialised or inspected: its redacted config, nothing else. */
  toJSON() {
    return this.getConfig();
  }
  [/* @__PURE__ */ Symbol.for("nodejs.util.inspect.custom")]() {
    return `${this.constructor.name} ${JSON.stringify(this.getConfig())}`;
  }
  /** Resolves credentials for one call, from the explicit values in its settings snapshot. */
  async resolveCredentials(settings, options = {}) {
    if (!this.#remembered.has(settings)) {
      rememberSecrets(secretValuesOf(settings, this.#secretFields));
      this.#remembered.add(settings);
    }
    const explicit = {};
    for (const field of this.credentialResolver.spec.fields) {
      explicit[field] = settings[field];
    }
    const credentials = await this.credentialResolver.resolve({ tenant: options.tenant, explicit });
    rememberSecrets(this.knownSecrets(credentials));
    return credentials;
  }
  /** The revealed values of the secret credential fields, for `scrubText` on vendor text. */
  knownSecrets(credentials) {
    if (!credentials) return [];
    const values = [];
    for (const field of this.credentialResolver.spec.secret) {
      const value = credentials.values[field];
      if (typeof value === "string") values.push(value);
    }
    return values;
  }
  /** Normalises any failure to a PatchbayError attributed to this provider. */
  toError(error, signal) {
    return toPatchbayError(error, { provider: this.id, vendor: this.vendor, signal });
  }
  async test(options = {}) {
    const started = performance.now();
    const settings = this.settings;
    let credentials;
    try {
      credentials = await this.resolveCredentials(settings, options);
      const check = await this.checkConnection({ settings, credentials, signal: options.signal });
      return {
        status: "connected",
        healthy: true,
        message: scrubSecrets(check.message ?? `Connected to ${this.vendor}`, this.knownSecrets(credentials)),
        latencyMs: Math.round(performance.now() - started),
        details: {
          ...redactConfig(check.details ?? {}),
          credentialSources: credentials.sources,
          credentialPolicy: credentials.policy,
          ...credentials.ignored?.length ? { ignoredTenantCredentials: credentials.ignored } : {}
        },
        checkedAt: (/* @__PURE__ */ new Date()).toISOString()
      };
    } catch (caught) {
      const error = this.toError(caught, options.signal);
      return {
        status: error.code === "not_configured" ? "not_configured" : "error",
        healthy: false,
        // An adapter may have missed its own key in the vendor's text; this provider knows it.
        message: scrubSecrets(error.message, this.knownSecrets(credentials)),
        code: error.code,
        latencyMs: Math.round(performance.now() - started),
        details: error.details,
        checkedAt: (/* @__PURE__ */ new Date()).toISOString()
      };
    }
  }
};

// src/requests/request-error.ts
function checkRequest(schema, request, what) {
  const checked = schema.safeParse(request);
  if (!checked.success) throw invalidFieldsError(what, describeIssues(checked.error));
}

// src/requests/language-model-request.ts
var languageModelRequestSchema = schemaOnFirstUse(() => {
  const bytes = z.instanceof(Uint8Array);
  const textPart = z.object({ type: z.literal("text"), text: z.string() });
  const imagePart = z.object({
    type: z.literal("image"),
    image: z.union([z.string().min(1), bytes]),
    mimeType: z.string().optional()
  });
  const toolCallPart = z.object({
    type: z.literal("tool-call"),
    toolCallId: z.string().min(1),
    toolName: z.string().min(1),
    input: z.unknown()
  });
  const toolResultPart = z.object({
    type: z.literal("tool-result"),
    toolCallId: z.string().min(1),
    toolName: z.string().min(1),
    output: z.unknown(),
    isError: z.boolean().optional()
  });
  const message = z.discriminatedUnion("role", [
    z.object({ role: z.literal("system"), content: z.string() }),
    z.object({
      role: z.literal("user"),
      content: z.union([z.string(), z.array(z.discriminatedUnion("type", [textPart, imagePart]))])
    }),
    z.object({
      role: z.literal("assistant"),
      content: z.union([z.string(), z.array(z.discriminatedUnion("type", [textPart, toolCallPart]))])
    }),
    z.object({ role: z.literal("tool"), content: z.array(toolResultPart) })
  ]);
  const jsonSchema = z.record(z.string(), z.unknown());
  return z.object({
    messages: z.array(message).min(1, "at least one message is needed"),
    model: z.string().min(1).optional(),
    tools: z.array(z.object({ name: z.string().min(1), description: z.string().optional(), parameters: jsonSchema })).optional(),
    toolChoice: z.union([z.enum(["auto", "none", "required"]), z.object({ type: z.literal("tool"), toolName: z.string().min(1) })]).optional(),
    temperature: z.number().min(0).max(2).optional(),
    topP: z.number().min(0).max(1).optional(),
    maxOutputTokens: z.number().int().positive().optional(),
    stopSequences: z.array(z.string()).optional(),
    responseFormat: z.union([
      z.object({ type: z.literal("text") }),
      z.object({
        type: z.literal("json"),
        schema: jsonSchema.optional(),
        name: z.string().optional(),
        description: z.string().optional()
      })
    ]).optional(),
    providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional()
  });
});
var plainRoles = /* @__PURE__ */ new Set(["system", "user", "assistant"]);
function isPlainTextRequest(request) {
  if (typeof request !== "object" || request === null) return false;
  const candidate = request;
  const messages = candidate.messages;
  if (!Array.isArray(messages) || messages.length === 0) return false;
  let keys = 0;
  for (const key in candidate) {
    keys++;
    if (key !== "messages" && key !== "model") return false;
  }
  if (keys === 2 && !(typeof candidate.model === "string" && candidate.model.length > 0)) return false;
  for (const message of messages) {
    if (typeof message !== "object" || message === null) return false;
    const { role, content } = message;
    if (typeof content !== "string" || typeof role !== "string" || !plainRoles.has(role)) return false;
  }
  return true;
}
function validateLanguageModelRequest(request) {
  if (isPlainTextRequest(request)) return;
  checkRequest(languageModelRequestSchema(), request, "language model request");
}
var messageRequestSchema = schemaOnFirstUse(() => {
  return z.object({
    to: z.string().min(1, "a recipient is needed"),
    body: z.string().optional(),
    media: z.array(z.object({ url: z.url(), mimeType: z.string().optional(), caption: z.string().optional() })).optional(),
    from: z.string().min(1).optional(),
    statusCallbackUrl: z.url().optional(),
    idempotencyKey: z.string().min(1).max(256).optional(),
    template: z.object({
      name: z.string().min(1),
      language: z.string().min(1),
      parameters: z.array(z.string()).optional(),
      components: z.array(z.unknown()).optional()
    }).optional(),
    defaultCountry: z.string().length(2).optional(),
    providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional()
  }).refine((message) => message.body !== void 0 || message.media?.length || message.template, {
    message: "a message needs a body, media or a template",
    path: ["body"]
  });
});
function validateMessageRequest(request) {
  checkRequest(messageRequestSchema(), request, "message");
}
var audioEncodings = [
  "mp3",
  "wav",
  "pcm_s16le",
  "mulaw",
  "alaw",
  "opus",
  "flac",
  "aac",
  "webm",
  "ogg"
];
var speechRequestSchema = schemaOnFirstUse(() => {
  const audioFormatSchema = z.object({
    encoding: z.enum(audioEncodings),
    sampleRate: z.number().int().positive().max(384e3).optional(),
    channels: z.number().int().min(1).max(8).optional()
  });
  return z.object({
    text: z.string().min(1, "text to speak is needed"),
    voice: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    format: audioFormatSchema.optional(),
    speed: z.number().positive().max(10).optional(),
    language: z.string().min(1).optional(),
    providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional()
  });
});
function validateSpeechRequest(request) {
  checkRequest(speechRequestSchema(), request, "speech request");
}
var transcriptionRequestSchema = schemaOnFirstUse(() => {
  const audioSource = z.custom(
    (value) => value instanceof Uint8Array || typeof value === "object" && value !== null && (typeof value.url === "string" || typeof value[Symbol.asyncIterator] === "function"),
    "audio must be bytes (Uint8Array), an async iterable of bytes, or { url }"
  );
  return z.object({
    audio: audioSource,
    mimeType: z.string().min(1).optional(),
    language: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    punctuate: z.boolean().optional(),
    diarize: z.boolean().optional(),
    keywords: z.array(z.string()).optional(),
    providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional()
  });
});
function validateTranscriptionRequest(request) {
  checkRequest(transcriptionRequestSchema(), request, "transcription request");
}

export { AbstractProvider, AttemptGuard, TimeoutQueue, invalidFieldsError, linkSignal, mergePatch, raceSignal, sleep, timeoutReason, toPatchbayError, validateLanguageModelRequest, validateMessageRequest, validateSpeechRequest, validateTranscriptionRequest };
//# sourceMappingURL=chunk-373R6TVW.js.map
//# sourceMappingURL=chunk-373R6TVW.js.map