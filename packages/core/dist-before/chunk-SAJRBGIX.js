import { InMemoryLimitStore } from './chunk-M7DSVO2L.js';
import { linkSignal, raceSignal, invalidFieldsError, mergePatch, TimeoutQueue, toPatchbayError, AttemptGuard, timeoutReason, AbstractProvider, sleep, validateSpeechRequest, validateMessageRequest, validateTranscriptionRequest, validateLanguageModelRequest } from './chunk-373R6TVW.js';
import { LruMap } from './chunk-KWNWYJ7G.js';
import { lazySchema, policyOf } from './chunk-EFFKKI2Q.js';
import { errorCodes, Secret, PatchbayError, healthCodes, redactConfig, AllProvidersFailedError } from './chunk-JE5GE6TU.js';
import { randomBytes, createHmac } from 'crypto';
import { z } from 'zod';
import pRetry from 'p-retry';

var maxDepth = 64;
function canonical(value, depth = 0) {
  if (depth > maxDepth) return '"(too deep)"';
  if (Secret.isInstance(value)) return JSON.stringify(value.reveal());
  if (value === null || typeof value !== "object") {
    if (value === void 0 || typeof value === "function" || typeof value === "symbol") return "null";
    if (typeof value === "bigint") return JSON.stringify(value.toString());
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item, depth + 1)).join(",")}]`;
  const entries = Object.keys(value).filter((key) => value[key] !== void 0).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key], depth + 1)}`);
  return `{${entries.join(",")}}`;
}
function createFingerprinter(key) {
  let bytes;
  if (key === void 0) bytes = randomBytes(32);
  else {
    bytes = Buffer.from(Secret.isInstance(key) ? key.reveal() : key);
    if (bytes.length < 16)
      throw new PatchbayError({
        code: "invalid_request",
        message: "audit.fingerprintKey: must be at least 16 bytes",
        details: { issues: [{ path: "audit.fingerprintKey", message: "must be at least 16 bytes" }] }
      });
  }
  return (value) => value === void 0 ? null : createHmac("sha256", bytes).update(canonical(value)).digest("hex");
}

// src/metering/in-memory-usage-aggregator.ts
var InMemoryUsageAggregator = class {
  #rows = /* @__PURE__ */ new Map();
  // tenant → provider → model → unit → row; the string-keyed map above serves listing only.
  #index = /* @__PURE__ */ new Map();
  #maxKeys;
  #dropped = 0;
  constructor(options = {}) {
    this.#maxKeys = options.maxKeys ?? 1e4;
  }
  /** Bound, so it can be passed around as a sink. */
  record = (record) => {
    let row = this.#index.get(record.tenant)?.get(record.provider)?.get(record.model)?.get(record.unit);
    if (!row) {
      if (this.#rows.size >= this.#maxKeys) {
        this.#dropped++;
        return;
      }
      let byProvider = this.#index.get(record.tenant);
      if (!byProvider) this.#index.set(record.tenant, byProvider = /* @__PURE__ */ new Map());
      let byModel = byProvider.get(record.provider);
      if (!byModel) byProvider.set(record.provider, byModel = /* @__PURE__ */ new Map());
      let byUnit = byModel.get(record.model);
      if (!byUnit) byModel.set(record.model, byUnit = /* @__PURE__ */ new Map());
      row = {
        tenant: record.tenant,
        kind: record.kind,
        provider: record.provider,
        vendor: record.vendor,
        model: record.model,
        unit: record.unit,
        quantity: 0,
        cost: 0,
        currency: record.currency,
        records: 0,
        failures: 0,
        totalLatencyMs: 0
      };
      byUnit.set(record.unit, row);
      this.#rows.set(
        `${record.tenant ?? ""}\0${record.provider}\0${record.model ?? ""}\0${record.unit}`,
        row
      );
    }
    row.quantity += record.quantity;
    const cost = record.cost ?? (record.quantity === 0 ? 0 : null);
    row.cost = row.cost === null || cost === null ? null : row.cost + cost;
    row.currency ??= record.currency;
    row.records++;
    if (record.outcome !== "success") row.failures++;
    row.totalLatencyMs += record.latencyMs;
  };
  get size() {
    return this.#rows.size;
  }
  get droppedRecords() {
    return this.#dropped;
  }
  /** Rows, optionally for one tenant; copies, safe to serialise. */
  rows(filter = {}) {
    const rows = [];
    for (const row of this.#rows.values()) {
      if (filter.tenant !== void 0 && row.tenant !== filter.tenant) continue;
      if (filter.provider !== void 0 && row.provider !== filter.provider) continue;
      rows.push({ ...row });
    }
    return rows;
  }
  /** Total cost per provider; `null` where any of its usage has no known price. */
  costByProvider(filter = {}) {
    const totals = {};
    for (const row of this.rows(filter)) {
      const previous = totals[row.provider];
      totals[row.provider] = previous === null || row.cost === null ? null : (previous ?? 0) + row.cost;
    }
    return totals;
  }
  reset() {
    this.#rows.clear();
    this.#index.clear();
    this.#dropped = 0;
  }
};

// src/metering/price-table.ts
var PriceTable = class {
  #entries;
  // provider → model → unit: nested maps, so the hot path builds no key strings.
  #cache = /* @__PURE__ */ new Map();
  constructor(entries) {
    this.#entries = entries;
  }
  /** Provider ids are unique per configuration, so the vendor need not be part of the cache key. */
  lookup(query) {
    return this.unitPrice(query.provider, query.vendor, query.model, query.unit);
  }
  /** `lookup` without a query object: what the meter calls for every unit of every attempt. */
  unitPrice(provider, vendor, model, unit) {
    let byModel = this.#cache.get(provider);
    if (!byModel) this.#cache.set(provider, byModel = /* @__PURE__ */ new Map());
    let byUnit = byModel.get(model);
    if (!byUnit) {
      if (byModel.size >= 1e3) return this.#find({ provider, vendor, model, unit });
      byModel.set(model, byUnit = /* @__PURE__ */ new Map());
    }
    const cached = byUnit.get(unit);
    if (cached !== void 0) return cached;
    const found = this.#find({ provider, vendor, model, unit });
    byUnit.set(unit, found);
    return found;
  }
  cost(query, quantity) {
    const price = this.lookup(query);
    return price ? { cost: quantity * price.price, currency: price.currency } : { cost: null, currency: null };
  }
  #find(query) {
    let best;
    let bestScore = -1;
    for (const entry of this.#entries) {
      if (entry.unit !== query.unit) continue;
      if (entry.provider !== void 0 && entry.provider !== query.provider) continue;
      if (entry.vendor !== void 0 && entry.vendor !== query.vendor) continue;
      if (entry.model !== void 0 && entry.model !== query.model) continue;
      if (entry.provider === void 0 && entry.vendor === void 0) continue;
      const score = (entry.provider !== void 0 ? 4 : 0) + (entry.model !== void 0 ? 2 : 0) + (entry.vendor !== void 0 ? 1 : 0);
      if (score > bestScore) {
        best = entry;
        bestScore = score;
      }
    }
    return best ? { price: best.price / best.per, currency: best.currency } : null;
  }
};

// src/health/status-hooks.ts
var patchbayStatusHooks = /* @__PURE__ */ Symbol.for("patchbay.status-hooks");
var defaultMaxPending = 1e3;
var processTag;
var sequence = 0;
function recordId(now) {
  sequence = (sequence + 1) % 1e10;
  processTag ??= randomBytes(3).toString("hex");
  return `${String(now).padStart(15, "0")}-${String(sequence).padStart(10, "0")}-${processTag}`;
}
var AuditTrail = class {
  #sinks;
  #pending;
  #maxPending;
  #errors;
  #fingerprint;
  constructor(options, errors) {
    this.#sinks = [...options.sinks];
    this.#pending = this.#sinks.map(() => 0);
    this.#maxPending = options.maxPendingPerSink ?? defaultMaxPending;
    this.#errors = errors;
    this.#fingerprint = createFingerprinter(options.fingerprintKey);
  }
  fingerprint(value) {
    return this.#fingerprint(value);
  }
  record(entry) {
    const now = Date.now();
    const record = Object.freeze({
      id: recordId(now),
      at: new Date(now).toISOString(),
      actor: entry.actor ?? null,
      tenant: entry.tenant ?? null,
      provider: entry.provider ?? null,
      route: entry.route ?? null,
      action: entry.action,
      outcome: entry.outcome ?? "success",
      fields: Object.freeze([...entry.fields ?? []]),
      before: this.#fingerprint(entry.before),
      after: this.#fingerprint(entry.after),
      ...entry.detail === void 0 ? {} : { detail: entry.detail }
    });
    for (let index = 0; index < this.#sinks.length; index++)
      this.#deliver(this.#sinks[index], index, record);
    return record;
  }
  #deliver(sink, index, record) {
    if (this.#pending[index] >= this.#maxPending) {
      this.#errors.report({
        source: "audit-queue-overflow",
        error: new Error(`Audit sink ${index} has ${this.#maxPending} records in flight; record ${record.id} dropped`),
        sink: index,
        dropped: 1
      });
      return;
    }
    try {
      const pending = sink.record(record);
      if (pending && typeof pending.then === "function") {
        this.#pending[index] = this.#pending[index] + 1;
        pending.then(
          () => {
            this.#pending[index] = this.#pending[index] - 1;
          },
          (error) => {
            this.#pending[index] = this.#pending[index] - 1;
            this.#errors.report({ source: "audit-sink", error, sink: index });
          }
        );
      }
    } catch (error) {
      this.#errors.report({ source: "audit-sink", error, sink: index });
    }
  }
};

// src/config/same-value.ts
function sameValue(a, b) {
  if (a === b) return true;
  if (Secret.isInstance(a) || Secret.isInstance(b)) {
    if (Secret.isInstance(a)) return typeof b === "string" || Secret.isInstance(b) ? a.equals(b) : false;
    return typeof a === "string" && b.equals(a);
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (const key of keysA) {
    if (!Object.hasOwn(b, key)) return false;
    if (!sameValue(a[key], b[key])) return false;
  }
  return true;
}
function copyConfigValue(value, path = "(root)", depth = 0) {
  if (depth > 64)
    throw invalidFieldsError("Patchbay configuration", [{ path, message: "nested too deeply (a cycle?)" }]);
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      throw invalidFieldsError("Patchbay configuration", [{ path, message: `numbers must be finite` }]);
    return value;
  }
  if (Secret.isInstance(value)) return value;
  if (value === void 0) return void 0;
  if (Array.isArray(value)) return value.map((item, index) => copyConfigValue(item, `${path}.${index}`, depth + 1));
  if (typeof value === "object") {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null)
      throw invalidFieldsError("Patchbay configuration", [{ path, message: `only plain objects are allowed` }]);
    const copy = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === "__proto__")
        throw invalidFieldsError("Patchbay configuration", [
          { path: path === "(root)" ? key : `${path}.${key}`, message: '"__proto__" is reserved and cannot be a key' }
        ]);
      const copied = copyConfigValue(item, path === "(root)" ? key : `${path}.${key}`, depth + 1);
      if (copied !== void 0)
        Object.defineProperty(copy, key, { value: copied, enumerable: true, writable: true, configurable: true });
    }
    return copy;
  }
  throw invalidFieldsError("Patchbay configuration", [{ path, message: `${typeof value} is not configuration data` }]);
}

// src/audit/config-changes.ts
function isPlain(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !Secret.isInstance(value);
}
function member(record, key) {
  return isPlain(record) && Object.hasOwn(record, key) ? record[key] : void 0;
}
function changedFields(before, after, prefix = "", depth = 0) {
  if (sameValue(before, after)) return [];
  if (!isPlain(before) || !isPlain(after) || depth > 8) return [prefix || "(root)"];
  const keys = /* @__PURE__ */ new Set([...Object.keys(before), ...Object.keys(after)]);
  const fields = [];
  for (const key of [...keys].sort()) {
    fields.push(
      ...changedFields(member(before, key), member(after, key), prefix ? `${prefix}.${key}` : key, depth + 1)
    );
  }
  return fields;
}
var text = (value) => typeof value === "string" ? value : null;
var sections = [
  {
    name: "providers",
    add: "provider.add",
    change: "provider.change",
    remove: "provider.remove",
    describe: (id) => ({ provider: id })
  },
  {
    name: "routes",
    add: "route.add",
    change: "route.change",
    remove: "route.remove",
    describe: (name) => ({ route: name })
  },
  {
    name: "limits",
    add: "limits.change",
    change: "limits.change",
    remove: "limits.change",
    prefix: (name) => `limits.${name}.`,
    describe: (_name, limit) => ({
      tenant: member(limit, "tenant") === "*" ? null : text(member(limit, "tenant")),
      provider: text(member(limit, "provider")),
      route: text(member(limit, "route"))
    })
  },
  {
    name: "tenants",
    add: "config.update",
    change: "config.update",
    remove: "config.update",
    prefix: (tenant) => `tenants.${tenant}.`,
    describe: (tenant) => ({ tenant })
  }
];
function sectionChanges(section, before, after) {
  const entries = [];
  const previous = member(before, section.name);
  const next = member(after, section.name);
  const names = /* @__PURE__ */ new Set([...Object.keys(isPlain(previous) ? previous : {}), ...Object.keys(isPlain(next) ? next : {})]);
  for (const name of [...names].sort()) {
    const was = member(previous, name);
    const is = member(next, name);
    if (sameValue(was, is)) continue;
    const prefix = section.prefix?.(name) ?? "";
    entries.push({
      action: was === void 0 ? section.add : is === void 0 ? section.remove : section.change,
      ...section.describe(name, is ?? was),
      fields: changedFields(was ?? {}, is ?? {}).map((field) => prefix + field),
      before: was,
      after: is
    });
  }
  return entries;
}
function configChanges(before, after) {
  const entries = sections.flatMap((section) => sectionChanges(section, before, after));
  const rest = [];
  const others = /* @__PURE__ */ new Set([...Object.keys(isPlain(before) ? before : {}), ...Object.keys(isPlain(after) ? after : {})]);
  const restBefore = {};
  const restAfter = {};
  for (const name of [...others].sort()) {
    if (sections.some((section) => section.name === name)) continue;
    const fields = changedFields(member(before, name), member(after, name), name);
    if (!fields.length) continue;
    rest.push(...fields);
    restBefore[name] = member(before, name);
    restAfter[name] = member(after, name);
  }
  if (rest.length || entries.length === 0)
    entries.push({ action: "config.update", fields: rest, before: restBefore, after: restAfter });
  return entries;
}

// src/events/event-hub.ts
var EventHub = class {
  #listeners = /* @__PURE__ */ new Map();
  #onListenerError;
  /** `onListenerError` receives what a listener threw; without it the error is dropped. */
  constructor(options = {}) {
    this.#onListenerError = options.onListenerError;
  }
  on(type, listener) {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, set = /* @__PURE__ */ new Set());
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }
  has(type) {
    return (this.#listeners.get(type)?.size ?? 0) > 0;
  }
  /**
   * Calls every listener; one that throws is reported to `onListenerError` and
   * never reaches the caller that emitted (nor the process, as an uncaught error).
   */
  emit(type, event) {
    const set = this.#listeners.get(type);
    if (!set || set.size === 0) return;
    for (const listener of set) {
      try {
        listener(event);
      } catch (error) {
        try {
          this.#onListenerError?.(error, String(type));
        } catch {
        }
      }
    }
  }
};

// src/health/recent-outcomes.ts
var defaultRecentOutcomeWindow = 20;
var defaultRecentOutcomeKeys = 1e4;
var RecentOutcomes = class {
  #window;
  #rings;
  constructor(options = {}) {
    this.#window = options.window ?? defaultRecentOutcomeWindow;
    this.#rings = new LruMap(options.maxKeys ?? defaultRecentOutcomeKeys);
  }
  get size() {
    return this.#rings.size;
  }
  record(key, failed) {
    let ring = this.#rings.peek(key);
    if (!ring) this.#rings.set(key, ring = { failed: new Uint8Array(this.#window), next: 0, count: 0 });
    ring.failed[ring.next] = failed ? 1 : 0;
    ring.next = (ring.next + 1) % this.#window;
    if (ring.count < this.#window) ring.count++;
  }
  summary(key) {
    const ring = this.#rings.peek(key);
    if (!ring) return { calls: 0, failures: 0 };
    let failures = 0;
    for (let index = 0; index < ring.count; index++) failures += ring.failed[index];
    return { calls: ring.count, failures };
  }
  forget(key) {
    this.#rings.delete(key);
  }
};

// src/health/status-report.ts
var recentFailureRule = { minimumCalls: 3, failureShare: 0.5 };
function foldHealth(result, circuit, recent) {
  if (result.status === "not_configured") return result;
  if (circuit === "open" || circuit === "half-open") {
    return {
      ...result,
      status: "error",
      healthy: false,
      message: `Circuit ${circuit}: calls are being skipped (${result.message})`
    };
  }
  if (recent && recent.calls >= recentFailureRule.minimumCalls && recent.failures >= recent.calls * recentFailureRule.failureShare) {
    return {
      ...result,
      status: "error",
      healthy: false,
      message: `${recent.failures} of the last ${recent.calls} calls failed (${result.message})`
    };
  }
  return result;
}
function overallStatus(statuses) {
  if (statuses.includes("error")) return "degraded";
  if (statuses.includes("not_configured")) return "partial";
  return "healthy";
}
async function testWithTimeout(provider, timeoutMs, options) {
  const started = performance.now();
  const link = linkSignal(options.signal);
  link.startTimer(timeoutMs, `Health check of "${provider.id}" timed out after ${timeoutMs} ms`);
  try {
    return await raceSignal(provider.test({ ...options, signal: link.signal }), link.signal);
  } catch (error) {
    const reason = error;
    return {
      status: "error",
      healthy: false,
      message: reason?.message ?? "Health check failed",
      code: "timeout",
      latencyMs: Math.round(performance.now() - started),
      checkedAt: (/* @__PURE__ */ new Date()).toISOString()
    };
  } finally {
    link.dispose();
  }
}
async function buildStatusReport(providers, options) {
  const results = await Promise.all(
    providers.map(
      (provider) => testWithTimeout(provider, options.timeoutMs, { tenant: options.tenant, signal: options.signal })
    )
  );
  const integrations = {};
  const folded = providers.map((provider, index) => {
    const circuit = options.circuit?.(provider.id);
    const recent = options.recent?.(provider.id);
    return { circuit, recent, result: foldHealth(results[index], circuit, recent) };
  });
  providers.forEach((provider, index) => {
    const { circuit, recent, result } = folded[index];
    integrations[provider.id] = {
      status: result.status,
      message: result.message,
      healthy: result.healthy,
      details: result.details,
      kind: provider.kind,
      vendor: provider.vendor,
      latency_ms: result.latencyMs,
      circuit,
      recent_calls: recent
    };
  });
  return {
    integrations,
    overall_status: overallStatus(folded.map(({ result }) => result.status)),
    last_checked: (/* @__PURE__ */ new Date()).toISOString()
  };
}

// src/spec/provider.ts
var providerKinds = ["llm", "tts", "stt", "sms", "whatsapp"];

// src/routing/routing-config.ts
var maxDurationMs = 2147483647;
var maxCount = 1e6;
var duration = () => z.number().int().min(0).max(maxDurationMs);
var identifier = lazySchema(
  () => z.string().regex(/^[a-z0-9][a-z0-9._:-]*$/i, 'use letters, digits, ".", "_", ":" or "-", starting with a letter or digit')
);
var retryPolicySchema = lazySchema(
  () => z.strictObject({
    /** Retries of the same provider after its first attempt (0 disables). */
    maxRetries: z.number().int().min(0).max(10).default(2),
    initialDelayMs: duration().default(200),
    maxDelayMs: duration().default(5e3),
    multiplier: z.number().min(1).max(10).default(2),
    /** Full jitter on the computed backoff (spreads retries of many callers). */
    jitter: z.boolean().default(true),
    /** A `Retry-After` longer than this fails over instead of waiting. */
    maxRetryAfterMs: duration().default(3e4)
  })
);
var breakerPolicySchema = lazySchema(
  () => z.strictObject({
    enabled: z.boolean().default(true),
    /** Open when more than this share of calls in the window failed… */
    failureThresholdPercent: z.number().min(1).max(100).default(50),
    /** …and at least this many calls were made in it. */
    minimumCalls: z.number().int().min(1).max(maxCount).default(5),
    windowMs: duration().min(100).default(1e4),
    /** How long an open breaker skips its provider before letting one trial call through. */
    cooldownMs: duration().min(1).default(3e4)
  })
);
var defaultFailover = {
  auth: true,
  rate_limited: true,
  quota_exceeded: true,
  timeout: true,
  connection: true,
  unavailable: true,
  invalid_request: false,
  not_configured: true,
  content_policy: false,
  context_length: true,
  stream_cut: true,
  aborted: false,
  // Another member may still have room in its own provider limits.
  limit_exceeded: true,
  unknown: true
};
var member2 = lazySchema(
  () => z.union([
    identifier,
    z.strictObject({
      provider: identifier,
      weight: z.number().positive().max(maxCount).default(1)
    })
  ])
);
var routeConfigSchema = lazySchema(
  () => z.strictObject({
    /** Needed only when the route name is not a kind and the members do not say it. */
    kind: z.enum(providerKinds).optional(),
    strategy: z.enum(["priority", "weighted", "round-robin"]).default("priority"),
    providers: z.array(member2).min(1, "a route needs at least one provider"),
    /** What keeps a weighted split sticky: the same key always lands on the same provider. */
    stickyKey: z.enum(["tenant", "correlationId", "none"]).default("tenant"),
    /** Bound on one attempt (for streams: until the first part arrives). */
    attemptTimeoutMs: duration().min(1).optional(),
    /** Bound on the whole call across retries and failover (for streams: until the first part). */
    deadlineMs: duration().min(1).optional(),
    retry: retryPolicySchema.partial().optional(),
    /** Per error code: move on to the next provider (`true`) or stop (`false`). */
    failover: z.partialRecord(z.enum(errorCodes), z.boolean()).optional(),
    /**
     * Repeat a call whose outcome is unknown (timed out after the request left) on
     * this or another provider. Default: on for llm/tts/stt (no side effects), off
     * for sms/whatsapp (a repeat could deliver twice).
     */
    repeatUnknownOutcome: z.boolean().optional(),
    /** Logical names for vendor-specific ids, per field: `{ model: { fast: { <provider id>: '<its model>' } } }`. */
    aliases: z.partialRecord(
      z.enum(["model", "voice", "template"]),
      z.record(z.string().min(1), z.record(identifier, z.string().min(1)))
    ).optional()
  })
);
var priceSchema = lazySchema(
  () => z.strictObject({
    provider: identifier.optional(),
    vendor: z.string().optional(),
    model: z.string().optional(),
    unit: z.enum([
      "input_tokens",
      "output_tokens",
      "cached_input_tokens",
      "characters",
      "audio_seconds",
      "messages",
      "segments",
      "requests"
    ]),
    /** Price of `per` units (e.g. 2.5 per 1_000_000 input tokens). */
    price: z.number().min(0),
    per: z.number().positive().max(1e12).default(1),
    currency: z.string().length(3).default("USD")
  })
);
var providerSchema = lazySchema(
  () => z.strictObject({
    kind: z.enum(providerKinds),
    vendor: z.string().min(1),
    settings: z.record(z.string(), z.unknown()).default({})
  })
);
var tenantSchema = lazySchema(
  () => z.strictObject({
    /** Settings overrides merged over the shared provider settings for this tenant. */
    providers: z.record(identifier, z.strictObject({ settings: z.record(z.string(), z.unknown()) })).default({}),
    /** Route overrides merged over the shared routes (e.g. another primary). */
    routes: z.record(identifier, routeConfigSchema.partial()).default({}),
    /** Whether this tenant may fall back to the environment's (platform) credentials. */
    environmentCredentials: z.boolean().default(true)
  })
);
var limitMetrics = [
  "requests",
  "tokens",
  "input_tokens",
  "output_tokens",
  "characters",
  "audio_seconds",
  "messages",
  "segments",
  "cost"
];
var limitWindows = { second: 1e3, minute: 6e4, hour: 36e5, day: 864e5, month: 2592e6 };
var limitSchema = lazySchema(
  () => z.strictObject({
    /** Whose calls count: one tenant, `*` (every tenant its own counter), or omitted (all calls together). */
    tenant: z.union([z.literal("*"), identifier]).optional(),
    /** Only calls to this provider (checked per attempt, so the route can fail over to a member with room). */
    provider: identifier.optional(),
    /** Only calls through this route (checked once per call). */
    route: identifier.optional(),
    metric: z.enum(limitMetrics),
    /** The most the window may hold. */
    max: z.number().positive().max(1e15),
    window: z.union([z.enum(["second", "minute", "hour", "day", "month"]), z.number().int().min(1e3).max(1e11)]),
    /** For `cost`: the currency counted (records in other currencies are not). */
    currency: z.string().length(3).default("USD"),
    /** Share of `max` past which a `limit_warning` event is emitted (once per window). */
    warnAt: z.number().min(0).max(1).default(0.8),
    /** `hard` refuses a call that would pass `max`; `soft` only warns. */
    enforce: z.enum(["hard", "soft"]).default("hard")
  })
);
var patchbayConfigSchema = lazySchema(
  () => z.strictObject({
    providers: z.record(identifier, providerSchema),
    routes: z.record(identifier, routeConfigSchema).default({}),
    defaults: z.strictObject({
      retry: retryPolicySchema.partial().optional(),
      breaker: breakerPolicySchema.partial().optional(),
      attemptTimeoutMs: duration().min(1).optional(),
      deadlineMs: duration().min(1).optional()
    }).default({}),
    pricing: z.array(priceSchema).default([]),
    tenants: z.record(identifier, tenantSchema).default({}),
    health: z.strictObject({ timeoutMs: duration().min(1).default(5e3) }).default({ timeoutMs: 5e3 }),
    /** Budgets and rate limits by name (see limits/limit-gate.ts). */
    limits: z.record(identifier, limitSchema).default({})
  })
);

// src/limits/limit-gate.ts
var costScale = 1e6;
function quantityOf(metric, quantities) {
  let total = 0;
  for (const { unit, quantity } of quantities) {
    if (unit === metric || metric === "tokens" && (unit === "input_tokens" || unit === "output_tokens" || unit === "cached_input_tokens"))
      total += quantity;
  }
  return total;
}
var Admission = class {
  #gate;
  #reservations;
  #settled = false;
  constructor(gate, reservations) {
    this.#gate = gate;
    this.#reservations = reservations;
  }
  settle(input) {
    const first = !this.#settled;
    this.#settled = true;
    for (const reservation of this.#reservations) {
      const { config, scale } = reservation.limit;
      if (config.metric === "requests") continue;
      const used = config.metric === "cost" ? Math.round(this.#gate.costOf(input, config.currency) * scale) : Math.ceil(quantityOf(config.metric, input.quantities) * scale);
      const delta = first ? used - reservation.reserved : used;
      if (delta !== 0) this.#gate.correct(reservation, delta);
    }
  }
};
var defaultLimitStoreTimeoutMs = 200;
function isPromiseLike(value) {
  return typeof value?.then === "function";
}
var LimitGate = class {
  #host;
  #generation = -1;
  #callLimits = [];
  #providerLimits = /* @__PURE__ */ new Map();
  constructor(host) {
    this.#host = host;
  }
  #compile() {
    const { generation, limits } = this.#host.limits();
    if (generation === this.#generation) return;
    this.#generation = generation;
    this.#callLimits = [];
    this.#providerLimits = /* @__PURE__ */ new Map();
    for (const [name, config] of Object.entries(limits)) {
      const windowMs = typeof config.window === "number" ? config.window : limitWindows[config.window];
      const scale = config.metric === "cost" ? costScale : 1;
      const compiled = { name, config, windowMs, max: Math.round(config.max * scale), scale };
      if (config.provider === void 0) this.#callLimits.push(compiled);
      else {
        const list = this.#providerLimits.get(config.provider) ?? [];
        list.push(compiled);
        this.#providerLimits.set(config.provider, list);
      }
    }
  }
  /** Whether any route-wide limit is configured (read on every call: a generation check and a length). */
  get hasCallLimits() {
    this.#compile();
    return this.#callLimits.length > 0;
  }
  hasProviderLimits(provider) {
    this.#compile();
    return this.#providerLimits.size > 0 && this.#providerLimits.has(provider);
  }
  /** Reserves the route-wide limits that apply to this call; throws `limit_exceeded` when one is full. */
  admitCall(route, tenant, estimate, pricedAs) {
    return this.#admit(this.#callLimits, { route, tenant, provider: void 0 }, estimate, pricedAs);
  }
  /** Reserves the limits of one provider for one attempt. */
  admitAttempt(route, tenant, provider, estimate) {
    return this.#admit(
      this.#providerLimits.get(provider.id) ?? [],
      { route, tenant, provider: provider.id },
      estimate,
      { provider: provider.id, vendor: provider.vendor }
    );
  }
  async #admit(candidates, scope, estimate, pricedAs) {
    const reservations = [];
    for (const limit of candidates) {
      const { config } = limit;
      if (config.route !== void 0 && config.route !== scope.route) continue;
      if (config.tenant !== void 0 && (scope.tenant === void 0 || config.tenant !== "*" && config.tenant !== scope.tenant))
        continue;
      const counted = config.tenant === "*" ? scope.tenant : "";
      const key = `limit:${limit.name.length}:${limit.name}:${counted}`;
      const amount = this.#estimateOf(limit, estimate, pricedAs);
      const now = Date.now();
      let answer;
      try {
        const hard = config.enforce === "hard";
        const pending = this.#host.store.reserve(
          key,
          amount,
          hard ? limit.max : Number.MAX_SAFE_INTEGER,
          limit.windowMs,
          now
        );
        answer = isPromiseLike(pending) ? await this.#bounded(pending, key, amount, limit) : pending;
      } catch (error) {
        this.#host.storeFailed(error);
        continue;
      }
      if (answer === void 0) continue;
      if (!answer.granted) {
        for (const held of reservations) this.correct(held, -held.reserved);
        throw this.#refusal(limit, scope, answer.used, answer.resetAt, now);
      }
      reservations.push({ limit, key, windowStart: answer.windowStart, reserved: amount });
      this.#warnIfCrossed(limit, scope, answer.used, amount, answer.resetAt);
    }
    return reservations.length ? new Admission(this, reservations) : void 0;
  }
  /**
   * Waits for a store's answer at most `storeTimeoutMs`; past that the call goes ahead (fail open, reported),
   * and a grant that arrives late is given back so the counter does not keep an amount nobody holds.
   */
  #bounded(pending, key, amount, limit) {
    const timeoutMs = this.#host.storeTimeoutMs ?? defaultLimitStoreTimeoutMs;
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        this.#host.storeFailed(
          new PatchbayError({
            code: "timeout",
            message: `The limit store did not answer within ${timeoutMs} ms; the call went ahead without that limit.`
          })
        );
        resolve(void 0);
      }, timeoutMs);
      pending.then(
        (answer) => {
          if (!settled) {
            settled = true;
            clearTimeout(timer);
            resolve(answer);
          } else if (answer?.granted) {
            this.correct({ limit, key, windowStart: answer.windowStart, reserved: amount }, -amount);
          }
        },
        (error) => {
          if (!settled) {
            settled = true;
            clearTimeout(timer);
            reject(error);
          }
        }
      );
    });
  }
  #estimateOf(limit, estimate, pricedAs) {
    const { metric } = limit.config;
    if (metric === "requests") return 1;
    if (metric === "cost") {
      const cost = pricedAs ? this.costOf({ ...pricedAs, model: void 0, quantities: estimate }, limit.config.currency) : 0;
      return Math.max(1, Math.round(cost * limit.scale));
    }
    return Math.max(1, Math.ceil(quantityOf(metric, estimate)));
  }
  #warnIfCrossed(limit, scope, used, amount, resetAt) {
    const threshold = limit.max * limit.config.warnAt;
    const before = used - amount;
    const crossedWarning = before < threshold && used >= threshold;
    const exceeded = limit.config.enforce === "soft" && before <= limit.max && used > limit.max;
    if (!crossedWarning && !exceeded) return;
    this.#host.warn({
      limit: limit.name,
      metric: limit.config.metric,
      tenant: scope.tenant,
      provider: scope.provider,
      route: scope.route,
      used: used / limit.scale,
      max: limit.config.max,
      exceeded,
      resetAt: new Date(resetAt).toISOString()
    });
  }
  #refusal(limit, scope, used, resetAt, now) {
    const { config } = limit;
    const reset = new Date(resetAt).toISOString();
    const amount = config.metric === "cost" ? `${config.max} ${config.currency} of cost` : `${config.max} ${config.metric}`;
    const window = typeof config.window === "number" ? `${config.window} ms` : config.window;
    const whose = config.tenant === void 0 ? "" : ` for tenant "${scope.tenant}"`;
    return new PatchbayError({
      code: "limit_exceeded",
      message: `Limit "${limit.name}" reached: ${amount} per ${window}${whose}; resets at ${reset}`,
      provider: scope.provider,
      retryAfterMs: Math.max(0, resetAt - now),
      details: {
        limit: limit.name,
        metric: config.metric,
        max: config.max,
        used: used / limit.scale,
        window,
        resetAt: reset,
        tenant: scope.tenant,
        route: scope.route,
        provider: scope.provider
      }
    });
  }
  /** Adds `delta` to a held reservation's window (fire and forget: the call does not wait on the store). */
  correct(reservation, delta) {
    try {
      const pending = this.#host.store.settle(
        reservation.key,
        delta,
        reservation.limit.windowMs,
        reservation.windowStart
      );
      if (pending && typeof pending.then === "function")
        pending.then(void 0, (error) => this.#host.storeFailed(error));
    } catch (error) {
      this.#host.storeFailed(error);
    }
  }
  /** Priced cost of an attempt in one currency: reported cost first, else the price table; unknown prices count 0. */
  costOf(input, currency) {
    if (input.reportedCost) return input.reportedCost.currency === currency ? input.reportedCost.amount : 0;
    const prices = this.#host.prices();
    let total = 0;
    for (const { unit, quantity } of input.quantities) {
      if (quantity === 0) continue;
      const price = prices.unitPrice(input.provider, input.vendor, input.model, unit);
      if (price && price.currency === currency) total += quantity * price.price;
    }
    return total;
  }
};

// src/metering/reported-cost.ts
function reportedCostRecord(cost, provider, timestamp) {
  const field = (name, message) => new PatchbayError({
    code: "invalid_request",
    message: `reported cost: ${name} ${message}`,
    details: { field: name }
  });
  if (provider === void 0) throw field("provider", `"${String(cost.provider)}" is not a configured provider`);
  if (typeof cost.amount !== "number" || !Number.isFinite(cost.amount))
    throw field("amount", "must be a finite number");
  if (typeof cost.currency !== "string" || !/^[A-Za-z]{3}$/.test(cost.currency))
    throw field("currency", "must be a three-letter currency code");
  return {
    tenant: cost.tenant,
    kind: provider.kind,
    provider: cost.provider,
    vendor: provider.vendor,
    model: void 0,
    unit: cost.unit ?? "messages",
    quantity: 0,
    cost: cost.amount,
    currency: cost.currency.toUpperCase(),
    latencyMs: 0,
    outcome: "success",
    errorCode: void 0,
    correlationId: cost.correlationId,
    route: void 0,
    attempt: 0,
    timestamp
  };
}

// src/metering/usage-meter.ts
var UsageMeter = class {
  #prices;
  #events;
  constructor(prices, events) {
    this.#prices = prices;
    this.#events = events;
  }
  record(input) {
    if (!this.#events.has("usage")) return;
    const prices = this.#prices();
    const timestamp = isoNow();
    const reported = input.reportedCost;
    let first = true;
    for (const { unit, quantity, replayed } of input.quantities) {
      let cost;
      let currency;
      if (reported) {
        cost = first ? reported.amount : 0;
        currency = reported.currency;
      } else {
        const price = prices.unitPrice(input.provider, input.vendor, input.model, unit);
        cost = price ? quantity * price.price : quantity === 0 ? 0 : null;
        currency = price ? price.currency : null;
      }
      first = false;
      this.#events.emit("usage", {
        tenant: input.tenant,
        kind: input.kind,
        provider: input.provider,
        vendor: input.vendor,
        model: input.model,
        unit,
        quantity,
        ...replayed ? { replayed } : {},
        cost,
        currency,
        latencyMs: input.latencyMs,
        outcome: input.outcome,
        errorCode: input.errorCode,
        correlationId: input.correlationId,
        route: input.route,
        attempt: input.attempt,
        timestamp
      });
    }
  }
};
var lastMillisecond = 0;
var lastIso = "";
var lastSecond = -1;
var lastSecondPrefix = "";
function isoNow() {
  const now = Date.now();
  if (now === lastMillisecond) return lastIso;
  lastMillisecond = now;
  const second = now - now % 1e3;
  if (second !== lastSecond) {
    lastSecond = second;
    lastSecondPrefix = new Date(second).toISOString().slice(0, -4);
  }
  const milliseconds = now - second;
  lastIso = `${lastSecondPrefix}${milliseconds < 10 ? "00" : milliseconds < 100 ? "0" : ""}${milliseconds}Z`;
  return lastIso;
}

// src/config/unknown-keys.ts
function distance(a, b) {
  if (a.length > 64 || b.length > 64) return Number.POSITIVE_INFINITY;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + cost
      );
    }
    previous = current;
  }
  return previous[b.length];
}
function stemScore(a, b) {
  let common = 0;
  while (common < a.length && common < b.length && a[common]?.toLowerCase() === b[common]?.toLowerCase()) common++;
  return common >= 4 && common * 5 >= Math.min(a.length, b.length) * 3 ? 1 : Number.POSITIVE_INFINITY;
}
function closestKey(key, known) {
  let best;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const score = candidate.toLowerCase() === key.toLowerCase() ? 0 : Math.min(distance(key, candidate), stemScore(key, candidate));
    if (score < bestDistance) {
      best = candidate;
      bestDistance = score;
    }
  }
  const allowed = Math.max(1, Math.floor(key.length / 3));
  return bestDistance <= allowed ? best : void 0;
}
function unknownKeyMessage(key, known) {
  const suggestion = closestKey(key, known);
  return suggestion === void 0 ? `unknown key "${key}"` : `unknown key "${key}" (did you mean "${suggestion}"?)`;
}
function definition(schema) {
  return schema._zod.def;
}
function knownKeysAt(schema, path) {
  const keys = [];
  const visit = (node, depth) => {
    if (!node) return;
    const def = definition(node);
    switch (def.type) {
      case "optional":
      case "default":
      case "nullable":
      case "readonly":
      case "prefault":
        visit(def.innerType, depth);
        return;
      case "pipe":
        visit(def.in, depth);
        return;
      case "union":
        for (const option of def.options ?? []) visit(option, depth);
        return;
      case "object":
        if (depth === path.length) keys.push(...Object.keys(def.shape ?? {}));
        else visit(def.shape?.[String(path[depth])], depth + 1);
        return;
      case "record":
        if (depth < path.length) visit(def.valueType, depth + 1);
        return;
      case "array":
        if (depth < path.length) visit(def.element, depth + 1);
        return;
      default:
        return;
    }
  };
  visit(schema, 0);
  return keys;
}
function describeConfigIssues(schema, error) {
  const issues = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      const known = knownKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        issues.push({ path: [...issue.path, key].map(String).join("."), message: unknownKeyMessage(key, known) });
      }
    } else {
      issues.push({ path: issue.path.map(String).join(".") || "(root)", message: issue.message });
    }
  }
  return issues;
}

// src/routing/load-config.ts
var kindNames = ["llm", "tts", "stt", "sms", "whatsapp"];
function own(record, key) {
  return Object.hasOwn(record, key) ? record[key] : void 0;
}
function memberId(member3) {
  return typeof member3 === "string" ? member3 : member3.provider;
}
function routeKind(name, route, config) {
  if (route.kind) return route.kind;
  if (kindNames.includes(name)) return name;
  const first = route.providers[0];
  return first === void 0 ? void 0 : own(config.providers, memberId(first))?.kind;
}
function loadConfig(input, factories) {
  const parsed = patchbayConfigSchema.safeParse(input);
  if (!parsed.success)
    throw invalidFieldsError("Patchbay configuration", describeConfigIssues(patchbayConfigSchema, parsed.error));
  const config = parsed.data;
  const issues = [];
  const known = new Set(factories.map((factory) => `${factory.kind}:${factory.vendor}`));
  for (const [id, provider] of Object.entries(config.providers)) {
    if (!known.has(`${provider.kind}:${provider.vendor}`)) {
      issues.push({
        path: `providers.${id}.vendor`,
        message: `no adapter for ${provider.kind} vendor "${provider.vendor}" was given (have: ${[...known].join(", ") || "none"})`
      });
    }
  }
  const checkRoute = (path, name, route) => {
    const kind = routeKind(name, route, config);
    route.providers.forEach((member3, index) => {
      const id = memberId(member3);
      const provider = own(config.providers, id);
      if (!provider) issues.push({ path: `${path}.providers.${index}`, message: `unknown provider "${id}"` });
      else if (kind && provider.kind !== kind) {
        issues.push({
          path: `${path}.providers.${index}`,
          message: `provider "${id}" is ${provider.kind}, the route is ${kind}`
        });
      }
    });
    const ids = route.providers.map(memberId);
    if (new Set(ids).size !== ids.length)
      issues.push({ path: `${path}.providers`, message: "a provider is listed twice" });
  };
  for (const [name, route] of Object.entries(config.routes)) checkRoute(`routes.${name}`, name, route);
  for (const [tenant, overrides] of Object.entries(config.tenants)) {
    for (const id of Object.keys(overrides.providers)) {
      if (!own(config.providers, id))
        issues.push({ path: `tenants.${tenant}.providers.${id}`, message: `unknown provider "${id}"` });
    }
    for (const [name, patch] of Object.entries(overrides.routes)) {
      const base = own(config.routes, name);
      if (!base) {
        issues.push({ path: `tenants.${tenant}.routes.${name}`, message: `unknown route "${name}"` });
        continue;
      }
      checkRoute(`tenants.${tenant}.routes.${name}`, name, { ...base, ...patch });
    }
  }
  config.pricing.forEach((entry, index) => {
    if (entry.provider !== void 0 && !own(config.providers, entry.provider)) {
      issues.push({ path: `pricing.${index}.provider`, message: `unknown provider "${entry.provider}"` });
    }
    if (entry.provider === void 0 && entry.vendor === void 0) {
      issues.push({ path: `pricing.${index}`, message: "a price names a provider or a vendor" });
    }
  });
  for (const [name, limit] of Object.entries(config.limits)) {
    if (limit.provider !== void 0 && !own(config.providers, limit.provider))
      issues.push({ path: `limits.${name}.provider`, message: `unknown provider "${limit.provider}"` });
    if (limit.route !== void 0 && !own(config.routes, limit.route) && !kindNames.includes(limit.route))
      issues.push({ path: `limits.${name}.route`, message: `unknown route "${limit.route}"` });
  }
  if (issues.length) throw invalidFieldsError("Patchbay configuration", issues);
  return config;
}

// src/routing/circuit-breaker.ts
function isProgrammingError(error) {
  let candidate = error;
  if (PatchbayError.isInstance(candidate)) {
    if (candidate.code !== "unknown") return false;
    candidate = candidate.cause;
  }
  if (!(candidate instanceof Error) || !programmingErrorNames.has(candidate.name)) return false;
  return !/fetch failed|network|socket/i.test(candidate.message);
}
var programmingErrorNames = /* @__PURE__ */ new Set(["TypeError", "RangeError", "ReferenceError"]);
function countsAgainstHealth(error) {
  if (isProgrammingError(error)) return false;
  return !PatchbayError.isInstance(error) || healthCodes.has(error.code);
}
var bucketCount = 10;
var OpenBreakerRejection = class extends Error {
  code = "EOPENBREAKER";
  constructor(provider) {
    super(`Circuit breaker of provider "${provider}" is open`);
    this.name = "OpenBreakerRejection";
  }
};
var ProviderBreaker = class {
  provider;
  #policy;
  #events;
  #bucketMs;
  #calls = new Float64Array(bucketCount);
  #failures = new Float64Array(bucketCount);
  /** The bucket epoch (`floor(now / bucketMs)`) each slot currently counts. */
  #epochs = new Float64Array(bucketCount).fill(-1);
  #state = "closed";
  #trialTaken = false;
  #cooldown;
  #shared;
  #unsubscribe;
  /** Half-open with a shared state: whether this instance holds the cluster's trial lease. */
  #holdsLease = false;
  /** Bumped on every transition, so an answer to an older lease request is ignored. */
  #generation = 0;
  constructor(provider, policy, events, shared) {
    this.provider = provider;
    this.#events = events;
    this.#policy = policy.enabled ? policy : void 0;
    this.#bucketMs = Math.max(1, policy.windowMs / bucketCount);
    if (this.#policy && shared) {
      this.#shared = shared;
      try {
        this.#unsubscribe = shared.state.subscribe(shared.key, this.#onShared);
      } catch {
        this.#unsubscribe = void 0;
      }
    }
  }
  get state() {
    return this.#state;
  }
  /** Whether a call may go through now (closed, or half-open with its trial not yet taken). */
  get allowsCall() {
    return this.#state === "closed" || this.#state === "half-open" && !this.#trialTaken;
  }
  run(action) {
    if (!this.enter()) return Promise.reject(this.rejection());
    return this.observe(action());
  }
  /**
   * The gate of `run()` on its own, for the router's hot path (no closure per call): whether a call may start
   * now; in half-open it takes the one trial. A caller that gets `true` must hand the call to `observe()`.
   */
  enter() {
    if (!this.#policy || this.#state === "closed") return true;
    if (this.#state === "open" || this.#trialTaken) return false;
    this.#trialTaken = true;
    return true;
  }
  /** The rejection of a call the breaker refused (`isOpenRejection` recognises it). */
  rejection() {
    return new OpenBreakerRejection(this.provider);
  }
  /** Counts the call's outcome when it settles; answers the same outcome. */
  observe(pending) {
    if (!this.#policy) return pending;
    return pending.then(this.#onSuccess, this.#onFailure);
  }
  /** Whether an error came from this breaker refusing the call, not from the provider. */
  static isOpenRejection(error) {
    return error?.code === "EOPENBREAKER";
  }
  shutdown() {
    this.#clearTimer();
    if (this.#holdsLease) this.#releaseLease();
    try {
      this.#unsubscribe?.();
    } catch {
    }
    this.#unsubscribe = void 0;
  }
  #clearTimer() {
    if (this.#cooldown !== void 0) clearTimeout(this.#cooldown);
    this.#cooldown = void 0;
  }
  /** Another instance's transition: mirrored without publishing it again. */
  #onShared = (transition) => {
    const policy = this.#policy;
    if (!policy) return;
    if (transition.state === "closed") {
      if (this.#state !== "closed") {
        this.#clearTimer();
        if (this.#holdsLease) this.#releaseLease();
        this.#transition("closed");
      }
      return;
    }
    if (this.#state === "half-open" && this.#holdsLease && this.#trialTaken) return;
    if (this.#holdsLease) this.#releaseLease();
    this.#open(policy, transition.cooldownMs ?? policy.cooldownMs, false);
  };
  #publish(transition) {
    try {
      this.#shared?.state.publish(this.#shared.key, transition);
    } catch {
    }
  }
  #releaseLease() {
    this.#holdsLease = false;
    try {
      this.#shared?.state.releaseTrial(this.#shared.key);
    } catch {
    }
  }
  /**
   * Half-open with a shared state: no trial until this instance holds the cluster's lease. Every
   * half lease the request is repeated: the holder extends its lease while its trial runs (and
   * gives back an unused one), the others try again (the holder may be gone). A shared state that
   * rejects, or has not answered within a whole lease, is treated as unreachable: this instance
   * decides alone.
   */
  #requestLease(policy) {
    const shared = this.#shared;
    const generation = this.#generation;
    const leaseMs = Math.max(1, policy.cooldownMs);
    const current = () => generation === this.#generation && this.#state === "half-open";
    let answered = false;
    const decideLocally = () => {
      if (current()) this.#trialTaken = false;
    };
    let pending;
    try {
      pending = Promise.resolve(shared.state.acquireTrial(shared.key, leaseMs));
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (granted) => {
        answered = true;
        if (!current()) {
          if (granted) this.#giveBack();
          return;
        }
        if (granted) {
          if (!this.#holdsLease) this.#trialTaken = false;
          this.#holdsLease = true;
        }
      },
      () => {
        answered = true;
        decideLocally();
      }
    );
    const waitForAnswer = (ticks) => {
      this.#schedule(leaseMs / 2, () => {
        if (!answered) {
          if (ticks === 0) waitForAnswer(1);
          else decideLocally();
          return;
        }
        if (this.#holdsLease && !this.#trialTaken) {
          this.#trialTaken = true;
          this.#releaseLease();
        }
        this.#requestLease(policy);
      });
    };
    waitForAnswer(0);
  }
  /** Releases a lease granted too late to use (the breaker moved on meanwhile). */
  #giveBack() {
    try {
      this.#shared?.state.releaseTrial(this.#shared.key);
    } catch {
    }
  }
  #schedule(delayMs, action) {
    this.#clearTimer();
    this.#cooldown = setTimeout(() => {
      this.#cooldown = void 0;
      action();
    }, delayMs);
    this.#cooldown.unref?.();
  }
  /** Counts a call that `enter()` let through and that succeeded (what `observe` does when it settles). */
  succeededOnce() {
    if (this.#policy) this.#succeeded();
  }
  /** Counts a call that `enter()` let through and that failed with `error`. */
  failedWith(error) {
    if (!this.#policy) return;
    if (countsAgainstHealth(error)) this.#failed();
    else this.#succeeded();
  }
  // Made once per breaker, not once per call.
  #onSuccess = (value) => {
    this.#succeeded();
    return value;
  };
  #onFailure = (error) => {
    if (countsAgainstHealth(error)) this.#failed();
    else this.#succeeded();
    throw error;
  };
  #slot() {
    const epoch = Math.floor(Date.now() / this.#bucketMs);
    const slot = epoch % bucketCount;
    if (this.#epochs[slot] !== epoch) {
      this.#epochs[slot] = epoch;
      this.#calls[slot] = 0;
      this.#failures[slot] = 0;
    }
    return slot;
  }
  #succeeded() {
    if (this.#state === "half-open") {
      this.#clearTimer();
      this.#transition("closed");
      if (this.#shared) {
        this.#publish({ state: "closed" });
        if (this.#holdsLease) this.#releaseLease();
      }
      return;
    }
    const slot = this.#slot();
    this.#calls[slot] = this.#calls[slot] + 1;
  }
  #failed() {
    const policy = this.#policy;
    if (this.#state === "half-open") {
      this.#open(policy, policy.cooldownMs, true);
      return;
    }
    if (this.#state === "open") return;
    const slot = this.#slot();
    this.#calls[slot] = this.#calls[slot] + 1;
    this.#failures[slot] = this.#failures[slot] + 1;
    const oldest = Math.floor(Date.now() / this.#bucketMs) - bucketCount + 1;
    let calls = 0;
    let failures = 0;
    for (let index = 0; index < bucketCount; index++) {
      if (this.#epochs[index] < oldest) continue;
      calls += this.#calls[index];
      failures += this.#failures[index];
    }
    if (calls >= policy.minimumCalls && failures / calls * 100 > policy.failureThresholdPercent)
      this.#open(policy, policy.cooldownMs, true);
  }
  #open(policy, cooldownMs, announce) {
    this.#transition("open");
    if (announce && this.#shared) {
      this.#publish({ state: "open", cooldownMs });
      if (this.#holdsLease) this.#releaseLease();
    }
    this.#schedule(cooldownMs, () => {
      if (this.#shared && this.#unsubscribe) {
        this.#trialTaken = true;
        this.#transition("half-open");
        this.#requestLease(policy);
        return;
      }
      this.#trialTaken = false;
      this.#transition("half-open");
    });
  }
  #transition(state) {
    if (this.#state === state) return;
    this.#state = state;
    this.#generation++;
    if (state === "closed") {
      this.#calls.fill(0);
      this.#failures.fill(0);
      this.#epochs.fill(-1);
    }
    this.#events.emit("breaker", { provider: this.provider, state });
  }
};

// src/patchbay/provider-registry.ts
function reconciliation(entry, next) {
  if (entry.definition.kind !== next.definition.kind || entry.definition.vendor !== next.definition.vendor || entry.environment !== next.environment)
    return "replace";
  return sameValue(entry.settings, next.settings) ? "same" : "update";
}
function replacementPatch(before, after) {
  const patch = { ...after };
  for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) patch[key] = null;
  return patch;
}
var ProviderRegistry = class {
  #entries = /* @__PURE__ */ new Map();
  #events;
  #breakerPolicy;
  #sharedBreakers;
  constructor(events, breakerPolicy, sharedBreakers) {
    this.#events = events;
    this.#breakerPolicy = breakerPolicy;
    this.#sharedBreakers = sharedBreakers;
  }
  /** A breaker for (tenant, provider id), linked to the shared state when there is one. */
  #breaker(tenant, id, policy) {
    const shared = this.#sharedBreakers && { state: this.#sharedBreakers, key: `${tenant ?? ""}\0${id}` };
    return new ProviderBreaker(id, policy, this.#events, shared);
  }
  get(tenant, id) {
    return this.#entries.get(tenant)?.get(id);
  }
  /** The entries of one tenant (or the shared ones). */
  entriesOf(tenant) {
    return this.#entries.get(tenant) ?? /* @__PURE__ */ new Map();
  }
  /** Tenants that own instances now. */
  tenants() {
    return [...this.#entries.keys()];
  }
  /** Every live breaker (for tests and `close()`). */
  get breakerCount() {
    let count = 0;
    for (const entries of this.#entries.values()) count += entries.size;
    return count;
  }
  add(tenant, id, provider, shape) {
    this.remove(tenant, id);
    const entry = {
      tenant,
      id,
      provider,
      ...shape,
      breaker: this.#breaker(tenant, id, this.#breakerPolicy)
    };
    let entries = this.#entries.get(tenant);
    if (!entries) this.#entries.set(tenant, entries = /* @__PURE__ */ new Map());
    entries.set(id, entry);
    return entry;
  }
  remove(tenant, id) {
    const entries = this.#entries.get(tenant);
    const entry = entries?.get(id);
    if (!entry || !entries) return;
    entry.breaker.shutdown();
    disposeProvider(entry.provider);
    entries.delete(id);
    if (entries.size === 0) this.#entries.delete(tenant);
  }
  /** Disposes every instance a tenant owns (its scope was evicted or its overrides removed). */
  removeTenant(tenant) {
    for (const id of [...this.entriesOf(tenant).keys()]) this.remove(tenant, id);
  }
  /** Whether every breaker a tenant owns is closed (nothing would be lost by dropping them). */
  tenantBreakersClosed(tenant) {
    for (const entry of this.entriesOf(tenant).values()) if (entry.breaker.state !== "closed") return false;
    return true;
  }
  /** A new breaker policy replaces every breaker (their windows were measured under the old one). */
  setBreakerPolicy(policy) {
    if (sameValue(policy, this.#breakerPolicy)) return;
    this.#breakerPolicy = policy;
    for (const entries of this.#entries.values()) {
      for (const entry of entries.values()) {
        entry.breaker.shutdown();
        entry.breaker = this.#breaker(entry.tenant, entry.id, policy);
      }
    }
  }
  close() {
    for (const entries of this.#entries.values()) {
      for (const entry of entries.values()) {
        entry.breaker.shutdown();
        disposeProvider(entry.provider);
      }
    }
    this.#entries.clear();
  }
};
function disposeProvider(provider) {
  try {
    provider.dispose?.();
  } catch {
  }
}

// src/patchbay/config-store.ts
function tenantShape(config, tenant, id) {
  const overrides = own(config.tenants, tenant);
  const definition2 = own(config.providers, id);
  if (!overrides || !definition2) return void 0;
  const override = own(overrides.providers, id);
  if (!override && overrides.environmentCredentials) return void 0;
  return {
    definition: definition2,
    settings: mergePatch(definition2.settings, override?.settings ?? {}),
    environment: overrides.environmentCredentials
  };
}
function sharedShape(config, id) {
  const definition2 = own(config.providers, id);
  return definition2 && { definition: definition2, settings: definition2.settings, environment: true };
}
function breakerPolicyOf(config) {
  return breakerPolicySchema.parse(config.defaults.breaker ?? {});
}
var ConfigStore = class {
  #builder;
  #registry;
  #input;
  #config;
  #generation = 0;
  constructor(input, builder, registry) {
    this.#builder = builder;
    this.#registry = registry;
    const prepared = this.#prepare(input);
    this.#input = prepared.input;
    this.#config = prepared.config;
    registry.setBreakerPolicy(breakerPolicyOf(prepared.config));
    for (const [id, provider] of prepared.built)
      registry.add(void 0, id, provider, sharedShape(prepared.config, id));
  }
  /** The configuration as written (secrets kept as given). */
  get input() {
    return this.#input;
  }
  get config() {
    return this.#config;
  }
  /** Increases with every applied change; scopes built for an older generation are rebuilt. */
  get generation() {
    return this.#generation;
  }
  /** Merges a patch into the current input and applies the result. */
  update(patch) {
    return this.apply(mergePatch(this.#input, copyConfigValue(patch, "(patch)")));
  }
  async apply(nextInput) {
    const prepared = this.#prepare(nextInput);
    const updates = this.#reconcile(prepared);
    this.#input = prepared.input;
    this.#config = prepared.config;
    this.#generation++;
    await Promise.all(updates);
  }
  #prepare(nextInput) {
    const input = copyConfigValue(nextInput);
    const config = loadConfig(input, this.#builder.factories);
    const built = /* @__PURE__ */ new Map();
    const issues = [];
    const attempt = (action) => {
      try {
        action();
      } catch (error) {
        const listed = PatchbayError.isInstance(error) ? error.details?.issues : void 0;
        if (!listed) throw error;
        issues.push(...listed);
      }
    };
    for (const [id, definition2] of Object.entries(config.providers)) {
      const shape = sharedShape(config, id);
      const entry = this.#registry.get(void 0, id);
      const change = entry ? reconciliation(entry, shape) : "replace";
      if (change === "same") continue;
      attempt(() => {
        const provider = this.#builder.build({
          id,
          definition: definition2,
          settings: definition2.settings,
          environment: true,
          path: `providers.${id}.settings`
        });
        if (change === "replace") built.set(id, provider);
      });
    }
    for (const tenant of Object.keys(config.tenants)) {
      for (const id of Object.keys(config.providers)) {
        const shape = tenantShape(config, tenant, id);
        if (!shape) continue;
        const entry = this.#registry.get(tenant, id);
        if (entry && reconciliation(entry, shape) === "same") continue;
        attempt(() => this.#builder.build({ id, ...shape, path: `tenants.${tenant}.providers.${id}.settings` }));
      }
    }
    if (issues.length) throw invalidFieldsError("Patchbay configuration", issues);
    return { input, config, built };
  }
  #reconcile(prepared) {
    const { config, built } = prepared;
    const registry = this.#registry;
    const updates = [];
    registry.setBreakerPolicy(breakerPolicyOf(config));
    for (const id of [...registry.entriesOf(void 0).keys()])
      if (!own(config.providers, id)) registry.remove(void 0, id);
    for (const id of Object.keys(config.providers)) {
      const shape = sharedShape(config, id);
      const entry = registry.get(void 0, id);
      const fresh = built.get(id);
      if (fresh) registry.add(void 0, id, fresh, shape);
      else if (entry && reconciliation(entry, shape) === "update") updates.push(this.#updateSettings(entry, shape));
    }
    for (const tenant of registry.tenants()) {
      if (tenant === void 0) continue;
      if (!own(config.tenants, tenant)) {
        registry.removeTenant(tenant);
        continue;
      }
      for (const [id, entry] of [...registry.entriesOf(tenant)]) {
        const shape = tenantShape(config, tenant, id);
        const change = shape ? reconciliation(entry, shape) : "replace";
        if (change === "replace") registry.remove(tenant, id);
        else if (change === "update") updates.push(this.#updateSettings(entry, shape));
      }
    }
    return updates;
  }
  /** Same instance, new settings: validated already, applied at once (AbstractProvider swaps synchronously). */
  #updateSettings(entry, shape) {
    const patch = replacementPatch(entry.settings, shape.settings);
    entry.settings = shape.settings;
    return entry.provider.updateConfig(patch);
  }
};

// src/patchbay/provider-builder.ts
function credentialSpecOf(provider) {
  const resolver = provider.credentialResolver;
  return resolver?.spec?.fields ? resolver.spec : void 0;
}
function credentialFieldsOf(provider) {
  const resolver = provider.credentialResolver;
  return resolver?.spec?.fields;
}
function withUnknownKeyPaths(error, known) {
  if (!PatchbayError.isInstance(error) || error.code !== "invalid_request") return error;
  const issues = error.details?.issues;
  if (!issues?.some((issue) => /^Unrecognized keys?: /.test(issue.message))) return error;
  const rewritten = issues.flatMap((issue) => {
    const match = /^Unrecognized keys?: (.*)$/.exec(issue.message);
    if (!match) return [issue];
    const keys = [...match[1].matchAll(/"([^"]*)"/g)].map((found) => found[1]);
    const base = issue.path === "(root)" ? "" : `${issue.path}.`;
    return keys.map((key) => ({ path: `${base}${key}`, message: unknownKeyMessage(key, known()) }));
  });
  return invalidFieldsError("settings", rewritten, error.provider);
}
function prefixSettingsError(error, prefix) {
  if (!PatchbayError.isInstance(error) || error.code !== "invalid_request") return error;
  const issues = error.details?.issues;
  if (!issues) return error;
  return invalidFieldsError(
    "Patchbay configuration",
    issues.map((issue) => ({
      path: issue.path.startsWith(prefix) ? issue.path : `${prefix}.${issue.path}`,
      message: issue.message
    }))
  );
}
var ProviderBuilder = class {
  #factories;
  #runtime;
  constructor(factories, runtime) {
    this.#factories = factories;
    this.#runtime = runtime;
  }
  get factories() {
    return this.#factories;
  }
  factoryFor(definition2) {
    return this.#factories.find(
      (candidate) => candidate.kind === definition2.kind && candidate.vendor === definition2.vendor
    );
  }
  runtime(environment) {
    return {
      credentialStore: this.#runtime.credentialStore,
      env: environment ? this.#runtime.env : false,
      fetch: this.#runtime.fetch
    };
  }
  /** The keys an adapter knows: what its defaults show plus its credential fields (for suggestions). */
  #knownKeys(factory) {
    try {
      const template = factory.create({ id: "template", settings: {}, runtime: { env: false } });
      const keys = /* @__PURE__ */ new Set([...Object.keys(template.getConfig()), ...credentialFieldsOf(template) ?? []]);
      for (const key of ["id", "vendor", "kind"]) keys.delete(key);
      return [...keys];
    } catch {
      return [];
    }
  }
  build(request) {
    const factory = this.factoryFor(request.definition);
    if (!factory) {
      throw invalidFieldsError("Patchbay configuration", [
        {
          path: request.path.replace(/\.settings$/, ".vendor"),
          message: `no adapter for "${request.definition.vendor}"`
        }
      ]);
    }
    let provider;
    try {
      provider = factory.create({
        id: request.id,
        settings: request.settings,
        runtime: this.runtime(request.environment)
      });
    } catch (error) {
      throw prefixSettingsError(
        withUnknownKeyPaths(error, () => this.#knownKeys(factory)),
        request.path
      );
    }
    const unknown = unknownSettings(provider, request.settings, request.path);
    if (unknown.length) throw invalidFieldsError("Patchbay configuration", unknown);
    return provider;
  }
};
function unknownSettings(provider, settings, path) {
  if (!(provider instanceof AbstractProvider)) return [];
  const fields = credentialFieldsOf(provider) ?? [];
  if (!fields.length) return [];
  const shown = provider.getConfig();
  const issues = [];
  for (const [key, value] of Object.entries(settings)) {
    if (value === void 0 || value === null || Object.hasOwn(shown, key) || fields.includes(key)) continue;
    if (closestKey(key, fields) !== void 0)
      issues.push({ path: `${path}.${key}`, message: unknownKeyMessage(key, fields) });
  }
  return issues;
}

// src/patchbay/credential-admin.ts
function present(value) {
  if (Secret.isInstance(value)) return value.reveal() !== "";
  return typeof value === "string" && value !== "";
}
function specOfProvider(host, provider) {
  if (typeof provider !== "string" || !own(host.config().providers, provider))
    throw invalidFieldsError("credentials request", [
      { path: "provider", message: `no provider "${String(provider)}" is configured` }
    ]);
  const definition2 = own(host.config().providers, provider);
  const factory = host.builder.factoryFor(definition2);
  let spec;
  try {
    const template = factory?.create({ id: provider, settings: definition2.settings, runtime: { env: false } });
    spec = template && credentialSpecOf(template);
    template?.dispose?.();
  } catch {
    spec = void 0;
  }
  if (!spec)
    throw new PatchbayError({
      code: "invalid_request",
      message: `Provider "${provider}" does not declare its credential fields`,
      provider
    });
  return spec;
}
function checkTenant(tenant) {
  if (typeof tenant !== "string" || tenant === "" || tenant.length > 256)
    throw invalidFieldsError("credentials request", [
      { path: "tenant", message: "a non-empty string of at most 256 characters" }
    ]);
}
function credentialWriteIssues(spec, values, pathPrefix = "values") {
  if (typeof values !== "object" || values === null || Array.isArray(values) || Secret.isInstance(values))
    return [{ path: pathPrefix, message: "must be an object of credential fields" }];
  const issues = [];
  const names = Object.keys(values);
  if (names.length === 0) issues.push({ path: pathPrefix, message: "names no credential field" });
  for (const name of names) {
    const path = `${pathPrefix}.${name}`;
    if (!spec.fields.includes(name)) {
      issues.push({ path, message: `not a credential field (allowed: ${spec.fields.join(", ")})` });
      continue;
    }
    const value = values[name];
    if (!present(value)) issues.push({ path, message: "must be a non-empty string or a Secret" });
    else if (policyOf(spec, name) === "platform")
      issues.push({
        path,
        message: "platform-only: supplied by the operator (settings or environment), not per tenant"
      });
  }
  return issues;
}
function needsStore(store, method) {
  if (!store?.[method])
    throw new PatchbayError({
      code: "not_configured",
      message: `credentialStore: no credential store that supports ${method}() was given to createPatchbay`
    });
  return store;
}
function copyValues(values) {
  const copy = /* @__PURE__ */ Object.create(null);
  for (const [name, value] of Object.entries(values)) copy[name] = value;
  return copy;
}
function createCredentialAdmin(host) {
  const audited = async (action, tenant, provider, options, fields, run) => {
    try {
      const { result, before, after, fields: written } = await run();
      host.audit?.record({
        action,
        actor: options?.actor,
        tenant,
        provider,
        fields: written ?? fields(),
        before,
        after
      });
      return result;
    } catch (error) {
      host.audit?.record({
        action,
        actor: options?.actor,
        tenant: typeof tenant === "string" ? tenant : null,
        provider: typeof provider === "string" ? provider : null,
        outcome: "failure",
        fields: fields(),
        // PatchbayError messages name paths and never values; anything else is ours to summarise.
        detail: PatchbayError.isInstance(error) ? error.message.slice(0, 500) : "the credential store failed"
      });
      throw error;
    }
  };
  const namesOf = (values) => typeof values === "object" && values !== null ? Object.keys(values).slice(0, 64) : [];
  const describe = async (tenant, provider) => {
    checkTenant(tenant);
    const spec = specOfProvider(host, provider);
    const config = host.config();
    const shape = tenantShape(config, tenant, provider) ?? sharedShape(config, provider);
    const settings = shape?.settings ?? {};
    const environment = shape?.environment !== false && host.env !== false;
    const env = host.env === false ? void 0 : host.env ?? process.env;
    const stored = await host.store?.get(tenant, provider);
    return {
      tenant,
      provider,
      fields: spec.fields.map((name) => {
        const policy = policyOf(spec, name);
        const names = spec.env[name] ?? [];
        const inStore = stored !== void 0 && Object.hasOwn(stored, name) && present(stored[name]);
        let source = null;
        if (present(settings[name])) source = "explicit";
        else if (inStore && policy !== "platform") source = "tenant-store";
        else if (environment && policy !== "tenant" && names.some((variable) => present(env?.[variable])))
          source = "environment";
        return { name, secret: spec.secret.includes(name), policy, env: [...names], stored: inStore, source };
      })
    };
  };
  return {
    describe,
    set: (tenant, provider, values, options) => audited(
      "credentials.set",
      tenant,
      provider,
      options,
      () => namesOf(values),
      async () => {
        checkTenant(tenant);
        const spec = specOfProvider(host, provider);
        const issues = credentialWriteIssues(spec, values);
        if (issues.length) throw invalidFieldsError("credentials", issues, provider);
        const store = needsStore(host.store, "set");
        const before = await store.get(tenant, provider);
        const after = copyValues(values);
        await store.set?.(tenant, provider, after);
        return { result: await describe(tenant, provider), before, after };
      }
    ),
    rotate: (tenant, provider, values, options) => audited(
      "credentials.rotate",
      tenant,
      provider,
      options,
      () => namesOf(values),
      async () => {
        checkTenant(tenant);
        const spec = specOfProvider(host, provider);
        const issues = credentialWriteIssues(spec, values);
        if (issues.length) throw invalidFieldsError("credentials", issues, provider);
        const store = needsStore(host.store, "set");
        const before = await store.get(tenant, provider);
        if (!before)
          throw invalidFieldsError(
            "credentials",
            [
              {
                path: "provider",
                message: `tenant "${tenant}" has no stored credentials for "${provider}" to rotate (use set)`
              }
            ],
            provider
          );
        const after = Object.assign(copyValues(before), copyValues(values));
        await store.set?.(tenant, provider, after);
        return { result: await describe(tenant, provider), before, after };
      }
    ),
    delete: (tenant, provider, options) => {
      let removed = [];
      return audited(
        "credentials.delete",
        tenant,
        provider,
        options,
        () => removed,
        async () => {
          checkTenant(tenant);
          specOfProvider(host, provider);
          const store = needsStore(host.store, "delete");
          const before = await store.get(tenant, provider);
          removed = before ? Object.keys(before) : [];
          await store.delete?.(tenant, provider);
          return { result: await describe(tenant, provider), before, after: void 0, fields: removed };
        }
      );
    }
  };
}

// src/patchbay/credential-validation.ts
function invalid(issues) {
  return { valid: false, issues, health: void 0 };
}
async function validateCandidateCredentials(options) {
  const { builder, config, providerId, candidate } = options;
  const definition2 = own(config.providers, providerId);
  if (!definition2)
    throw new PatchbayError({ code: "invalid_request", message: `No provider "${providerId}" is configured` });
  if (typeof candidate !== "object" || candidate === null || Array.isArray(candidate))
    return invalid([{ path: "(root)", message: "the candidate must be an object of credential fields" }]);
  const factory = builder.factoryFor(definition2);
  if (!factory) throw new PatchbayError({ code: "invalid_request", message: `No adapter for "${definition2.vendor}"` });
  let template;
  try {
    template = factory.create({ id: providerId, settings: definition2.settings, runtime: { env: false } });
  } catch {
    return invalid([{ path: "(root)", message: `the configured settings of "${providerId}" are invalid` }]);
  }
  const fields = credentialFieldsOf(template);
  if (!fields)
    return invalid([{ path: "(root)", message: `provider "${providerId}" does not declare its credential fields` }]);
  const issues = [];
  for (const [key, value] of Object.entries(candidate)) {
    if (!fields.includes(key))
      issues.push({ path: key, message: `not a credential field of "${providerId}" (allowed: ${fields.join(", ")})` });
    else if (typeof value !== "string" && !Secret.isInstance(value))
      issues.push({ path: key, message: "must be a string or a Secret" });
  }
  if (issues.length) return invalid(issues);
  const settings = { ...definition2.settings };
  for (const field of fields) delete settings[field];
  Object.assign(settings, candidate);
  let probe;
  try {
    probe = factory.create({ id: providerId, settings, runtime: { env: false, fetch: builder.runtime(false).fetch } });
  } catch (error) {
    const listed = PatchbayError.isInstance(error) ? error.details?.issues : void 0;
    return invalid(listed ?? [{ path: "(root)", message: "the candidate was rejected by the adapter" }]);
  }
  const health = await probe.test({ tenant: options.tenant, signal: options.signal });
  const found = health.status === "not_configured" ? [
    ...(health.details?.missing ?? []).map((path) => ({ path, message: "required" })),
    ...health.details?.invalid ?? []
  ] : [];
  return { valid: health.healthy, issues: found, health };
}

// src/patchbay/error-channel.ts
var ErrorChannel = class {
  #onError;
  #listeners = /* @__PURE__ */ new Set();
  #warned = /* @__PURE__ */ new Set();
  constructor(onError) {
    this.#onError = onError;
  }
  on(listener) {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
  report(event) {
    if (!this.#onError && this.#listeners.size === 0) {
      if (!this.#warned.has(event.source)) {
        this.#warned.add(event.source);
        process.emitWarning(
          `Patchbay: ${event.source} failed (further reports of this source are silent without an error listener; pass onError or subscribe to 'error')`,
          { code: "PATCHBAY_USER_CODE_FAILED" }
        );
      }
      return;
    }
    for (const handler of [this.#onError, ...this.#listeners]) {
      if (!handler) continue;
      try {
        handler(event);
      } catch {
      }
    }
  }
};
var kindLabels = {
  llm: "language models",
  tts: "speech synthesis",
  stt: "transcription",
  sms: "SMS",
  whatsapp: "WhatsApp"
};
var described = /* @__PURE__ */ new WeakMap();
function settingsSchemaOf(template, credentialFields) {
  const schema = template.settingsSchema;
  if (!schema || typeof schema !== "object") return void 0;
  try {
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
    const properties = json.properties;
    if (properties) {
      for (const field of credentialFields) delete properties[field];
      if (Array.isArray(json.required))
        json.required = json.required.filter((name) => !credentialFields.includes(name));
    }
    return json;
  } catch {
    return void 0;
  }
}
function cloned(value) {
  try {
    return value === void 0 ? void 0 : structuredClone(value);
  } catch {
    return void 0;
  }
}
function buildTemplate(factory) {
  const settings = {};
  for (let round = 0; round < 4; round++) {
    try {
      return factory.create({ id: `${factory.vendor}-catalogue`, settings: { ...settings }, runtime: { env: false } });
    } catch (error) {
      const issues = PatchbayError.isInstance(error) ? error.details?.issues : void 0;
      const missing = (issues ?? []).filter(
        (issue) => /received undefined|\brequired\b/i.test(issue.message) && !issue.path.includes(".") && !(issue.path in settings)
      );
      if (!missing.length) return void 0;
      for (const { path } of missing) settings[path] = /url/i.test(path) ? "https://catalogue.invalid" : "catalogue";
    }
  }
  return void 0;
}
function describeFactory(factory) {
  const known = described.get(factory);
  if (known) return known;
  const template = buildTemplate(factory);
  const spec = template ? credentialSpecOf(template) : void 0;
  const shape = spec?.schema?.shape;
  const credentials = (spec?.fields ?? []).map((name) => ({
    name,
    env: [...spec?.env[name] ?? []],
    secret: spec?.secret.includes(name) ?? false,
    policy: spec ? policyOf(spec, name) : "either",
    required: shape?.[name] ? !shape[name].safeParse(void 0).success : true
  }));
  const capabilities = template?.capabilities;
  const entry = {
    kind: factory.kind,
    vendor: factory.vendor,
    label: factory.label ?? `${factory.vendor} (${kindLabels[factory.kind] ?? factory.kind})`,
    docsUrl: factory.docsUrl,
    capabilities: cloned(capabilities),
    credentials,
    settings: template ? settingsSchemaOf(template, spec?.fields ?? []) : void 0
  };
  template?.dispose?.();
  described.set(factory, entry);
  return entry;
}

// src/patchbay/route-resolution.ts
var kinds = ["llm", "tts", "stt", "sms", "whatsapp"];
function implicitRoute(ids, kind) {
  return { kind, strategy: "priority", providers: ids, stickyKey: "tenant" };
}
function resolveRoute(name, route, providers, config) {
  const kind = routeKind(name, route, config);
  const members = route.providers.map((member3) => {
    const entry = providers.get(memberId(member3));
    return {
      id: entry.id,
      provider: entry.provider,
      weight: typeof member3 === "string" ? 1 : member3.weight,
      breaker: entry.breaker
    };
  });
  return {
    name,
    kind,
    strategy: route.strategy,
    stickyKey: route.stickyKey,
    members,
    attemptTimeoutMs: route.attemptTimeoutMs ?? config.defaults.attemptTimeoutMs,
    deadlineMs: route.deadlineMs ?? config.defaults.deadlineMs,
    retry: retryPolicySchema.parse({ ...config.defaults.retry, ...route.retry }),
    failover: { ...defaultFailover, ...route.failover },
    aliases: route.aliases,
    repeatUnknownOutcome: route.repeatUnknownOutcome ?? !(kind === "sms" || kind === "whatsapp")
  };
}
function routeConfigsFor(config, tenant) {
  const routes = new Map(Object.entries(config.routes));
  const overrides = tenant === void 0 ? void 0 : own(config.tenants, tenant);
  for (const [name, patch] of Object.entries(overrides?.routes ?? {}))
    routes.set(name, { ...routes.get(name), ...patch });
  return routes;
}
function resolveRoutes(routeConfigs, providers, config) {
  const routes = /* @__PURE__ */ new Map();
  for (const [name, route] of routeConfigs) routes.set(name, resolveRoute(name, route, providers, config));
  for (const kind of kinds) {
    if (routes.has(kind)) continue;
    const ofKind = [...routes.values()].filter((route) => route.kind === kind);
    if (ofKind.length === 1) routes.set(kind, ofKind[0]);
    else if (ofKind.length === 0) {
      const ids = Object.entries(config.providers).filter(([, provider]) => provider.kind === kind).map(([id]) => id);
      if (ids.length) routes.set(kind, resolveRoute(kind, implicitRoute(ids, kind), providers, config));
    }
  }
  return routes;
}

// src/patchbay/tenant-binding.ts
var optionsIndex = {
  generate: 1,
  stream: 1,
  synthesize: 1,
  transcribe: 1,
  transcribeLive: 1,
  send: 1,
  listVoices: 0,
  test: 0
};
function tenantOf(args, index) {
  const options = args[index];
  return typeof options?.tenant === "string" ? options.tenant : void 0;
}
function wrapCallMethods(provider, wrap) {
  const methods = /* @__PURE__ */ new Map();
  return new Proxy(provider, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      let method = methods.get(property);
      if (!method) {
        const index = typeof property === "string" ? optionsIndex[property] : void 0;
        method = index === void 0 ? value.bind(target) : wrap(value, property, index);
        methods.set(property, method);
      }
      return method;
    }
  });
}
function dispatchByTenant(provider, resolve) {
  return wrapCallMethods(provider, (_method, property, index) => (...args) => {
    const tenant = tenantOf(args, index);
    const receiver = tenant === void 0 ? provider : resolve(tenant);
    const call = Reflect.get(receiver, property, receiver);
    return call.apply(receiver, args);
  });
}
function pinTenant(provider, tenant) {
  return wrapCallMethods(provider, (method, _property, index) => (...args) => {
    const copy = args.slice();
    while (copy.length <= index) copy.push(void 0);
    copy[index] = { ...copy[index], tenant };
    return method.apply(provider, copy);
  });
}

// src/patchbay/tenant-scopes.ts
var defaultMaxTenantScopes = 1e3;
var TenantScopes = class {
  #store;
  #registry;
  #builder;
  #scopes;
  #shared;
  constructor(options) {
    this.#store = options.store;
    this.#registry = options.registry;
    this.#builder = options.builder;
    this.#scopes = new LruMap(options.maxTenantScopes ?? defaultMaxTenantScopes, {
      canEvict: (tenant) => this.#registry.tenantBreakersClosed(tenant),
      onEvict: (tenant) => this.#registry.removeTenant(tenant)
    });
  }
  /** Tenant scopes held now. */
  get size() {
    return this.#scopes.size;
  }
  /** Whether the tenant has overrides of its own (then it has its own scope). */
  hasOverrides(tenant) {
    return tenant !== void 0 && own(this.#store.config.tenants, tenant) !== void 0;
  }
  shared() {
    const generation = this.#store.generation;
    if (this.#shared?.generation !== generation) {
      const providers = this.#registry.entriesOf(void 0);
      this.#shared = {
        tenant: void 0,
        generation,
        providers,
        routes: resolveRoutes(routeConfigsFor(this.#store.config, void 0), providers, this.#store.config)
      };
    }
    return this.#shared;
  }
  scopeFor(tenant) {
    if (tenant === void 0 || !this.hasOverrides(tenant)) return this.shared();
    const existing = this.#scopes.get(tenant);
    if (existing?.generation === this.#store.generation) return existing;
    const scope = this.#build(tenant);
    this.#scopes.set(tenant, scope);
    return scope;
  }
  #build(tenant) {
    const config = this.#store.config;
    const shared = this.shared();
    const providers = /* @__PURE__ */ new Map();
    for (const id of Object.keys(config.providers)) {
      const shape = tenantShape(config, tenant, id);
      if (!shape) {
        providers.set(id, shared.providers.get(id));
        continue;
      }
      let entry = this.#registry.get(tenant, id);
      if (!entry) {
        const path = `tenants.${tenant}.providers.${id}.settings`;
        entry = this.#registry.add(tenant, id, this.#builder.build({ id, ...shape, path }), shape);
      }
      providers.set(id, entry);
    }
    return {
      tenant,
      generation: this.#store.generation,
      providers,
      routes: resolveRoutes(routeConfigsFor(config, tenant), providers, config)
    };
  }
};

// src/metering/usage-sink.ts
function toUsageListener(sink) {
  return typeof sink === "function" ? sink : (record) => sink.record(record);
}

// src/patchbay/usage-dispatcher.ts
var defaultUsageQueueCapacity = 1e4;
function isThenable(value) {
  return typeof value?.then === "function";
}
var SinkLane = class {
  #sink;
  #index;
  #capacity;
  #errors;
  #waiters = [];
  #queue = [];
  #head = 0;
  #busy = false;
  dropped = 0;
  constructor(sink, index, capacity, errors) {
    this.#sink = toUsageListener(sink);
    this.#index = index;
    this.#capacity = capacity;
    this.#errors = errors;
  }
  get pending() {
    return this.#queue.length - this.#head + (this.#busy ? 1 : 0);
  }
  get idle() {
    return !this.#busy && this.#queue.length === this.#head;
  }
  offer(record) {
    if (!this.#busy) {
      this.#deliver(record);
      return;
    }
    if (this.#queue.length - this.#head >= this.#capacity) {
      this.dropped++;
      if ((this.dropped & this.dropped - 1) === 0) {
        this.#errors.report({
          source: "usage-queue-overflow",
          error: new Error(`Usage sink ${this.#index} is behind: its queue of ${this.#capacity} records is full`),
          sink: this.#index,
          dropped: this.dropped
        });
      }
      return;
    }
    this.#queue.push(record);
  }
  /** Resolves when everything queued so far has been delivered (or the lane is dropped). */
  drained() {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
  #deliver(record) {
    let result;
    try {
      result = this.#sink(record);
    } catch (error) {
      this.#report(error);
      this.#next();
      return;
    }
    if (!isThenable(result)) {
      this.#next();
      return;
    }
    this.#busy = true;
    result.then(
      () => this.#settled(),
      (error) => {
        this.#report(error);
        this.#settled();
      }
    );
  }
  #settled() {
    this.#busy = false;
    this.#next();
  }
  #next() {
    if (this.#busy) return;
    while (this.#head < this.#queue.length) {
      const record = this.#queue[this.#head];
      this.#queue[this.#head++] = void 0;
      if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      this.#deliver(record);
      if (this.#busy) return;
    }
    this.#queue = [];
    this.#head = 0;
    for (const waiter of this.#waiters.splice(0)) waiter();
  }
  #report(error) {
    this.#errors.report({ source: "usage-sink", error, sink: this.#index });
  }
};
var UsageDispatcher = class {
  #lanes;
  constructor(sinks, errors, options = {}) {
    const capacity = options.capacity ?? defaultUsageQueueCapacity;
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError("usageQueue.capacity must be an integer \u2265 0");
    this.#lanes = sinks.map((sink, index) => new SinkLane(sink, index, capacity, errors));
  }
  get hasSinks() {
    return this.#lanes.length > 0;
  }
  record = (record) => {
    for (const lane of this.#lanes) lane.offer(record);
  };
  /** Records queued or in delivery, over every sink. */
  get pending() {
    let total = 0;
    for (const lane of this.#lanes) total += lane.pending;
    return total;
  }
  /** Records dropped because a sink's queue was full, over every sink. */
  get dropped() {
    let total = 0;
    for (const lane of this.#lanes) total += lane.dropped;
    return total;
  }
  /** Resolves when every sink has taken every record offered so far. */
  async drained() {
    await Promise.all(this.#lanes.map((lane) => lane.drained()));
  }
};
function backoffDelay(policy, failedAttempt, error, random = Math.random) {
  const exponential = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (failedAttempt - 1));
  const computed = policy.jitter ? Math.round(random() * exponential) : exponential;
  return Math.max(computed, error.retryAfterMs ?? 0);
}
async function retryAfterFailure(firstError, attempt, policy, signal, decision, toError, deadlineAt) {
  const waitBeforeRetry = async (error, failedAttempt) => {
    const normalised = toError(error);
    if (!decision.shouldRetry(normalised, failedAttempt)) return false;
    if (normalised.retryAfterMs !== void 0 && normalised.retryAfterMs > policy.maxRetryAfterMs) return false;
    const delayMs = backoffDelay(policy, failedAttempt, normalised);
    if (deadlineAt !== void 0 && Date.now() + delayMs >= deadlineAt) return false;
    decision.onRetry(normalised, failedAttempt, delayMs);
    await sleep(delayMs, signal);
    return true;
  };
  if (policy.maxRetries === 0 || !await waitBeforeRetry(firstError, 1)) throw firstError;
  return pRetry((retryNumber) => attempt(retryNumber + 1), {
    retries: policy.maxRetries - 1,
    minTimeout: 0,
    maxTimeout: 0,
    randomize: false,
    signal,
    shouldRetry: ({ error, attemptNumber }) => waitBeforeRetry(error, attemptNumber + 1)
  });
}

// src/routing/route-aliases.ts
var noIdentifiers = { serves: () => true, resolve: () => void 0, empty: true, requested: {} };
function own2(table, key) {
  return table !== void 0 && Object.hasOwn(table, key) ? table[key] : void 0;
}
function planIdentifiers(aliases, requested) {
  if (requested.model === void 0 && requested.voice === void 0 && requested.template === void 0)
    return noIdentifiers;
  const fields = Object.keys(requested).filter((field) => requested[field] !== void 0);
  return {
    empty: false,
    requested,
    serves(member3, primaryVendor) {
      for (const field of fields) {
        const mapping = own2(aliases?.[field], requested[field]);
        if (mapping) {
          if (typeof own2(mapping, member3.id) !== "string") return false;
        } else if (primaryVendor !== void 0 && member3.vendor !== primaryVendor) return false;
      }
      return true;
    },
    resolve(member3) {
      if (!aliases) return void 0;
      const resolved = {};
      let changed = false;
      for (const field of fields) {
        const mapped = own2(own2(aliases[field], requested[field]), member3.id);
        if (mapped !== void 0) {
          resolved[field] = mapped;
          changed = true;
        }
      }
      return changed ? resolved : void 0;
    }
  };
}
function unmappedIdentifierError(route, requested) {
  const named = Object.keys(requested).filter((field) => requested[field] !== void 0).map((field) => `${field} "${requested[field]}"`).join(", ");
  return new PatchbayError({
    code: "invalid_request",
    message: `No provider in route "${route}" can serve ${named}: add it to the route's aliases for each member that should serve it`,
    details: {
      route,
      fields: Object.keys(requested).filter((field) => requested[field] !== void 0)
    }
  });
}

// src/routing/strategies.ts
function stableHash(text2) {
  let hash = 2166136261;
  for (let index = 0; index < text2.length; index++) {
    hash ^= text2.charCodeAt(index);
    hash = Math.imul(hash, 16777619);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 2246822507);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 3266489909);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
function priorityOrder(members) {
  return members;
}
function roundRobinOrder(members, counter) {
  const start = counter % members.length;
  return [...members.slice(start), ...members.slice(0, start)];
}
function weightedOrder(members, routeName, stickyKey, random = Math.random) {
  let total = 0;
  for (const member3 of members) total += member3.weight;
  const point = stickyKey === void 0 ? random() * total : stableHash(`${routeName}\0${stickyKey}`) / 2 ** 32 * total;
  let chosen = members.length - 1;
  let cumulative = 0;
  for (let index = 0; index < members.length; index++) {
    cumulative += members[index]?.weight ?? 0;
    if (point < cumulative) {
      chosen = index;
      break;
    }
  }
  const first = members[chosen];
  return first ? [first, ...members.filter((_, index) => index !== chosen)] : [...members];
}
function stickyKeyOf(kind, options) {
  if (kind === "tenant") return options.tenant;
  if (kind === "correlationId") return options.correlationId;
  return void 0;
}

// src/routing/route-executor.ts
var shortRetryAfterMs = 1e3;
var done = /* @__PURE__ */ Symbol("done");
var RouteExecutor = class {
  #events;
  #meter;
  // One counter per route (keyed by the resolved route, so a rebuilt route starts afresh and a dropped one is freed).
  #roundRobin = /* @__PURE__ */ new WeakMap();
  // Every attempt timeout and deadline of this router, on one timer.
  #timeouts = new TimeoutQueue();
  #limits;
  constructor(events, meter, limits) {
    this.#events = events;
    this.#meter = meter;
    this.#limits = limits;
  }
  /** Reports a failover decided after a call returned: a live session that moved to another member. */
  emitFailover(event) {
    this.#events.emit("failover", event);
  }
  /** Stops the shared timeout timer (calls made afterwards arm it again). */
  close() {
    this.#timeouts.close();
  }
  call(route, operation, options = {}) {
    return this.#run(route, operation, options, this.#callAttempt);
  }
  /** One attempt of `call`: the member's answer, metered (the operation is the call's, kept in its state). */
  #callAttempt = async (member3, attemptOptions, attempt, state, links, started) => {
    const operation = state.operation;
    const result = await operation.invoke(member3.provider, attemptOptions);
    return this.#settleCall(member3, state, attempt, links, started, operation, result);
  };
  /** A member answered a `call`: meter it (a session is metered when it ends) and hand the result back. */
  #settleCall(member3, state, attempt, links, started, operation, result) {
    const route = state.route;
    const latencyMs = performance.now() - started;
    if (operation.wrap) {
      links?.handOver();
      let metered = false;
      return operation.wrap(result, (quantities, outcome) => {
        if (metered) return;
        metered = true;
        links?.dispose();
        this.#record(
          route,
          member3,
          state,
          attempt,
          performance.now() - started,
          outcome,
          void 0,
          operation.model(result, member3.provider),
          quantities
        );
      });
    }
    this.#record(
      route,
      member3,
      state,
      attempt,
      latencyMs,
      "success",
      void 0,
      operation.model(result, member3.provider),
      operation.usage(result),
      operation.reportedCost?.(result)
    );
    return result;
  }
  stream(route, operation, options = {}) {
    return this.#run(route, operation, options, async (member3, attemptOptions, attempt, state, links, started) => {
      const result = await operation.invoke(member3.provider, attemptOptions);
      const iterator = result.stream[Symbol.asyncIterator]();
      let first;
      try {
        first = await (links ? links.race(iterator.next()) : iterator.next());
      } catch (error) {
        void iterator.return?.()?.catch?.(() => {
        });
        throw error;
      }
      links?.handOver();
      const tally = /* @__PURE__ */ new Map();
      for (const { unit, quantity } of operation.usage(result)) tally.set(unit, quantity);
      const finish = (outcome, errorCode) => {
        links?.dispose();
        const quantities = [...tally].map(([unit, quantity]) => ({ unit, quantity }));
        this.#record(
          route,
          member3,
          state,
          attempt,
          performance.now() - started,
          outcome,
          errorCode,
          operation.model(result, member3.provider),
          quantities
        );
      };
      const relay = this.#relay(member3, first, iterator, operation, tally, finish, options.signal);
      return { ...result, stream: relay };
    });
  }
  async *#relay(member3, first, iterator, operation, tally, finish, callerSignal) {
    let outcome = done;
    let next = first;
    try {
      while (!next.done) {
        operation.observe?.(next.value, tally);
        yield next.value;
        next = await iterator.next();
      }
      outcome = "success";
    } catch (caught) {
      const error = toPatchbayError(caught, {
        provider: member3.id,
        vendor: member3.provider.vendor,
        signal: callerSignal
      });
      if (error.code === "aborted") {
        outcome = "aborted";
        finish(outcome, error.code);
        throw error;
      }
      outcome = "stream_cut";
      finish(outcome, "stream_cut");
      throw error.code === "stream_cut" ? error : new PatchbayError({
        code: "stream_cut",
        message: `Stream from provider "${member3.id}" broke after it had started (${error.code})`,
        provider: member3.id,
        vendor: member3.provider.vendor,
        cause: error
      });
    } finally {
      if (outcome === done) {
        await iterator.return?.();
        finish("aborted");
      } else if (outcome === "success") finish("success");
    }
  }
  async #run(route, operation, options, attemptOnce) {
    const ordered = this.#order(route, options, operation.eligible, operation.identifiers);
    if (ordered === void 0) throw unmappedIdentifierError(route.name, requestedOf(operation.identifiers));
    if (ordered.length === 0 && operation.ineligible) throw operation.ineligible();
    const state = {
      route,
      operation,
      tenant: options.tenant,
      correlationId: options.correlationId,
      attempts: [],
      deadlineAt: route.deadlineMs === void 0 ? void 0 : Date.now() + route.deadlineMs
    };
    if (this.#limits?.hasCallLimits) {
      const first = ordered[0];
      state.admission = await this.#limits.admitCall(
        route.name,
        options.tenant,
        operation.estimate?.() ?? [],
        first && { provider: first.id, vendor: first.provider.vendor }
      );
    }
    const callerSignal = options.signal;
    const plainCall = attemptOnce === this.#callAttempt && callerSignal === void 0 && route.attemptTimeoutMs === void 0 && state.deadlineAt === void 0;
    const members = operation.replayable === false ? ordered.slice(0, 1) : ordered;
    if (operation.replayable === false) route = { ...route, retry: { ...route.retry, maxRetries: 0 } };
    let last;
    for (let index = 0; index < members.length; index++) {
      const member3 = members[index];
      if (callerSignal?.aborted) break;
      if (index > 0 && state.deadlineAt !== void 0 && Date.now() >= state.deadlineAt) {
        last = this.#deadlineError(route, void 0);
        break;
      }
      if (!member3.breaker.allowsCall) {
        this.#skip(route, member3, state);
        continue;
      }
      try {
        try {
          if (!plainCall || this.#limits?.hasProviderLimits(member3.id)) {
            return await this.#attempt(route, member3, options, state, operation, attemptOnce, 1);
          }
          const started = performance.now();
          state.attemptAdmission = void 0;
          const breaker = member3.breaker;
          if (!breaker.enter()) throw breaker.rejection();
          const call = operation;
          let value;
          try {
            const result = await call.invoke(member3.provider, options);
            value = this.#settleCall(member3, state, 1, void 0, started, call, result);
          } catch (error) {
            breaker.failedWith(error);
            throw this.#attemptFailed(route, member3, state, call, error, void 0, callerSignal, started, 1);
          }
          breaker.succeededOnce();
          this.#emitAttempt(route, member3, state, 1, "success", performance.now() - started, void 0);
          return value;
        } catch (firstError) {
          if (route.retry.maxRetries === 0 || ProviderBreaker.isOpenRejection(firstError)) throw firstError;
          const attempt = (attemptNumber) => this.#attempt(route, member3, options, state, operation, attemptOnce, attemptNumber);
          return await this.#retryMember(route, member3, state, callerSignal, attempt, firstError, members, index);
        }
      } catch (caught) {
        if (ProviderBreaker.isOpenRejection(caught)) {
          this.#skip(route, member3, state);
          continue;
        }
        const error = caught;
        last = error;
        if (error.code === "aborted" || callerSignal?.aborted) break;
        if (!route.failover[error.code] || error.outcomeUnknown && !route.repeatUnknownOutcome) break;
        const next = members.slice(index + 1).find((candidate) => candidate.breaker.allowsCall);
        this.#events.emit("failover", {
          route: route.name,
          from: member3.id,
          to: next?.id,
          tenant: state.tenant,
          errorCode: error.code
        });
      }
    }
    if (callerSignal?.aborted && (!last || last.code !== "aborted" && last.code !== "timeout")) {
      last = this.#abortError(callerSignal.reason, void 0);
    }
    throw new AllProvidersFailedError({
      route: route.name,
      attempts: state.attempts,
      last,
      reason: members.length === 0 ? "no provider in the route can serve this call" : void 0
    });
  }
  /** One attempt on one member: its guard, the breaker, the attempt event, and on failure its record. */
  async #attempt(route, member3, options, state, operation, attemptOnce, attemptNumber) {
    const callerSignal = options.signal;
    const started = performance.now();
    const guard = this.#guard(route, member3, state, callerSignal);
    const attemptOptions = guard ? {
      tenant: options.tenant,
      correlationId: options.correlationId,
      get signal() {
        return guard.signal;
      }
    } : options;
    try {
      state.attemptAdmission = void 0;
      if (this.#limits?.hasProviderLimits(member3.id)) {
        state.attemptAdmission = await this.#limits.admitAttempt(
          route.name,
          state.tenant,
          { id: member3.id, vendor: member3.provider.vendor },
          operation.estimate?.() ?? []
        );
      }
      const breaker = member3.breaker;
      if (!breaker.enter()) throw breaker.rejection();
      let value;
      const pending = attemptOnce(member3, attemptOptions, attemptNumber, state, guard, started);
      if (guard) {
        value = await guard.race(breaker.observe(pending));
      } else {
        try {
          value = await pending;
        } catch (error) {
          breaker.failedWith(error);
          throw error;
        }
        breaker.succeededOnce();
      }
      this.#emitAttempt(route, member3, state, attemptNumber, "success", performance.now() - started, void 0);
      return value;
    } catch (caught) {
      if (ProviderBreaker.isOpenRejection(caught)) throw caught;
      throw this.#attemptFailed(route, member3, state, operation, caught, guard, callerSignal, started, attemptNumber);
    } finally {
      if (guard !== void 0 && !guard.handedOver) guard.dispose();
    }
  }
  /** A failed attempt's record, event and metering; returns the error it failed with. */
  #attemptFailed(route, member3, state, operation, caught, guard, callerSignal, started, attemptNumber) {
    const error = this.#attemptError(route, member3, caught, guard, callerSignal);
    const durationMs = performance.now() - started;
    state.attempts.push({
      provider: member3.id,
      vendor: member3.provider.vendor,
      code: error.code,
      message: error.message,
      durationMs: Math.round(durationMs),
      attempt: attemptNumber
    });
    this.#emitAttempt(route, member3, state, attemptNumber, "error", durationMs, error.code);
    this.#record(
      route,
      member3,
      state,
      attemptNumber,
      durationMs,
      error.code === "aborted" ? "aborted" : "error",
      error.code,
      operation.model(void 0, member3.provider) ?? configuredModel(member3.provider),
      operation.failureUnits.map((unit) => ({ unit, quantity: 0 }))
    );
    return error;
  }
  /** After a failed first attempt: the failover rule decides whether the same member is tried again. */
  async #retryMember(route, member3, state, callerSignal, attempt, firstError, members, index) {
    const hasFallback = () => {
      for (let next = index + 1; next < members.length; next++)
        if (members[next].breaker.allowsCall) return true;
      return false;
    };
    try {
      return await retryAfterFailure(
        firstError,
        attempt,
        route.retry,
        callerSignal,
        {
          shouldRetry: (error) => error.retryable && error.code !== "aborted" && !callerSignal?.aborted && !(error.outcomeUnknown && !route.repeatUnknownOutcome) && member3.breaker.allowsCall && // The failover rule: another healthy member is tried at once; the same one again only when none
          // is left, or when the vendor asked for a short pause (a rate limit with a brief Retry-After).
          (!hasFallback() || error.code === "rate_limited" && error.retryAfterMs !== void 0 && error.retryAfterMs <= shortRetryAfterMs),
          onRetry: (error, failedAttempt, delayMs) => this.#events.emit("retry", {
            route: route.name,
            provider: member3.id,
            tenant: state.tenant,
            attempt: failedAttempt,
            delayMs,
            errorCode: error.code
          })
        },
        (error) => toPatchbayError(error, { provider: member3.id, vendor: member3.provider.vendor }),
        state.deadlineAt
      );
    } catch (caught) {
      if (ProviderBreaker.isOpenRejection(caught) || PatchbayError.isInstance(caught)) throw caught;
      throw callerSignal?.aborted ? this.#abortError(callerSignal.reason, member3, caught) : toPatchbayError(caught, { provider: member3.id });
    }
  }
  /**
   * One guard per attempt, only when something can end it early: the caller's signal, the attempt timeout
   * or the call's deadline (one timer for whichever ends first). Without any, the adapter gets the caller's
   * options untouched and no signal is made.
   */
  #guard(route, member3, state, callerSignal) {
    const attemptMs = route.attemptTimeoutMs;
    if (attemptMs === void 0 && state.deadlineAt === void 0) {
      return callerSignal ? new AttemptGuard(callerSignal, void 0, void 0) : void 0;
    }
    const now = Date.now();
    const deadlineLeft = state.deadlineAt === void 0 ? void 0 : state.deadlineAt - now;
    if (deadlineLeft !== void 0 && (attemptMs === void 0 || deadlineLeft <= attemptMs)) {
      return new AttemptGuard(callerSignal, deadlineLeft, this.#timeouts, route.name, route.deadlineMs, true, now);
    }
    return new AttemptGuard(callerSignal, attemptMs, this.#timeouts, member3.id, attemptMs, false, now);
  }
  #attemptError(route, member3, caught, guard, callerSignal) {
    if (guard?.aborted) return this.#abortError(guard.reason, member3, caught);
    const error = toPatchbayError(caught, {
      provider: member3.id,
      vendor: member3.provider.vendor,
      signal: callerSignal
    });
    if ((route.kind === "sms" || route.kind === "whatsapp") && !error.outcomeUnknown && (!PatchbayError.isInstance(caught) || isProgrammingError(caught))) {
      return new PatchbayError({ ...error.toOptions(), outcomeUnknown: true, retryable: false });
    }
    return error;
  }
  #deadlineError(route, member3) {
    return this.#abortError(timeoutReason(deadlineMessage(route)), member3);
  }
  /** Timeout when one of our timers fired, aborted when the caller cancelled. */
  #abortError(abortReason, member3, cause) {
    const reason = abortReason;
    const timedOut = reason?.name === "TimeoutError";
    return new PatchbayError({
      code: timedOut ? "timeout" : "aborted",
      message: timedOut ? reason?.message ?? "Timed out" : "Aborted by the caller",
      provider: member3?.id,
      vendor: member3?.provider.vendor,
      // A timed-out request may have been processed by the vendor.
      outcomeUnknown: timedOut,
      cause: cause ?? reason
    });
  }
  /**
   * Members in the order this call tries them, leaving out those that cannot serve it. Undefined when some
   * member could serve the call but none can take its identifiers (see route-aliases.ts).
   */
  #order(route, options, eligible, identifiers) {
    const members = eligible ? route.members.filter((member3) => eligible(member3.provider)) : route.members;
    let ordered;
    if (members.length <= 1 || route.strategy === "priority") ordered = priorityOrder(members);
    else if (route.strategy === "round-robin") {
      let counter = this.#roundRobin.get(route.members);
      if (!counter) this.#roundRobin.set(route.members, counter = { next: 0 });
      ordered = roundRobinOrder(members, counter.next++);
    } else ordered = weightedOrder(members, route.name, stickyKeyOf(route.stickyKey, options));
    if (!identifiers || identifiers.empty || ordered.length === 0) return ordered;
    const primaryVendor = ordered[0]?.provider.vendor;
    const serving = ordered.filter((member3) => identifiers.serves(member3.provider, primaryVendor));
    return serving.length === 0 ? void 0 : serving;
  }
  #skip(route, member3, state) {
    state.attempts.push({
      provider: member3.id,
      vendor: member3.provider.vendor,
      code: "unavailable",
      message: "Skipped: circuit breaker open",
      durationMs: 0,
      attempt: 0
    });
    this.#emitAttempt(route, member3, state, 0, "skipped", 0, "unavailable");
  }
  #emitAttempt(route, member3, state, attempt, outcome, durationMs, errorCode) {
    if (!this.#events.has("attempt")) return;
    this.#events.emit("attempt", {
      route: route.name,
      kind: route.kind,
      provider: member3.id,
      tenant: state.tenant,
      correlationId: state.correlationId,
      attempt,
      outcome,
      durationMs,
      errorCode
    });
  }
  #record(route, member3, state, attempt, latencyMs, outcome, errorCode, model, quantities, reportedCost) {
    if (state.admission || state.attemptAdmission) {
      const settled = { provider: member3.id, vendor: member3.provider.vendor, model, quantities, reportedCost };
      state.attemptAdmission?.settle(settled);
      state.attemptAdmission = void 0;
      state.admission?.settle(settled);
    }
    this.#meter.record({
      reportedCost,
      route: route.name,
      kind: route.kind,
      provider: member3.id,
      vendor: member3.provider.vendor,
      model,
      tenant: state.tenant,
      correlationId: state.correlationId,
      attempt,
      latencyMs,
      outcome,
      errorCode,
      quantities
    });
  }
};
function deadlineMessage(route) {
  return `Route "${route.name}" exceeded its ${route.deadlineMs} ms deadline`;
}
function requestedOf(plan) {
  return plan?.requested ?? {};
}
function configuredModel(provider) {
  try {
    const value = provider.getConfig().model;
    return typeof value === "string" ? value : void 0;
  } catch {
    return void 0;
  }
}

// src/routing/live-failover-options.ts
var maxReplaySeconds = 600;
function invalidLiveFailover(request) {
  const options = request.failover;
  if (options === void 0) return void 0;
  const reject = (field, message) => new PatchbayError({ code: "invalid_request", message, details: { field: `failover.${field}` } });
  if (typeof options !== "object" || options === null) {
    return new PatchbayError({
      code: "invalid_request",
      message: "failover must be an object",
      details: { field: "failover" }
    });
  }
  const { replaySeconds, silenceTimeoutMs, enabled } = options;
  if (replaySeconds !== void 0 && (typeof replaySeconds !== "number" || !(replaySeconds >= 0 && replaySeconds <= maxReplaySeconds))) {
    return reject("replaySeconds", `failover.replaySeconds must be a number from 0 to ${maxReplaySeconds}`);
  }
  if (silenceTimeoutMs !== void 0 && (typeof silenceTimeoutMs !== "number" || !(silenceTimeoutMs >= 0 && silenceTimeoutMs <= 2 ** 31 - 1))) {
    return reject("silenceTimeoutMs", "failover.silenceTimeoutMs must be a number of milliseconds, 0 or more");
  }
  if (enabled !== void 0 && typeof enabled !== "boolean") {
    return reject("enabled", "failover.enabled must be a boolean");
  }
  return void 0;
}
function rawLayout(request) {
  const width = { pcm_s16le: 2, mulaw: 1, alaw: 1 };
  const bytes = width[request.encoding];
  if (bytes === void 0 || !(request.sampleRate > 0)) return void 0;
  const frame = bytes * (request.channels ?? 1);
  return { perSecond: frame * request.sampleRate, frame };
}

// src/routing/live-outbound-events.ts
var OutboundEvents = class {
  #items = [];
  #waiting;
  #closed = false;
  #error;
  #iterating = false;
  push(item) {
    if (this.#closed) return;
    const waiting = this.#waiting;
    this.#waiting = void 0;
    if (waiting) waiting.resolve({ value: item, done: false });
    else this.#items.push(item);
  }
  end(error) {
    if (this.#closed) return;
    this.#closed = true;
    this.#error = error;
    const waiting = this.#waiting;
    this.#waiting = void 0;
    if (!waiting) return;
    if (error === void 0) waiting.resolve({ value: void 0, done: true });
    else waiting.reject(error);
  }
  [Symbol.asyncIterator]() {
    if (this.#iterating) throw new Error("Live transcription events can be iterated once");
    this.#iterating = true;
    return {
      next: () => {
        if (this.#items.length)
          return Promise.resolve({ value: this.#items.shift(), done: false });
        if (this.#closed) {
          return this.#error === void 0 ? Promise.resolve({ value: void 0, done: true }) : Promise.reject(this.#error);
        }
        return new Promise((resolve, reject) => {
          this.#waiting = { resolve, reject };
        });
      },
      return: () => {
        this.#items.length = 0;
        this.#closed = true;
        return Promise.resolve({ value: void 0, done: true });
      }
    };
  }
};

// src/routing/live-replay-buffer.ts
var ReplayBuffer = class {
  #chunks = [];
  #capacity;
  #frame;
  /** Session position of the first buffered byte. */
  start = 0;
  #length = 0;
  constructor(capacity, frame) {
    this.#frame = frame;
    this.#capacity = capacity - capacity % frame;
  }
  get end() {
    return this.start + this.#length;
  }
  get length() {
    return this.#length;
  }
  /** Keeps a copy (the caller may reuse its buffer); drops the oldest audio beyond capacity. */
  append(chunk) {
    if (chunk.byteLength === 0) return;
    this.#chunks.push(chunk.slice());
    this.#length += chunk.byteLength;
    if (this.#length > this.#capacity) this.dropBefore(this.end - this.#capacity);
  }
  /** Forgets every byte before session position `position` (rounded down to a whole frame). */
  dropBefore(position) {
    const target = Math.min(this.end, position - position % this.#frame);
    let drop = target - this.start;
    while (drop > 0 && this.#chunks.length > 0) {
      const first = this.#chunks[0];
      if (first.byteLength <= drop) {
        this.#chunks.shift();
        drop -= first.byteLength;
        this.#length -= first.byteLength;
        this.start += first.byteLength;
      } else {
        this.#chunks[0] = first.slice(drop);
        this.#length -= drop;
        this.start += drop;
        drop = 0;
      }
    }
    if (this.#chunks.length === 0) this.start = Math.max(this.start, target);
  }
  chunks() {
    return this.#chunks;
  }
  clear() {
    this.start = this.end;
    this.#chunks.length = 0;
    this.#length = 0;
  }
};

// src/routing/routed-live-transcription.ts
var defaultReplaySeconds = 30;
var defaultSilenceTimeoutMs = 1e4;
var sameEnd = 1e-6;
var RoutedLiveTranscription = class {
  #init;
  #events = new OutboundEvents();
  #layout;
  #buffer;
  #silenceTimeoutMs;
  #failover;
  #excluded = /* @__PURE__ */ new Set();
  #done;
  #resolveDone;
  #rejectDone;
  #current;
  /** A failover under way: audio goes only to the buffer until it settles. */
  #switching;
  /** Ends the opening of the next member when the session closes during a failover. */
  #switchAbort;
  #state = "open";
  #failure;
  /** Bytes the caller sent (raw encodings), the session's timeline. */
  #sentBytes = 0;
  /** Session seconds at which the last delivered final ended. */
  #lastFinalEnd = 0;
  #silenceTimer;
  constructor(init, first) {
    this.#init = init;
    const options = init.request.failover ?? {};
    this.#layout = rawLayout(init.request);
    this.#failover = options.enabled !== false && this.#layout !== void 0;
    if (this.#failover && this.#layout) {
      const seconds = options.replaySeconds ?? defaultReplaySeconds;
      this.#buffer = new ReplayBuffer(Math.max(0, Math.floor(seconds * this.#layout.perSecond)), this.#layout.frame);
    }
    this.#silenceTimeoutMs = this.#failover ? options.silenceTimeoutMs ?? defaultSilenceTimeoutMs : 0;
    this.#done = new Promise((resolve, reject) => {
      this.#resolveDone = resolve;
      this.#rejectDone = reject;
    });
    this.#done.catch(() => {
    });
    this.#current = { ...first, offset: 0, replayedSeconds: 0, over: false };
    init.signal?.addEventListener("abort", this.#onAbort, { once: true });
    void this.#pump(this.#current);
  }
  get provider() {
    return this.#current.session.provider;
  }
  get vendor() {
    return this.#current.session.vendor;
  }
  get model() {
    return this.#current.session.model;
  }
  get events() {
    return this.#events;
  }
  /** Seconds of audio the caller sent (each second once, however many members heard it). */
  get audioSeconds() {
    if (this.#layout) return this.#sentBytes / this.#layout.perSecond;
    return this.#current.session.audioSeconds;
  }
  send(chunk) {
    if (this.#failure) throw this.#failure;
    if (this.#state !== "open") {
      throw new PatchbayError({
        code: "invalid_request",
        message: "Audio sent after finish() or close()",
        provider: this.provider,
        vendor: this.vendor
      });
    }
    this.#sentBytes += chunk.byteLength;
    this.#buffer?.append(chunk);
    if (this.#switching) return;
    const current = this.#current;
    try {
      current.session.send(chunk);
    } catch (error) {
      this.#lose(current, sendFailure(current, error));
      return;
    }
    this.#armWatchdog();
  }
  finish() {
    if (this.#state === "open") {
      this.#state = "finishing";
      if (!this.#switching) this.#finishMember(this.#current);
    }
    return this.#done;
  }
  close() {
    if (this.#state === "done") return;
    this.#state = "done";
    this.#release();
    this.#closeMember(this.#current, "aborted");
    this.#events.end();
    this.#resolveDone();
  }
  #finishMember(current) {
    this.#armWatchdog();
    current.session.finish().catch(() => {
    });
  }
  async #pump(current) {
    try {
      for await (const event of current.session.events) {
        if (current.over) return;
        this.#heard();
        this.#deliver(current, event);
      }
      if (current.over) return;
      if (this.#state === "finishing") {
        current.over = true;
        current.settle("success", current.replayedSeconds);
        this.#complete();
        return;
      }
      this.#lose(
        current,
        new PatchbayError({
          code: "stream_cut",
          message: `Provider "${current.member}" ended the live session early`,
          provider: current.member,
          vendor: current.session.vendor
        })
      );
    } catch (error) {
      if (!current.over) this.#lose(current, error);
    }
  }
  #deliver(current, event) {
    const offset = current.offset;
    switch (event.type) {
      case "transcript": {
        const start = event.start + offset;
        const end = start + event.duration;
        if (event.isFinal) {
          if (end <= this.#lastFinalEnd + sameEnd) return;
          this.#lastFinalEnd = end;
          if (this.#buffer && this.#layout) this.#buffer.dropBefore(Math.round(end * this.#layout.perSecond));
        }
        this.#events.push(
          offset === 0 ? event : { ...event, start, words: event.words.map((word) => shiftWord(word, offset)) }
        );
        return;
      }
      case "speech-started":
        this.#events.push(offset === 0 ? event : { ...event, timestamp: event.timestamp + offset });
        return;
      case "utterance-end":
        this.#events.push(offset === 0 ? event : { ...event, lastWordEnd: event.lastWordEnd + offset });
        return;
      default:
        this.#events.push(event);
    }
  }
  /** The current member lost (events failed, send threw, or silence): fail over, or end the session. */
  #lose(current, caught) {
    if (current.over || this.#state === "done") return;
    current.over = true;
    current.lostAt = this.#sentBytes;
    this.#stopWatchdog();
    const error = toPatchbayError(caught, {
      provider: current.member,
      vendor: current.session.vendor,
      signal: this.#init.signal
    });
    const aborted = error.code === "aborted" || this.#init.signal?.aborted === true;
    current.settle(aborted ? "aborted" : "stream_cut", current.replayedSeconds);
    try {
      current.session.close();
    } catch {
    }
    if (aborted || !this.#failover || error.code === "invalid_request") {
      this.#fail(error);
      return;
    }
    this.#init.lost(current.member, error);
    this.#excluded.add(current.member);
    const switching = this.#switchFrom(current, error).catch(
      (caught2) => (
        // Not expected (#switchFrom handles its failures): whatever it is ends the session, never unhandled.
        this.#fail(toPatchbayError(caught2, { signal: this.#init.signal }))
      )
    );
    if (this.#current === current) this.#switching = switching;
  }
  async #switchFrom(lost, error) {
    let next;
    const controller = new AbortController();
    this.#switchAbort = controller;
    const callerSignal = this.#init.signal;
    try {
      next = await this.#init.open(
        this.#excluded,
        callerSignal ? AbortSignal.any([callerSignal, controller.signal]) : controller.signal
      );
    } catch (caught) {
      const cause = toPatchbayError(caught, { signal: this.#init.signal });
      this.#fail(
        cause.code === "aborted" ? cause : new PatchbayError({
          code: "stream_cut",
          message: `Live session lost provider "${lost.member}" (${error.code}) and no other provider could take over`,
          provider: lost.member,
          vendor: lost.session.vendor,
          cause
        })
      );
      return;
    }
    if (this.#switchAbort === controller) this.#switchAbort = void 0;
    if (this.#state === "done") {
      next.session.close();
      next.settle("aborted", 0);
      return;
    }
    const buffer = this.#buffer;
    const perSecond = this.#layout.perSecond;
    const covered = Math.round(this.#lastFinalEnd * perSecond);
    const secondsLost = Math.max(0, buffer.start - covered) / perSecond;
    const previouslySent = Math.min(buffer.end, lost.lostAt ?? buffer.end);
    const secondsReplayed = Math.max(0, previouslySent - buffer.start) / perSecond;
    const at = buffer.start / perSecond;
    this.#lastFinalEnd = Math.max(this.#lastFinalEnd, at);
    const current = { ...next, offset: at, replayedSeconds: secondsReplayed, over: false };
    this.#current = current;
    this.#switching = void 0;
    const failover = {
      type: "failover",
      from: lost.member,
      to: next.member,
      errorCode: error.code,
      at,
      secondsReplayed,
      secondsLost
    };
    this.#events.push(failover);
    this.#init.switched(failover);
    void this.#pump(current);
    try {
      for (const chunk of buffer.chunks()) current.session.send(chunk);
    } catch (caught) {
      this.#lose(current, sendFailure(current, caught));
      return;
    }
    if (buffer.length > 0) this.#armWatchdog();
    if (this.#state === "finishing") this.#finishMember(current);
  }
  /** The member said something: it is alive, and the silence count starts again with the next audio. */
  #heard() {
    if (this.#silenceTimer === void 0) return;
    clearTimeout(this.#silenceTimer);
    this.#silenceTimer = void 0;
  }
  /**
   * Audio went out (or finish() asked for the last results): the member must say something within the silence
   * timeout. One timer, armed by the first audio after the member last spoke and cleared when it speaks.
   */
  #armWatchdog() {
    if (this.#silenceTimeoutMs <= 0 || this.#state === "done" || this.#silenceTimer !== void 0) return;
    this.#silenceTimer = setTimeout(this.#checkSilence, this.#silenceTimeoutMs);
  }
  #checkSilence = () => {
    this.#silenceTimer = void 0;
    if (this.#switching || this.#state === "done") return;
    const current = this.#current;
    this.#lose(
      current,
      new PatchbayError({
        code: "timeout",
        message: `Provider "${current.member}" sent nothing for ${this.#silenceTimeoutMs} ms of live audio`,
        provider: current.member,
        vendor: current.session.vendor
      })
    );
  };
  #stopWatchdog() {
    if (this.#silenceTimer !== void 0) clearTimeout(this.#silenceTimer);
    this.#silenceTimer = void 0;
  }
  #onAbort = () => {
    this.#fail(toPatchbayError(this.#init.signal?.reason, { signal: this.#init.signal }));
  };
  #closeMember(current, outcome) {
    if (current.over) return;
    current.over = true;
    current.settle(outcome, current.replayedSeconds);
    current.session.close();
  }
  #complete() {
    if (this.#state === "done") return;
    this.#state = "done";
    this.#release();
    this.#events.end();
    this.#resolveDone();
  }
  #fail(error) {
    if (this.#state === "done") return;
    this.#state = "done";
    this.#failure = error;
    this.#release();
    this.#closeMember(this.#current, error.code === "aborted" ? "aborted" : "stream_cut");
    this.#events.end(error);
    this.#rejectDone(error);
  }
  #release() {
    this.#stopWatchdog();
    this.#switchAbort?.abort(new PatchbayError({ code: "aborted", message: "Live session closed during a failover" }));
    this.#switchAbort = void 0;
    this.#buffer?.clear();
    this.#init.signal?.removeEventListener("abort", this.#onAbort);
  }
};
function sendFailure(current, error) {
  if (PatchbayError.isInstance(error)) return error;
  return new PatchbayError({
    code: "stream_cut",
    message: `Provider "${current.member}" could not take more live audio`,
    provider: current.member,
    vendor: current.session.vendor,
    cause: error
  });
}
function shiftWord(word, offset) {
  return { ...word, start: word.start + offset, end: word.end + offset };
}

// src/routing/routed-text-to-speech.ts
var textReplayLimit = 1e4;
var ReplayableText = class {
  #iterator;
  #limit;
  #onFailure;
  // Pieces read from the caller, from absolute index `#base` on.
  #kept = [];
  #base = 0;
  #keptCharacters = 0;
  #keeping = true;
  #overflowed = false;
  #ended = false;
  #closed = false;
  #pending;
  #failure;
  #readers = 0;
  constructor(source, limit, onFailure) {
    this.#iterator = source[Symbol.asyncIterator]();
    this.#limit = limit;
    this.#onFailure = onFailure;
  }
  /** False once more text was read before the first audio than can be replayed. */
  get replayable() {
    return !this.#overflowed;
  }
  get failure() {
    return this.#failure;
  }
  /** The text from its first piece, for one member; a reader made earlier stops. */
  reader() {
    const id = ++this.#readers;
    let index = 0;
    const next = async () => {
      while (true) {
        if (id !== this.#readers || this.#closed) return { done: true, value: void 0 };
        if (index < this.#base) throw new PatchbayError({ code: "unavailable", message: "Text no longer replayable" });
        if (index < this.#base + this.#kept.length) {
          const value = this.#kept[index - this.#base];
          index++;
          if (!this.#keeping) this.#drop(index);
          return { done: false, value };
        }
        if (this.#failure) throw this.#failure.error;
        if (this.#ended) return { done: true, value: void 0 };
        this.#pending ??= this.#readOne().finally(() => {
          this.#pending = void 0;
        });
        await this.#pending;
      }
    };
    return {
      [Symbol.asyncIterator]: () => ({
        next,
        return: async () => {
          if (id === this.#readers && !this.#keeping) await this.close();
          return { done: true, value: void 0 };
        }
      })
    };
  }
  /** The current reader's member produced audio: stop keeping text for another member. */
  commit() {
    this.#keeping = false;
  }
  async close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#kept = [];
    if (!this.#ended && !this.#failure) await this.#iterator.return?.()?.catch?.(() => {
    });
  }
  #drop(upTo) {
    const count = upTo - this.#base;
    if (count <= 0) return;
    this.#kept.splice(0, count);
    this.#base = upTo;
  }
  async #readOne() {
    let result;
    try {
      result = await this.#iterator.next();
    } catch (error) {
      this.#failure = { error };
      this.#onFailure(error);
      return;
    }
    if (result.done) {
      this.#ended = true;
      return;
    }
    this.#kept.push(result.value);
    if (!this.#keeping) return;
    this.#keptCharacters += typeof result.value === "string" ? result.value.length : 0;
    if (this.#keptCharacters > this.#limit) {
      this.#overflowed = true;
      this.#keeping = false;
    }
  }
};
async function routedStreamText(context, text2, options = {}) {
  const { signal: callerSignal, tenant, correlationId, ...fields } = options;
  const request = { ...fields, text: "streamed text" };
  if (text2 === null || typeof text2?.[Symbol.asyncIterator] !== "function") {
    throw new PatchbayError({
      code: "invalid_request",
      message: "streamText needs an async iterable of text",
      details: { field: "text", issues: [{ path: "text", message: "must be an async iterable of strings" }] }
    });
  }
  const controller = new AbortController();
  const forward = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) forward();
  else callerSignal?.addEventListener("abort", forward, { once: true });
  const release = () => callerSignal?.removeEventListener("abort", forward);
  let stopReason;
  const replay = new ReplayableText(text2, textReplayLimit, () => {
    stopReason = "source";
    controller.abort(new Error("The text stream failed"));
  });
  let current;
  let lastError;
  let attempts = 0;
  const { options: pinned, route, executor, plan } = context;
  let routed;
  try {
    routed = await executor.stream(
      route,
      {
        invoke: async (member3, attemptOptions) => {
          if (attempts++ > 0 && !replay.replayable) {
            stopReason = "replay";
            controller.abort(new Error("Text read before the first audio exceeds the replay limit"));
            throw controller.signal.reason;
          }
          const streamText = member3.streamText;
          const { text: _placeholder, ...memberFields } = context.requestFor(request, member3);
          try {
            const result = await streamText.call(member3, replay.reader(), { ...memberFields, ...attemptOptions });
            replay.commit();
            current = result;
            return result;
          } catch (error) {
            if (PatchbayError.isInstance(error)) lastError = error;
            throw error;
          }
        },
        usage: () => [{ unit: "characters", quantity: 0 }],
        observe: (_chunk, tally) => {
          tally.set("characters", current?.characters ?? 0);
        },
        failureUnits: ["characters"],
        model: (result, member3) => context.model(result, member3, request.model),
        eligible: (member3) => typeof member3.streamText === "function" && context.eligible(member3, request.format),
        ineligible: () => context.ineligible(request.format),
        identifiers: plan
      },
      {
        ...pinned,
        tenant: pinned.tenant ?? tenant,
        correlationId: pinned.correlationId ?? correlationId,
        signal: controller.signal
      }
    );
  } catch (caught) {
    release();
    await replay.close();
    if (stopReason === "source" && replay.failure) throw replay.failure.error;
    if (stopReason === "replay") {
      throw new AllProvidersFailedError({
        route: route.name,
        attempts: [...caught.attempts ?? []],
        last: lastError,
        reason: `more than ${textReplayLimit} characters were read before any audio, so the text cannot be replayed`
      });
    }
    throw caught;
  }
  const stream = routed.stream;
  async function* relay() {
    try {
      for await (const chunk of stream) yield chunk;
    } catch (error) {
      if (stopReason === "source" && replay.failure) throw replay.failure.error;
      throw error;
    } finally {
      release();
      await replay.close();
    }
  }
  return {
    ...routed,
    stream: relay(),
    get characters() {
      return current?.characters ?? 0;
    }
  };
}

// src/routing/routed-providers.ts
var noOptions = Object.freeze({});
var tokenUnits = Object.freeze(["input_tokens", "output_tokens"]);
var characterUnits = Object.freeze(["characters"]);
var audioUnits = Object.freeze(["audio_seconds"]);
var messageUnits = Object.freeze(["messages", "segments"]);
function withPinned(options, pinned) {
  if (!pinned) return options ?? noOptions;
  return { ...options, ...pinned };
}
var RoutedProvider = class {
  specificationVersion = "v1";
  vendor = "routed";
  handle;
  constructor(handle) {
    this.handle = handle;
  }
  get id() {
    return this.handle.name;
  }
  get kind() {
    return this.handle.kind;
  }
  get members() {
    return this.handle.current().members.map((member3) => member3.provider);
  }
  options(options) {
    return withPinned(options, this.handle.pinned);
  }
  /** The routed provider of the tenant the options name, when that is not this one (see `RouteHandle.forTenant`). */
  redirect(options) {
    const forTenant = this.handle.forTenant;
    if (forTenant === void 0 || options === void 0) return void 0;
    const tenant = options.tenant;
    if (typeof tenant !== "string") return void 0;
    const target = forTenant(tenant);
    return target === void 0 || target === this ? void 0 : target;
  }
  /** Connected when at least one member is; details list every member's own result. */
  test(options = {}) {
    const target = this.redirect(options);
    if (target) return target.test(options);
    return this.#test(options);
  }
  async #test(options) {
    const started = performance.now();
    const pinned = withPinned(options, this.handle.pinned);
    const route = this.handle.current();
    const results = await Promise.all(route.members.map((member3) => member3.provider.test(pinned)));
    const members = {};
    route.members.forEach((member3, index) => {
      members[member3.id] = { ...results[index], circuit: member3.breaker.state };
    });
    const connected = results.filter((result) => result.healthy).length;
    const allUnconfigured = results.every((result) => result.status === "not_configured");
    return {
      status: connected > 0 ? "connected" : allUnconfigured ? "not_configured" : "error",
      healthy: connected > 0,
      message: `${connected} of ${results.length} providers in route "${this.id}" connected`,
      latencyMs: Math.round(performance.now() - started),
      details: { members },
      checkedAt: (/* @__PURE__ */ new Date()).toISOString()
    };
  }
  getConfig() {
    return {
      id: this.id,
      kind: this.kind,
      vendor: this.vendor,
      route: this.handle.describe(),
      members: Object.fromEntries(this.members.map((member3) => [member3.id, member3.getConfig()]))
    };
  }
  updateConfig(patch) {
    return this.handle.update(patch);
  }
};
function anyMember(members, test) {
  return members.some(test);
}
function rejectInvalid(validate, request) {
  try {
    validate(request);
    return void 0;
  } catch (error) {
    return Promise.reject(error);
  }
}
function withModel(request, plan, member3) {
  if (plan.empty) return request;
  const resolved = plan.resolve(member3);
  return resolved?.model === void 0 ? request : { ...request, model: resolved.model };
}
function modelFor(plan, member3, requested) {
  return plan.empty ? requested : plan.resolve(member3)?.model ?? requested;
}
var GenerateOperation = class {
  failureUnits = tokenUnits;
  #request;
  identifiers;
  constructor(request, plan) {
    this.#request = request;
    this.identifiers = plan;
  }
  invoke(member3, attemptOptions) {
    return member3.generate(withModel(this.#request, this.identifiers, member3), attemptOptions);
  }
  usage(result) {
    return tokenQuantities(result.usage);
  }
  estimate() {
    return outputTokenEstimate(this.#request);
  }
  model(result, member3) {
    return result?.model ?? modelFor(this.identifiers, member3, this.#request.model);
  }
};
var RoutedLanguageModel = class extends RoutedProvider {
  get kind() {
    return "llm";
  }
  get capabilities() {
    const members = this.members;
    return {
      streaming: anyMember(members, (member3) => member3.capabilities.streaming),
      tools: anyMember(members, (member3) => member3.capabilities.tools),
      images: anyMember(members, (member3) => member3.capabilities.images),
      jsonOutput: anyMember(members, (member3) => member3.capabilities.jsonOutput)
    };
  }
  generate(request, options) {
    const target = this.redirect(options);
    if (target) return target.generate(request, options);
    const invalid2 = rejectInvalid(validateLanguageModelRequest, request);
    if (invalid2) return invalid2;
    const route = this.handle.current();
    const plan = planIdentifiers(route.aliases, { model: request.model });
    return this.handle.executor.call(route, new GenerateOperation(request, plan), this.options(options));
  }
  stream(request, options) {
    const target = this.redirect(options);
    if (target) return target.stream(request, options);
    const invalid2 = rejectInvalid(validateLanguageModelRequest, request);
    if (invalid2) return invalid2;
    const route = this.handle.current();
    const plan = planIdentifiers(route.aliases, { model: request.model });
    return this.handle.executor.stream(
      route,
      {
        invoke: (member3, attemptOptions) => member3.stream(withModel(request, plan, member3), attemptOptions),
        usage: () => [
          { unit: "input_tokens", quantity: 0 },
          { unit: "output_tokens", quantity: 0 }
        ],
        observe: (part, tally) => {
          if (part.type !== "usage" && part.type !== "finish") return;
          for (const { unit, quantity } of tokenQuantities(part.usage)) tally.set(unit, quantity);
        },
        estimate: () => outputTokenEstimate(request),
        failureUnits: tokenUnits,
        model: (result, member3) => result?.model ?? modelFor(plan, member3, request.model),
        eligible: (member3) => member3.capabilities.streaming,
        identifiers: plan
      },
      this.options(options)
    );
  }
};
function outputTokenEstimate(request) {
  return request.maxOutputTokens ? [{ unit: "output_tokens", quantity: request.maxOutputTokens }] : [];
}
function tokenQuantities(usage) {
  const quantities = [
    { unit: "input_tokens", quantity: Math.max(0, usage.inputTokens - usage.cachedInputTokens) },
    { unit: "output_tokens", quantity: usage.outputTokens }
  ];
  if (usage.cachedInputTokens > 0) quantities.push({ unit: "cached_input_tokens", quantity: usage.cachedInputTokens });
  return quantities;
}
function producesFormat(member3, format) {
  if (!format) return true;
  const entry = member3.capabilities.formats.find((candidate) => candidate.encoding === format.encoding);
  if (!entry) return false;
  return format.sampleRate === void 0 || entry.sampleRates.length === 0 || entry.sampleRates.includes(format.sampleRate);
}
function formatUnavailable(route, format) {
  const wanted = `${format?.encoding}${format?.sampleRate ? ` at ${format.sampleRate} Hz` : ""}`;
  return new PatchbayError({
    code: "invalid_request",
    message: `No provider in route "${route}" can produce format ${wanted}`,
    details: { field: "format" }
  });
}
function speechFor(request, plan, member3) {
  if (plan.empty) return request;
  const resolved = plan.resolve(member3);
  if (!resolved) return request;
  return { ...request, model: resolved.model ?? request.model, voice: resolved.voice ?? request.voice };
}
var RoutedSpeechSynthesizer = class extends RoutedProvider {
  get kind() {
    return "tts";
  }
  get capabilities() {
    const members = this.members;
    return {
      streaming: anyMember(members, (member3) => member3.capabilities.streaming),
      listVoices: anyMember(members, (member3) => member3.capabilities.listVoices),
      formats: members.flatMap((member3) => member3.capabilities.formats)
    };
  }
  synthesize(request, options) {
    const target = this.redirect(options);
    if (target) return target.synthesize(request, options);
    const invalid2 = rejectInvalid(validateSpeechRequest, request);
    if (invalid2) return invalid2;
    const route = this.handle.current();
    const plan = planIdentifiers(route.aliases, { model: request.model, voice: request.voice });
    return this.handle.executor.call(
      route,
      {
        invoke: (member3, attemptOptions) => member3.synthesize(speechFor(request, plan, member3), attemptOptions),
        usage: (result) => {
          const quantities = [{ unit: "characters", quantity: result.characters }];
          if (result.durationSeconds !== void 0)
            quantities.push({ unit: "audio_seconds", quantity: result.durationSeconds });
          return quantities;
        },
        estimate: () => [{ unit: "characters", quantity: request.text.length }],
        failureUnits: characterUnits,
        model: (result, member3) => result?.model ?? modelFor(plan, member3, request.model),
        eligible: (member3) => producesFormat(member3, request.format),
        ineligible: () => formatUnavailable(this.id, request.format),
        identifiers: plan
      },
      this.options(options)
    );
  }
  stream(request, options) {
    const target = this.redirect(options);
    if (target) return target.stream(request, options);
    const invalid2 = rejectInvalid(validateSpeechRequest, request);
    if (invalid2) return invalid2;
    const route = this.handle.current();
    const plan = planIdentifiers(route.aliases, { model: request.model, voice: request.voice });
    return this.handle.executor.stream(
      route,
      {
        invoke: (member3, attemptOptions) => member3.stream(speechFor(request, plan, member3), attemptOptions),
        usage: (result) => [{ unit: "characters", quantity: result.characters }],
        estimate: () => [{ unit: "characters", quantity: request.text.length }],
        failureUnits: characterUnits,
        model: (result, member3) => result?.model ?? modelFor(plan, member3, request.model),
        eligible: (member3) => member3.capabilities.streaming && producesFormat(member3, request.format),
        ineligible: () => formatUnavailable(this.id, request.format),
        identifiers: plan
      },
      this.options(options)
    );
  }
  /** Text as it arrives, over the members that have `streamText` (see routed-text-to-speech.ts). */
  streamText(text2, options) {
    const target = this.redirect(options);
    if (target) return target.streamText(text2, options);
    const invalid2 = rejectInvalid(validateSpeechRequest, { ...options, text: "streamed text" });
    if (invalid2) return invalid2;
    const route = this.handle.current();
    const plan = planIdentifiers(route.aliases, { model: options?.model, voice: options?.voice });
    return routedStreamText(
      {
        route,
        executor: this.handle.executor,
        plan,
        requestFor: (request, member3) => speechFor(request, plan, member3),
        eligible: (member3, format) => member3.capabilities.streaming && producesFormat(member3, format),
        ineligible: (format) => formatUnavailable(this.id, format),
        model: (result, member3, requested) => result?.model ?? modelFor(plan, member3, requested),
        options: this.options(options)
      },
      text2,
      options
    );
  }
  /** Voices of the first member that can list them. */
  listVoices(options) {
    const target = this.redirect(options);
    if (target) return target.listVoices(options);
    return this.#listVoices(options);
  }
  async #listVoices(options) {
    const member3 = this.members.find((candidate) => candidate.capabilities.listVoices && candidate.listVoices);
    if (!member3?.listVoices) {
      throw new PatchbayError({
        code: "invalid_request",
        message: `No provider in route "${this.id}" can list voices`
      });
    }
    return member3.listVoices(this.options(options));
  }
};
var RoutedTranscriber = class extends RoutedProvider {
  get kind() {
    return "stt";
  }
  get capabilities() {
    const members = this.members;
    return {
      live: anyMember(members, (member3) => member3.capabilities.live),
      urlInput: anyMember(members, (member3) => member3.capabilities.urlInput),
      diarization: anyMember(members, (member3) => member3.capabilities.diarization),
      liveEncodings: [...new Set(members.flatMap((member3) => member3.capabilities.liveEncodings))]
    };
  }
  transcribe(request, options) {
    const target = this.redirect(options);
    if (target) return target.transcribe(request, options);
    const invalid2 = rejectInvalid(validateTranscriptionRequest, request);
    if (invalid2) return invalid2;
    const route = this.handle.current();
    const plan = planIdentifiers(route.aliases, { model: request.model });
    return this.handle.executor.call(
      route,
      {
        invoke: (member3, attemptOptions) => member3.transcribe(withModel(request, plan, member3), attemptOptions),
        usage: (result) => [{ unit: "audio_seconds", quantity: result.durationSeconds }],
        failureUnits: audioUnits,
        model: (result, member3) => result?.model ?? modelFor(plan, member3, request.model),
        identifiers: plan,
        eligible: (member3) => !isUrlSource(request.audio) || member3.capabilities.urlInput,
        // A byte stream can be read once only: it cannot be replayed to a retry or a fallback.
        replayable: request.audio instanceof Uint8Array || isUrlSource(request.audio)
      },
      this.options(options)
    );
  }
  /**
   * Only members that declare live support (and the encoding) are ever chosen; failover happens while the session
   * opens and, for raw audio, mid-session too (see routed-live-transcription.ts).
   */
  async transcribeLive(request, options) {
    const target = this.redirect(options);
    if (target) return target.transcribeLive(request, options);
    const invalid2 = invalidLiveFailover(request);
    if (invalid2) throw invalid2;
    const callOptions = this.options(options);
    const open = (excluded, signal) => this.#openLive(request, signal === void 0 ? callOptions : { ...callOptions, signal }, excluded);
    const first = await open(/* @__PURE__ */ new Set(), callOptions.signal);
    return new RoutedLiveTranscription(
      {
        request,
        open,
        lost: (member3, error) => this.handle.current().members.find((candidate) => candidate.id === member3)?.breaker.failedWith(error),
        switched: ({ from, to, errorCode }) => this.handle.executor.emitFailover({ route: this.id, from, to, tenant: callOptions.tenant, errorCode }),
        signal: callOptions.signal
      },
      first
    );
  }
  #openLive(request, options, excluded) {
    const route = this.handle.current();
    const plan = planIdentifiers(route.aliases, { model: request.model });
    return this.handle.executor.call(
      route,
      {
        invoke: async (member3, attemptOptions) => {
          if (!member3.transcribeLive)
            throw new PatchbayError({ code: "invalid_request", message: "Live transcription unsupported" });
          const session = await member3.transcribeLive(withModel(request, plan, member3), attemptOptions);
          return { member: member3.id, session, settle: () => {
          } };
        },
        usage: () => [],
        failureUnits: audioUnits,
        model: (result, member3) => result?.session.model ?? modelFor(plan, member3, request.model),
        identifiers: plan,
        eligible: (member3) => !excluded.has(member3.id) && member3.capabilities.live && typeof member3.transcribeLive === "function" && member3.capabilities.liveEncodings.includes(request.encoding),
        // Metered once per member session when it ends, with the audio that member was actually sent.
        wrap: (opened, finish) => ({
          ...opened,
          settle: (outcome, replayed) => finish(
            [{ unit: "audio_seconds", quantity: opened.session.audioSeconds, ...replayed ? { replayed } : {} }],
            outcome
          )
        })
      },
      options
    );
  }
};
function isUrlSource(audio) {
  return !(audio instanceof Uint8Array) && typeof audio.url === "string";
}
function messageFor(message, plan, member3) {
  if (plan.empty || !message.template) return message;
  const name = plan.resolve(member3)?.template;
  return name === void 0 ? message : { ...message, template: { ...message.template, name } };
}
var RoutedMessagingProvider = class extends RoutedProvider {
  get kind() {
    return this.handle.kind;
  }
  get capabilities() {
    const members = this.members;
    return {
      channel: this.kind,
      media: anyMember(members, (member3) => member3.capabilities.media),
      templates: anyMember(members, (member3) => member3.capabilities.templates),
      idempotency: members.every((member3) => member3.capabilities.idempotency)
    };
  }
  send(message, options) {
    const target = this.redirect(options);
    if (target) return target.send(message, options);
    const invalid2 = rejectInvalid(validateMessageRequest, message);
    if (invalid2) return invalid2;
    const route = this.handle.current();
    const plan = planIdentifiers(route.aliases, { template: message.template?.name });
    return this.handle.executor.call(
      route,
      {
        invoke: (member3, attemptOptions) => member3.send(messageFor(message, plan, member3), attemptOptions),
        usage: (result) => [
          { unit: "messages", quantity: 1 },
          { unit: "segments", quantity: result.segments }
        ],
        failureUnits: messageUnits,
        model: () => void 0,
        eligible: (member3) => (!message.template || member3.capabilities.templates) && (!message.media?.length || member3.capabilities.media),
        ineligible: () => {
          const field = message.template ? "template" : "media";
          return new PatchbayError({
            code: "invalid_request",
            message: `No provider in route "${this.id}" can send ${message.template ? "a template" : "media"}`,
            details: { field }
          });
        },
        identifiers: plan,
        reportedCost: (result) => result.cost
      },
      this.options(options)
    );
  }
};
function createRoutedProvider(handle) {
  switch (handle.kind) {
    case "llm":
      return new RoutedLanguageModel(handle);
    case "tts":
      return new RoutedSpeechSynthesizer(handle);
    case "stt":
      return new RoutedTranscriber(handle);
    case "sms":
    case "whatsapp":
      return new RoutedMessagingProvider(handle);
  }
}

// src/patchbay.ts
var patchbaySizes = /* @__PURE__ */ Symbol.for("patchbay.sizes");
var defaultCloseTimeoutMs = 5e3;
var defaultMaxViews = 1e3;
function waitAtMost(promise, timeoutMs) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref?.();
    promise.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      }
    );
  });
}
function ownsInstance(config, tenant, id) {
  if (tenant === void 0) return false;
  const overrides = own(config.tenants, tenant);
  return overrides !== void 0 && (!overrides.environmentCredentials || own(overrides.providers, id) !== void 0);
}
function outcomeKey(config, tenant, id) {
  return ownsInstance(config, tenant, id) ? `\0${tenant}\0${id}` : id;
}
function createPatchbay(options) {
  const errors = new ErrorChannel(options.onError);
  const events = new EventHub({
    onListenerError: (error, eventType) => errors.report({ source: "listener", error, eventType })
  });
  const aggregator = new InMemoryUsageAggregator();
  events.on("usage", aggregator.record);
  const dispatcher = new UsageDispatcher(options.usageSinks ?? [], errors, options.usageQueue);
  if (dispatcher.hasSinks) events.on("usage", dispatcher.record);
  const audit = options.audit ? new AuditTrail(options.audit, errors) : void 0;
  const builder = new ProviderBuilder(options.factories, {
    credentialStore: options.credentialStore,
    env: options.env,
    fetch: options.fetch
  });
  const registry = new ProviderRegistry(events, breakerPolicySchema.parse({}), options.sharedState?.breakers);
  const store = new ConfigStore(options.config, builder, registry);
  const scopes = new TenantScopes({ store, registry, builder, maxTenantScopes: options.tenantLimits?.maxScopes });
  let prices = new PriceTable(store.config.pricing);
  let pricedGeneration = store.generation;
  const currentPrices = () => {
    if (pricedGeneration !== store.generation) {
      prices = new PriceTable(store.config.pricing);
      pricedGeneration = store.generation;
    }
    return prices;
  };
  const limitStore = options.limitStore ?? new InMemoryLimitStore();
  const limits = new LimitGate({
    store: limitStore,
    limits: () => ({ generation: store.generation, limits: store.config.limits }),
    prices: currentPrices,
    warn: (event) => events.emit("limit_warning", event),
    storeFailed: (error) => errors.report({ source: "limit-store", error }),
    storeTimeoutMs: options.limitStoreTimeoutMs
  });
  const executor = new RouteExecutor(events, new UsageMeter(currentPrices, events), limits);
  const updateConfig = async (patch, actor) => {
    if (!audit) return store.update(patch);
    const before = store.input;
    try {
      await store.update(patch);
    } catch (error) {
      const issues = PatchbayError.isInstance(error) ? error.details?.issues ?? [] : [];
      audit.record({
        action: "config.update",
        actor,
        outcome: "failure",
        fields: issues.map((issue) => issue.path).slice(0, 100),
        detail: `rejected: ${issues.length} invalid field(s)`
      });
      throw error;
    }
    for (const entry of configChanges(before, store.input)) audit.record({ ...entry, actor });
  };
  const outcomes = new RecentOutcomes();
  const callSeen = new EventHub({
    onListenerError: (error, eventType) => errors.report({ source: "listener", error, eventType })
  });
  events.on("attempt", (event) => {
    if (event.outcome === "skipped") return;
    if (event.outcome === "error" && (!event.errorCode || !healthCodes.has(event.errorCode))) return;
    outcomes.record(outcomeKey(store.config, event.tenant, event.provider), event.outcome === "error");
    if (callSeen.has("seen"))
      callSeen.emit("seen", { provider: event.provider, tenant: event.tenant, reason: "attempt" });
  });
  events.on("breaker", (event) => {
    if (callSeen.has("seen")) callSeen.emit("seen", { provider: event.provider, tenant: void 0, reason: "breaker" });
  });
  let statusSource;
  const statusEntry = (tenant, id) => {
    const scope = scopes.scopeFor(tenant);
    const entry = scope.providers.get(id);
    if (!entry) return void 0;
    return {
      provider: entry.provider,
      circuit: () => scope.providers.get(id)?.breaker.state,
      recent: () => outcomes.summary(outcomeKey(store.config, tenant, id))
    };
  };
  const statusHooks = {
    entries: (tenant) => [...scopes.scopeFor(tenant).providers.keys()].flatMap((id) => statusEntry(tenant, id) ?? []),
    entry: statusEntry,
    timeoutMs: () => store.config.health.timeoutMs,
    attach(source) {
      statusSource = source;
      return () => {
        if (statusSource === source) statusSource = void 0;
      };
    },
    onCallSeen: (listener) => callSeen.on("seen", listener),
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    }
  };
  const closeListeners = /* @__PURE__ */ new Set();
  const notifyClose = () => {
    for (const listener of [...closeListeners]) {
      try {
        listener();
      } catch (error) {
        errors.report({ source: "listener", error });
      }
    }
    closeListeners.clear();
  };
  const maxViews = options.tenantLimits?.maxViews ?? defaultMaxViews;
  const handles = new LruMap(maxViews * 4);
  const sharedHandles = /* @__PURE__ */ new Map();
  const routed = (tenant, name) => {
    if (tenant === void 0) {
      const shared = sharedHandles.get(name);
      if (shared) return shared;
    }
    const key = tenant === void 0 ? `\0${name}` : `${tenant.length}:${tenant}\0${name}`;
    const cached = handles.get(key);
    if (cached) return cached;
    const initial = scopes.scopeFor(tenant).routes.get(name);
    if (!initial) {
      throw new PatchbayError({
        code: "not_configured",
        message: `No route "${name}" is configured${tenant !== void 0 ? ` for tenant "${tenant}"` : ""}`
      });
    }
    const kind = initial.kind;
    const handle = {
      name,
      kind,
      executor,
      pinned: tenant === void 0 ? void 0 : { tenant },
      current: () => {
        const route = scopes.scopeFor(tenant).routes.get(name);
        if (!route) throw new PatchbayError({ code: "not_configured", message: `Route "${name}" was removed` });
        return route;
      },
      describe: () => redactConfig({
        ...own(store.config.routes, name) ?? implicitRoute(
          handle.current().members.map((member3) => member3.id),
          kind
        )
      }),
      update: (patch) => updateConfig(
        tenant === void 0 ? { routes: { [name]: patch } } : { tenants: { [tenant]: { routes: { [name]: patch } } } },
        void 0
      ),
      // The shared handle sends a call that names a tenant to that tenant's handle: same scope as `tenant(id)`.
      forTenant: tenant === void 0 ? (named) => scopes.hasOverrides(named) ? routed(named, name) : void 0 : void 0
    };
    const provider = createRoutedProvider(handle);
    handles.set(key, provider);
    if (tenant === void 0) {
      if (sharedHandles.size >= maxViews * 4) sharedHandles.clear();
      sharedHandles.set(name, provider);
    }
    return provider;
  };
  const providerIn = (scope, id) => {
    const entry = scope.providers.get(id);
    if (!entry) throw new PatchbayError({ code: "not_configured", message: `No provider "${id}" is configured` });
    return entry.provider;
  };
  const view = (tenant) => {
    const bound = /* @__PURE__ */ new WeakMap();
    return {
      get llm() {
        return routed(tenant, "llm");
      },
      get tts() {
        return routed(tenant, "tts");
      },
      get stt() {
        return routed(tenant, "stt");
      },
      get sms() {
        return routed(tenant, "sms");
      },
      get whatsapp() {
        return routed(tenant, "whatsapp");
      },
      route: (name) => routed(tenant, name),
      provider: (id) => {
        const provider = providerIn(scopes.scopeFor(tenant), id);
        let wrapped = bound.get(provider);
        if (!wrapped) {
          wrapped = tenant !== void 0 ? pinTenant(provider, tenant) : dispatchByTenant(provider, (named) => providerIn(scopes.scopeFor(named), id));
          bound.set(provider, wrapped);
        }
        return wrapped;
      },
      status: ({ signal, refresh } = {}) => {
        if (statusSource) return statusSource.status(tenant, { refresh, signal });
        const scope = scopes.scopeFor(tenant);
        const config = store.config;
        return buildStatusReport(
          [...scope.providers.values()].map((entry) => entry.provider),
          {
            timeoutMs: config.health.timeoutMs,
            tenant,
            signal,
            circuit: (id) => scope.providers.get(id)?.breaker.state,
            recent: (id) => outcomes.summary(outcomeKey(config, tenant, id))
          }
        );
      }
    };
  };
  const views = new LruMap(maxViews);
  const patchbay = {
    tenant(id) {
      if (typeof id !== "string")
        throw new PatchbayError({ code: "invalid_request", message: "tenant: the tenant id must be a string" });
      let tenantView = views.get(id);
      if (!tenantView) views.set(id, tenantView = view(id));
      return tenantView;
    },
    on: (type, listener) => type === "error" ? errors.on(listener) : events.on(type, listener),
    usage: aggregator,
    updateConfig: (patch, updateOptions) => updateConfig(patch, updateOptions?.actor),
    credentials: createCredentialAdmin({
      builder,
      config: () => store.config,
      store: options.credentialStore,
      env: options.env,
      audit
    }),
    catalogue: () => options.factories.map((factory) => structuredClone(describeFactory(factory))),
    getConfig: () => {
      const shown = redactConfig(store.input);
      const redactedSettings = (provider, keys) => {
        const settings = provider.getConfig();
        return Object.fromEntries(
          keys.map((key) => [key, Object.hasOwn(settings, key) ? settings[key] : "[redacted]"])
        );
      };
      const shared = scopes.shared();
      for (const [id, definition2] of Object.entries(shown.providers)) {
        const entry = shared.providers.get(id);
        if (entry && definition2.settings)
          definition2.settings = redactedSettings(entry.provider, Object.keys(definition2.settings));
      }
      for (const overrides of Object.values(shown.tenants ?? {})) {
        for (const [id, override] of Object.entries(overrides.providers ?? {})) {
          const entry = shared.providers.get(id);
          if (entry && override.settings)
            override.settings = redactedSettings(entry.provider, Object.keys(override.settings));
        }
      }
      return shown;
    },
    validateCredentials: async (providerId, candidate, validationOptions = {}) => {
      const fields = typeof candidate === "object" && candidate !== null ? Object.keys(candidate).slice(0, 64) : [];
      let answer;
      try {
        answer = await validateCandidateCredentials({
          builder,
          config: store.config,
          providerId,
          candidate,
          tenant: validationOptions.tenant,
          signal: validationOptions.signal
        });
      } catch (error) {
        audit?.record({
          action: "credentials.validate",
          actor: validationOptions.actor,
          tenant: validationOptions.tenant,
          provider: typeof providerId === "string" ? providerId : null,
          outcome: "failure",
          fields,
          detail: PatchbayError.isInstance(error) ? error.message.slice(0, 500) : "validation failed"
        });
        throw error;
      }
      audit?.record({
        action: "credentials.validate",
        actor: validationOptions.actor,
        tenant: validationOptions.tenant,
        provider: providerId,
        outcome: answer.valid ? "success" : "failure",
        fields,
        after: candidate,
        detail: answer.valid ? void 0 : `invalid: ${answer.issues.map((issue) => issue.path).join(", ") || (answer.health?.code ?? answer.health?.status)}`.slice(
          0,
          500
        )
      });
      return answer;
    },
    recordReportedCost(cost) {
      const definition2 = typeof cost?.provider === "string" ? own(store.config.providers, cost.provider) : void 0;
      events.emit("usage", reportedCostRecord(cost, definition2, (/* @__PURE__ */ new Date()).toISOString()));
    },
    async flush(flushOptions = {}) {
      if (flushOptions.timeoutMs === void 0) {
        await dispatcher.drained();
        return { drained: true, pending: dispatcher.pending };
      }
      const drained = await waitAtMost(dispatcher.drained(), flushOptions.timeoutMs);
      return { drained, pending: dispatcher.pending };
    },
    async close() {
      notifyClose();
      if (dispatcher.pending === 0) {
        registry.close();
        executor.close();
        return;
      }
      const timeoutMs = options.usageQueue?.closeTimeoutMs ?? defaultCloseTimeoutMs;
      const drained = await waitAtMost(dispatcher.drained(), timeoutMs);
      if (!drained) {
        errors.report({
          source: "usage-drain-timeout",
          error: new Error(`Usage sinks did not drain within ${timeoutMs} ms at close()`),
          dropped: dispatcher.pending
        });
      }
      registry.close();
      executor.close();
    }
  };
  const sizes = () => {
    let credentialCacheTenants = 0;
    for (const tenant of registry.tenants()) {
      for (const entry of registry.entriesOf(tenant).values()) {
        const resolver = entry.provider.credentialResolver;
        credentialCacheTenants = Math.max(credentialCacheTenants, resolver?.cachedTenants ?? 0);
      }
    }
    return {
      views: views.size,
      routeHandles: handles.size,
      tenantScopes: scopes.size,
      providerInstances: registry.breakerCount,
      recentOutcomeKeys: outcomes.size,
      credentialCacheTenants
    };
  };
  Object.defineProperty(patchbay, patchbaySizes, { value: sizes, enumerable: false });
  Object.defineProperty(patchbay, patchbayStatusHooks, { value: statusHooks, enumerable: false });
  return Object.defineProperties(patchbay, Object.getOwnPropertyDescriptors(view(void 0)));
}

export { EventHub, InMemoryUsageAggregator, PriceTable, createFingerprinter, createPatchbay, foldHealth, overallStatus, patchbaySizes, patchbayStatusHooks, testWithTimeout };
//# sourceMappingURL=chunk-SAJRBGIX.js.map
//# sourceMappingURL=chunk-SAJRBGIX.js.map