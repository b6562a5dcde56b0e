import { patchbayStatusHooks, EventHub, foldHealth, overallStatus, testWithTimeout } from './chunk-SAJRBGIX.js';
export { InMemoryUsageAggregator, PriceTable, createFingerprinter, createPatchbay, patchbaySizes } from './chunk-SAJRBGIX.js';
export { InMemoryLimitStore, defaultLimitStoreMaxKeys } from './chunk-M7DSVO2L.js';
import { raceSignal, linkSignal } from './chunk-373R6TVW.js';
import { LruMap } from './chunk-KWNWYJ7G.js';
import './chunk-2FTTUUGV.js';
import './chunk-EFFKKI2Q.js';
import { Secret, PatchbayError } from './chunk-JE5GE6TU.js';
export { AllProvidersFailedError, PatchbayError, Secret, errorCodes, healthCodes, redactedText, retryableByDefault, reveal, scrubText } from './chunk-JE5GE6TU.js';
import { randomBytes, createCipheriv, createDecipheriv } from 'crypto';

// src/audit/in-memory-audit-log.ts
var defaultAuditLogCapacity = 1e4;
var defaultQueryLimit = 100;
var InMemoryAuditLog = class {
  capacity;
  #ring;
  #next = 0;
  #size = 0;
  #dropped = 0;
  /** Every record so far came no earlier than the one before it, so insertion order is time order. */
  #inTimeOrder = true;
  #latestAt = "";
  constructor(options = {}) {
    const capacity = options.capacity ?? defaultAuditLogCapacity;
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError("InMemoryAuditLog capacity must be a positive integer");
    this.capacity = capacity;
    this.#ring = new Array(capacity);
  }
  get size() {
    return this.#size;
  }
  /** Records dropped to stay within `capacity`. */
  get dropped() {
    return this.#dropped;
  }
  record(record) {
    if (record.at < this.#latestAt) this.#inTimeOrder = false;
    else this.#latestAt = record.at;
    if (this.#size === this.capacity) this.#dropped++;
    else this.#size++;
    this.#ring[this.#next] = Object.freeze({ ...record, fields: Object.freeze([...record.fields]) });
    this.#next = (this.#next + 1) % this.capacity;
  }
  async query(query = {}) {
    const limit = Math.max(0, Math.min(query.limit ?? defaultQueryLimit, this.capacity));
    const found = [];
    const stopEarly = this.#inTimeOrder;
    for (let back = 1; back <= this.#size && (!stopEarly || found.length < limit); back++) {
      const record = this.#ring[(this.#next - back + this.capacity) % this.capacity];
      if (query.tenant !== void 0 && record.tenant !== query.tenant) continue;
      if (query.provider !== void 0 && record.provider !== query.provider) continue;
      if (query.action !== void 0 && record.action !== query.action) continue;
      if (query.since !== void 0 && record.at < query.since) continue;
      if (query.until !== void 0 && record.at >= query.until) continue;
      found.push(record);
    }
    if (stopEarly) return found;
    found.sort((a, b) => a.at === b.at ? 0 : a.at < b.at ? 1 : -1);
    return found.slice(0, limit);
  }
};

// src/credentials/credential-store.ts
var InMemoryCredentialStore = class {
  #tenants = /* @__PURE__ */ new Map();
  #listeners = /* @__PURE__ */ new Set();
  constructor(initial = {}) {
    for (const [tenant, providers] of Object.entries(initial)) {
      for (const [provider, values] of Object.entries(providers)) this.set(tenant, provider, values);
    }
  }
  get(tenant, provider) {
    return this.#tenants.get(tenant)?.get(provider);
  }
  set(tenant, provider, values) {
    const stored = {};
    for (const [field, value] of Object.entries(values)) stored[field] = Secret.from(value);
    let providers = this.#tenants.get(tenant);
    if (!providers) this.#tenants.set(tenant, providers = /* @__PURE__ */ new Map());
    providers.set(provider, Object.freeze(stored));
    this.#notify(tenant, provider);
  }
  delete(tenant, provider) {
    this.#tenants.get(tenant)?.delete(provider);
    this.#notify(tenant, provider);
  }
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  #notify(tenant, provider) {
    for (const listener of this.#listeners) listener({ tenant, provider });
  }
  toJSON() {
    return "[InMemoryCredentialStore]";
  }
};
var format = "pb2";
var legacyFormat = "pb1";
var ivLength = 12;
var tagLength = 16;
var keyLength = 32;
var keyIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
var maxReplaceAttempts = 3;
function invalidKeyring(message, field) {
  return new PatchbayError({ code: "invalid_request", message, details: { field } });
}
function checkKeyId(id, field) {
  if (!keyIdPattern.test(id)) {
    throw invalidKeyring(`Encryption key id "${id.slice(0, 64)}" must be 1\u201364 characters of A-Z a-z 0-9 _ -`, field);
  }
}
var keyAdvice = "it must be 32 random bytes (a Uint8Array, or standard base64 of 44 characters). Generate one with crypto.randomBytes(32); to derive one from a passphrase use scrypt or HKDF (see the README)";
function distinctCount(values) {
  return new Set(Array.from(values)).size;
}
function keyBytes(id, key) {
  const field = `keys.${id}`;
  let bytes;
  if (key instanceof Uint8Array) bytes = Buffer.from(key);
  else if (typeof key === "string" || Secret.isInstance(key)) {
    const text = Secret.isInstance(key) ? key.reveal() : key;
    bytes = Buffer.from(text, "base64");
    if (text.length !== 44 || bytes.length !== keyLength || bytes.toString("base64") !== text) {
      throw invalidKeyring(`Encryption key "${id}" is not base64 of 32 bytes: ${keyAdvice}`, field);
    }
    const letters = text.slice(0, 43);
    if (!/[A-Z]/.test(letters) || !/[a-z]/.test(letters) || distinctCount(letters.split("").map((c) => c.charCodeAt(0))) < 16) {
      throw invalidKeyring(`Encryption key "${id}" looks like text, not random bytes: ${keyAdvice}`, field);
    }
  } else {
    throw invalidKeyring(`Encryption key "${id}" must be a Uint8Array or a base64 string: ${keyAdvice}`, field);
  }
  if (bytes.length !== keyLength) {
    throw invalidKeyring(`Encryption key "${id}" must be 32 bytes, not ${bytes.length}: ${keyAdvice}`, field);
  }
  const printable = bytes.every((byte) => byte >= 32 && byte <= 126);
  if (distinctCount(bytes) < 16 || printable) {
    throw invalidKeyring(`Encryption key "${id}" is weak (repeated bytes or text): ${keyAdvice}`, field);
  }
  return bytes;
}
function lengthPrefixed(text) {
  const bytes = Buffer.from(text, "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
function associatedData(tenant, provider, keyId) {
  return Buffer.concat([
    Buffer.from(`patchbay-credentials/${format}`),
    lengthPrefixed(tenant),
    lengthPrefixed(provider),
    lengthPrefixed(keyId)
  ]);
}
function decode(text, expectedLength) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return void 0;
  const bytes = Buffer.from(text, "base64url");
  return expectedLength === void 0 || bytes.length === expectedLength ? bytes : void 0;
}
var EncryptedCredentialStore = class {
  #storage;
  #keys;
  #primary;
  #listeners = /* @__PURE__ */ new Set();
  constructor(storage, keyring) {
    this.#storage = storage;
    this.#keys = /* @__PURE__ */ new Map();
    this.#primary = keyring.primary;
    this.setKeyring(keyring);
  }
  /** Replaces the keyring (rotation steps 1 and 3). Validates every key before anything changes. */
  setKeyring(keyring) {
    checkKeyId(String(keyring.primary), "primary");
    const keys = /* @__PURE__ */ new Map();
    for (const [id, key] of Object.entries(keyring.keys)) {
      checkKeyId(id, `keys.${id}`);
      keys.set(id, keyBytes(id, key));
    }
    if (!keys.has(keyring.primary)) {
      throw invalidKeyring(`Primary key "${keyring.primary}" is not in the keyring`, "primary");
    }
    this.#keys = keys;
    this.#primary = keyring.primary;
  }
  async get(tenant, provider) {
    const entry = await this.#storage.read(tenant, provider);
    return entry === void 0 ? void 0 : this.#open(entry.sealed, tenant, provider);
  }
  async set(tenant, provider, values) {
    await this.#storage.write(tenant, provider, this.#seal(values, tenant, provider));
    this.#notify(tenant, provider);
  }
  async delete(tenant, provider) {
    await this.#storage.remove(tenant, provider);
    this.#notify(tenant, provider);
  }
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  /**
   * Rewrites every entry not sealed with the primary key. Each rewrite is a
   * compare-and-set on the row's version: a `set()` or `delete()` that lands
   * meanwhile wins, and the entry is re-read. An entry that cannot be opened is
   * left untouched and reported; the pass goes on. Safe to run again.
   */
  async reencrypt() {
    if (!this.#storage.entries) {
      throw new PatchbayError({
        code: "invalid_request",
        message: "This storage cannot list its entries, so it cannot be re-encrypted"
      });
    }
    const report = { rewritten: 0, current: 0, superseded: 0, failed: [] };
    for await (const row of this.#storage.entries()) {
      await this.#reencryptOne(row, report);
    }
    return report;
  }
  async #reencryptOne(row, report) {
    let entry = row;
    for (let attempt = 0; attempt < maxReplaceAttempts; attempt++) {
      if (entry === void 0) {
        report.superseded++;
        return;
      }
      if (this.#isCurrent(entry.sealed)) {
        if (attempt === 0) report.current++;
        else report.superseded++;
        return;
      }
      let values;
      try {
        values = this.#open(entry.sealed, row.tenant, row.provider);
      } catch (error) {
        report.failed.push({
          tenant: row.tenant,
          provider: row.provider,
          reason: PatchbayError.isInstance(error) ? error.message : "cannot be opened"
        });
        return;
      }
      const sealed = this.#seal(values, row.tenant, row.provider);
      if (await this.#storage.replace(row.tenant, row.provider, sealed, entry.version)) {
        report.rewritten++;
        return;
      }
      entry = await this.#storage.read(row.tenant, row.provider);
    }
    report.failed.push({
      tenant: row.tenant,
      provider: row.provider,
      reason: "the entry kept changing during the pass"
    });
  }
  #isCurrent(sealed) {
    const [version, keyId] = sealed.split(".", 2);
    return version === format && keyId === this.#primary;
  }
  #seal(values, tenant, provider) {
    const plain = {};
    for (const [field, value] of Object.entries(values))
      plain[field] = Secret.isInstance(value) ? value.reveal() : value;
    const iv = randomBytes(ivLength);
    const cipher = createCipheriv("aes-256-gcm", this.#keys.get(this.#primary), iv, {
      authTagLength: tagLength
    });
    cipher.setAAD(associatedData(tenant, provider, this.#primary));
    const body = Buffer.concat([cipher.update(JSON.stringify(plain), "utf8"), cipher.final()]);
    return [
      format,
      this.#primary,
      iv.toString("base64url"),
      cipher.getAuthTag().toString("base64url"),
      body.toString("base64url")
    ].join(".");
  }
  #open(sealed, tenant, provider) {
    const fail = (why) => new PatchbayError({
      code: "not_configured",
      provider,
      message: `Stored credentials for provider "${provider}" cannot be opened: ${why}`
    });
    const parts = typeof sealed === "string" ? sealed.split(".") : [];
    const [version, keyId, ivText, tagText, bodyText] = parts;
    if (parts.length !== 5 || version !== format && version !== legacyFormat) throw fail("unrecognised format");
    const key = this.#keys.get(keyId);
    if (!key) throw fail(`key "${String(keyId).slice(0, 64)}" is not in the keyring`);
    const iv = decode(ivText, ivLength);
    const tag = decode(tagText, tagLength);
    const body = decode(bodyText, void 0);
    if (!iv || !tag || !body) throw fail("malformed entry");
    let aad;
    if (version === format) aad = associatedData(tenant, provider, keyId);
    else if (tenant.includes("\0") || provider.includes("\0")) throw fail("legacy entry with an ambiguous id");
    else aad = Buffer.from(`${tenant}\0${provider}`);
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: tagLength });
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      const text = Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
      const stored = {};
      for (const [field, value] of Object.entries(JSON.parse(text)))
        stored[field] = new Secret(value);
      return Object.freeze(stored);
    } catch {
      throw fail("authentication failed (wrong key, or the entry belongs to another tenant or provider)");
    }
  }
  #notify(tenant, provider) {
    for (const listener of this.#listeners) listener({ tenant, provider });
  }
  toJSON() {
    return "[EncryptedCredentialStore]";
  }
};
function sealedRowKey(tenant, provider) {
  return `${tenant.length}:${tenant}${provider.length}:${provider}`;
}
var InMemorySealedStorage = class {
  rows = /* @__PURE__ */ new Map();
  read(tenant, provider) {
    const row = this.rows.get(sealedRowKey(tenant, provider));
    return row && { sealed: row.sealed, version: row.version };
  }
  write(tenant, provider, sealed) {
    const key = sealedRowKey(tenant, provider);
    const version = (this.rows.get(key)?.version ?? 0) + 1;
    this.rows.set(key, { tenant, provider, sealed, version });
  }
  replace(tenant, provider, sealed, version) {
    const key = sealedRowKey(tenant, provider);
    const row = this.rows.get(key);
    if (!row || row.version !== version) return false;
    this.rows.set(key, { tenant, provider, sealed, version: version + 1 });
    return true;
  }
  remove(tenant, provider) {
    this.rows.delete(sealedRowKey(tenant, provider));
  }
  entries() {
    return [...this.rows.values()];
  }
};

// src/monitor/in-memory-status-history.ts
var SampleRing = class {
  #samples;
  #next = 0;
  #count = 0;
  constructor(capacity) {
    this.#samples = new Array(capacity);
  }
  push(sample) {
    this.#samples[this.#next] = sample;
    this.#next = (this.#next + 1) % this.#samples.length;
    if (this.#count < this.#samples.length) this.#count++;
  }
  *oldestFirst() {
    const start = (this.#next - this.#count + this.#samples.length) % this.#samples.length;
    for (let index = 0; index < this.#count; index++) {
      yield this.#samples[(start + index) % this.#samples.length];
    }
  }
};
var seriesKey = (provider, tenant) => tenant === null ? `\0${provider}` : `${tenant.length}:${tenant}\0${provider}`;
var InMemoryStatusHistoryStore = class {
  #series;
  #samplesPerSeries;
  constructor(options = {}) {
    this.#samplesPerSeries = Math.max(1, Math.floor(options.maxSamplesPerSeries ?? 1440));
    this.#series = new LruMap(Math.max(1, Math.floor(options.maxSeries ?? 1e4)));
  }
  /** Series held (for tests and diagnostics). */
  get seriesCount() {
    return this.#series.size;
  }
  append(sample) {
    const key = seriesKey(sample.provider, sample.tenant);
    let ring = this.#series.get(key);
    if (!ring) this.#series.set(key, ring = new SampleRing(this.#samplesPerSeries));
    ring.push({ ...sample });
  }
  async query(query = {}) {
    const rings = query.provider !== void 0 && query.tenant !== void 0 ? [this.#series.peek(seriesKey(query.provider, query.tenant))].filter((ring) => ring !== void 0) : [...this.#series.values()];
    const matches = [];
    for (const ring of rings) {
      for (const sample of ring.oldestFirst()) {
        if (query.provider !== void 0 && sample.provider !== query.provider) continue;
        if (query.tenant !== void 0 && sample.tenant !== query.tenant) continue;
        if (query.since !== void 0 && sample.at < query.since) continue;
        if (query.until !== void 0 && sample.at >= query.until) continue;
        matches.push({ ...sample });
      }
    }
    if (rings.length > 1) matches.sort((a, b) => a.at - b.at);
    return query.limit !== void 0 && matches.length > query.limit ? matches.slice(matches.length - Math.max(0, query.limit)) : matches;
  }
};

// src/monitor/in-memory-status-report-cache.ts
var InMemoryStatusReportCache = class {
  #leases;
  #reports;
  #now;
  constructor(options = {}) {
    const maxScopes = Math.max(1, Math.floor(options.maxScopes ?? 1e4));
    this.#leases = new LruMap(maxScopes);
    this.#reports = new LruMap(maxScopes);
    this.#now = options.now ?? Date.now;
  }
  acquirePollLease(scope, instanceId, ttlMs) {
    const now = this.#now();
    const lease = this.#leases.get(scope);
    if (lease && lease.expiresAt > now && lease.value !== instanceId) return false;
    this.#leases.set(scope, { value: instanceId, expiresAt: now + Math.max(1, ttlMs) });
    return true;
  }
  write(scope, report, ttlMs) {
    this.#reports.set(scope, { value: report, expiresAt: this.#now() + Math.max(1, ttlMs) });
  }
  read(scope) {
    const report = this.#reports.get(scope);
    if (!report) return void 0;
    if (report.expiresAt > this.#now()) return report.value;
    this.#reports.delete(scope);
    return void 0;
  }
};

// src/monitor/concurrency-limit.ts
var ConcurrencyLimit = class {
  #limit;
  #running = 0;
  #waiting = [];
  constructor(limit) {
    this.#limit = Math.max(1, Math.floor(limit));
  }
  get running() {
    return this.#running;
  }
  async run(task) {
    if (this.#running >= this.#limit) await new Promise((resolve) => this.#waiting.push(resolve));
    this.#running++;
    try {
      return await task();
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }
};
async function mapWithConcurrency(items, limit, task) {
  const gate = new ConcurrencyLimit(limit);
  return Promise.all(items.map((item) => gate.run(() => task(item))));
}

// src/monitor/custom-check.ts
var statuses = /* @__PURE__ */ new Set(["connected", "not_configured", "error"]);
var maxMessageLength = 500;
function answer(status, message, latencyMs, details) {
  return {
    status,
    healthy: status === "connected",
    message,
    latencyMs,
    details,
    checkedAt: (/* @__PURE__ */ new Date()).toISOString()
  };
}
async function runCustomCheck(name, check, options) {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const link = linkSignal(options.signal);
  link.startTimer(options.timeoutMs, `Check "${name}" timed out after ${options.timeoutMs} ms`);
  try {
    const result = await raceSignal(
      Promise.resolve().then(() => check({ signal: link.signal, tenant: options.tenant })),
      link.signal
    );
    if (result === void 0 || result === true) return answer("connected", "OK", elapsed());
    if (result === false) return answer("error", `Check "${name}" failed`, elapsed());
    if (typeof result !== "object" || result === null)
      return answer("error", `Check "${name}" answered an unknown value`, elapsed());
    const status = statuses.has(result.status) ? result.status : "connected";
    const message = typeof result.message === "string" ? result.message.slice(0, maxMessageLength) : status === "connected" ? "OK" : status;
    const details = result.details && typeof result.details === "object" ? { ...result.details } : void 0;
    return answer(status, message, elapsed(), details);
  } catch (error) {
    if (link.signal.aborted && link.signal.reason?.name === "TimeoutError") {
      return {
        ...answer("error", `Check "${name}" timed out after ${options.timeoutMs} ms`, elapsed()),
        code: "timeout"
      };
    }
    options.onThrow(error);
    const kind = error?.name;
    return answer(
      "error",
      `Check "${name}" failed${typeof kind === "string" ? ` (${kind.slice(0, 50)})` : ""}`,
      elapsed()
    );
  } finally {
    link.dispose();
  }
}

// src/monitor/status-statistics.ts
function percentile(sorted, share) {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(share * sorted.length));
  return sorted[rank - 1];
}
function summarizeStatusSamples(samples) {
  let configured = 0;
  let connected = 0;
  const latencies = [];
  for (const sample of samples) {
    if (sample.status !== "not_configured") configured++;
    if (sample.status === "connected") connected++;
    if (typeof sample.latencyMs === "number" && Number.isFinite(sample.latencyMs)) latencies.push(sample.latencyMs);
  }
  latencies.sort((a, b) => a - b);
  return {
    samples: samples.length,
    uptime: configured === 0 ? null : connected / configured,
    latencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), p99: percentile(latencies, 0.99) }
  };
}

// src/monitor/usage-windows.ts
var UsageWindows = class {
  #bucketMs;
  #slots;
  #series;
  constructor(options = {}) {
    this.#bucketMs = Math.max(1e3, options.bucketMs ?? 3e5);
    this.#slots = Math.max(1, Math.ceil((options.spanMs ?? 864e5) / this.#bucketMs));
    this.#series = new LruMap(Math.max(1, options.maxKeys ?? 1e3));
  }
  get size() {
    return this.#series.size;
  }
  /** The longest window answered in full. */
  get spanMs() {
    return this.#slots * this.#bucketMs;
  }
  record = (record) => {
    const at = Date.parse(record.timestamp);
    const now = Number.isFinite(at) ? at : Date.now();
    const tenant = record.tenant ?? null;
    const key = `${tenant === null ? "-" : `${tenant.length}:${tenant}`}\0${record.provider}\0${record.unit}`;
    let series = this.#series.get(key);
    if (!series) {
      const slots = this.#slots;
      series = {
        tenant,
        provider: record.provider,
        unit: record.unit,
        currency: record.currency,
        starts: new Float64Array(slots).fill(-1),
        quantity: new Float64Array(slots),
        cost: new Float64Array(slots),
        unpriced: new Uint8Array(slots),
        calls: new Uint32Array(slots),
        failures: new Uint32Array(slots)
      };
      this.#series.set(key, series);
    }
    const bucket = Math.floor(now / this.#bucketMs);
    const slot = bucket % this.#slots;
    const start = bucket * this.#bucketMs;
    if (series.starts[slot] !== start) {
      series.starts[slot] = start;
      series.quantity[slot] = 0;
      series.cost[slot] = 0;
      series.unpriced[slot] = 0;
      series.calls[slot] = 0;
      series.failures[slot] = 0;
    }
    series.quantity[slot] = series.quantity[slot] + record.quantity;
    if (record.cost === null) {
      if (record.quantity !== 0) series.unpriced[slot] = 1;
    } else series.cost[slot] = series.cost[slot] + record.cost;
    series.currency ??= record.currency;
    series.calls[slot] = series.calls[slot] + 1;
    if (record.outcome !== "success") series.failures[slot] = series.failures[slot] + 1;
  };
  /** Rows with usage in the last `windowMs` (whole buckets), optionally for one tenant (null: the platform's own). */
  rows(options) {
    const now = options.now ?? Date.now();
    const windowMs = Math.min(Math.max(options.windowMs, this.#bucketMs), this.spanMs);
    const oldest = (Math.floor(now / this.#bucketMs) - Math.ceil(windowMs / this.#bucketMs) + 1) * this.#bucketMs;
    const rows = [];
    for (const series of this.#series.values()) {
      if (options.tenant !== void 0 && series.tenant !== options.tenant) continue;
      const row = {
        tenant: series.tenant,
        provider: series.provider,
        unit: series.unit,
        quantity: 0,
        cost: 0,
        currency: series.currency,
        calls: 0,
        failures: 0
      };
      for (let slot = 0; slot < this.#slots; slot++) {
        const start = series.starts[slot];
        if (start < oldest || start > now) continue;
        row.quantity += series.quantity[slot];
        row.calls += series.calls[slot];
        row.failures += series.failures[slot];
        if (series.unpriced[slot]) row.cost = null;
        else if (row.cost !== null) row.cost += series.cost[slot];
      }
      if (row.calls > 0) rows.push(row);
    }
    return rows;
  }
};

// src/monitor/status-monitor.ts
var customKind = "check";
var customVendor = "custom";
function positive(value, fallback, field) {
  if (value === void 0) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new PatchbayError({
      code: "invalid_request",
      message: `${field}: must be a positive number of milliseconds`
    });
  }
  return value;
}
function wholeNumber(value, fallback, field) {
  if (value === void 0) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new PatchbayError({ code: "invalid_request", message: `${field}: must be a whole number of at least 1` });
  }
  return value;
}
function scopeName(tenant) {
  return tenant === void 0 ? "platform" : `tenant:${tenant}`;
}
function isReport(value) {
  const report = value;
  return typeof report === "object" && report !== null && typeof report.integrations === "object" && report.integrations !== null && typeof report.overall_status === "string" && typeof report.last_checked === "string";
}
var overallRank = { healthy: 0, partial: 1, degraded: 2 };
function createStatusMonitor(patchbay, options = {}) {
  const hooks = patchbay?.[patchbayStatusHooks];
  if (!hooks) {
    throw new PatchbayError({
      code: "invalid_request",
      message: "createStatusMonitor: expected a Patchbay made by createPatchbay"
    });
  }
  const intervalMs = positive(options.intervalMs, 6e4, "intervalMs");
  const jitter = options.jitter ?? 0.1;
  const random = options.random ?? Math.random;
  const gate = new ConcurrencyLimit(wholeNumber(options.concurrency, 4, "concurrency"));
  const history = options.history ?? new InMemoryStatusHistoryStore();
  const cache = options.cache;
  const instanceId = options.instanceId ?? crypto.randomUUID();
  const checkTimeout = () => positive(options.timeoutMs, hooks.timeoutMs(), "timeoutMs");
  checkTimeout();
  if (options.jitter !== void 0 && !(options.jitter >= 0 && options.jitter <= 1)) {
    throw new PatchbayError({ code: "invalid_request", message: "jitter: must be a share between 0 and 1" });
  }
  const checks = Object.entries(options.checks ?? {});
  for (const [name, check2] of checks) {
    if (typeof check2 !== "function") {
      throw new PatchbayError({ code: "invalid_request", message: `checks.${name}: must be a function` });
    }
    if (hooks.entry(void 0, name)) {
      throw new PatchbayError({
        code: "invalid_request",
        message: `checks.${name}: a provider already has this id; name the check differently`
      });
    }
  }
  const events = new EventHub({
    onListenerError: (error, type) => {
      if (type !== "error") events.emit("error", { source: "listener", error });
    }
  });
  const reportError = (event) => events.emit("error", event);
  const newState = (tenant) => ({
    tenant,
    raw: /* @__PURE__ */ new Map(),
    report: void 0,
    checkedAt: 0,
    inflight: void 0,
    refoldQueued: false
  });
  const platform = newState(void 0);
  const polled = /* @__PURE__ */ new Map();
  for (const tenant of options.tenants ?? []) {
    if (typeof tenant !== "string")
      throw new PatchbayError({ code: "invalid_request", message: "tenants: every tenant id must be a string" });
    polled.set(tenant, newState(tenant));
  }
  const onDemand = new LruMap(wholeNumber(options.maxTenants, 1e3, "maxTenants"));
  const stateFor = (tenant) => {
    if (tenant === void 0) return platform;
    if (typeof tenant !== "string")
      throw new PatchbayError({ code: "invalid_request", message: "tenant: the tenant id must be a string" });
    const known = polled.get(tenant) ?? onDemand.get(tenant);
    if (known) return known;
    const created = newState(tenant);
    onDemand.set(tenant, created);
    return created;
  };
  const heldStates = () => [platform, ...polled.values(), ...onDemand.values()];
  let running = false;
  let timer;
  let stopController = new AbortController();
  let detach;
  const fold = (state, lastChecked) => {
    const integrations = {};
    for (const [id, line] of state.raw) {
      const entry = line.custom ? void 0 : hooks.entry(state.tenant, id);
      if (!line.custom && !entry) continue;
      const circuit = entry?.circuit();
      const recent = entry?.recent();
      const result = entry ? foldHealth(line.result, circuit, recent) : line.result;
      integrations[id] = {
        status: result.status,
        message: result.message,
        healthy: result.healthy,
        details: result.details,
        kind: line.kind,
        vendor: line.vendor,
        latency_ms: result.latencyMs,
        circuit,
        recent_calls: recent
      };
    }
    return {
      integrations,
      overall_status: overallStatus(Object.values(integrations).map((line) => line.status)),
      last_checked: lastChecked
    };
  };
  const publish = (state, next) => {
    const previous = state.report;
    state.report = next;
    if (!previous) return;
    const tenant = state.tenant ?? null;
    for (const [id, line] of Object.entries(next.integrations)) {
      const before = Object.hasOwn(previous.integrations, id) ? previous.integrations[id] : void 0;
      if (before && before.status !== line.status) {
        events.emit("status_changed", {
          target: "integration",
          integration: id,
          tenant,
          previous: before.status,
          current: line.status,
          message: line.message,
          at: (/* @__PURE__ */ new Date()).toISOString()
        });
      }
    }
    if (previous.overall_status !== next.overall_status) {
      events.emit("status_changed", {
        target: "overall",
        tenant,
        previous: previous.overall_status,
        current: next.overall_status,
        at: (/* @__PURE__ */ new Date()).toISOString()
      });
    }
  };
  const appendSamples = (state, at) => {
    for (const [id, line] of state.raw) {
      const sample = {
        provider: id,
        tenant: state.tenant ?? null,
        at,
        status: line.result.status,
        latencyMs: line.result.latencyMs,
        code: line.result.code
      };
      try {
        Promise.resolve(history.append(sample)).catch((error) => reportError({ source: "history", error }));
      } catch (error) {
        reportError({ source: "history", error });
      }
    }
  };
  const bounded = async (source, call) => {
    let timeout;
    try {
      return await Promise.race([
        Promise.resolve().then(call),
        new Promise((_, reject) => {
          timeout = setTimeout(
            () => reject(new Error(`The status ${source} did not answer within ${checkTimeout()} ms`)),
            checkTimeout()
          );
        })
      ]);
    } catch (error) {
      reportError({ source, error });
      return void 0;
    } finally {
      clearTimeout(timeout);
    }
  };
  const checkLocally = async (state) => {
    const timeoutMs = checkTimeout();
    const signal = stopController.signal;
    const entries = hooks.entries(state.tenant);
    const providerResults = entries.map(
      (entry) => gate.run(async () => ({
        id: entry.provider.id,
        kind: entry.provider.kind,
        vendor: entry.provider.vendor,
        custom: false,
        result: await testWithTimeout(entry.provider, timeoutMs, { tenant: state.tenant, signal })
      }))
    );
    const customResults = checks.map(
      ([name, check2]) => gate.run(async () => ({
        id: name,
        kind: customKind,
        vendor: customVendor,
        custom: true,
        result: await runCustomCheck(name, check2, {
          timeoutMs,
          tenant: state.tenant,
          signal,
          onThrow: (error) => reportError({ source: "check", error, check: name })
        })
      }))
    );
    const lines = await Promise.all([...providerResults, ...customResults]);
    const at = Date.now();
    state.raw = new Map(lines.map(({ id, ...line }) => [id, line]));
    state.checkedAt = at;
    appendSamples(state, at);
    const report = fold(state, new Date(at).toISOString());
    publish(state, report);
    return report;
  };
  const check = (state, viaCache) => {
    if (state.inflight) return state.inflight;
    const run = async () => {
      if (cache && viaCache) {
        const scope = scopeName(state.tenant);
        const leaseMs = intervalMs * 3;
        const lease = await bounded("cache", () => cache.acquirePollLease(scope, instanceId, leaseMs));
        if (lease === false) {
          const stored = await bounded("cache", () => cache.read(scope));
          if (typeof stored === "string") {
            try {
              const parsed = JSON.parse(stored);
              if (isReport(parsed)) {
                state.checkedAt = Date.parse(parsed.last_checked) || Date.now();
                publish(state, parsed);
                return parsed;
              }
            } catch (error) {
              reportError({ source: "cache", error });
            }
          }
        }
        const report = await checkLocally(state);
        if (lease === true) await bounded("cache", () => cache.write(scope, JSON.stringify(report), leaseMs));
        return report;
      }
      return checkLocally(state);
    };
    const pending = run().finally(() => {
      if (state.inflight === pending) state.inflight = void 0;
    });
    state.inflight = pending;
    return pending;
  };
  const waitFor = (promise, signal) => signal ? raceSignal(promise, signal) : promise;
  const pollRound = async () => {
    await Promise.all(
      [platform, ...polled.values()].map(
        (state) => check(state, true).catch((error) => reportError({ source: "check", error }))
      )
    );
  };
  const schedule = (delayMs) => {
    timer = setTimeout(() => {
      timer = void 0;
      void pollRound().then(() => {
        if (running) schedule(intervalMs * (1 + jitter * (2 * random() - 1)));
      });
    }, delayMs);
    timer.unref?.();
  };
  const refold = (state) => {
    if (!state.report || state.raw.size === 0 || state.refoldQueued) return;
    state.refoldQueued = true;
    queueMicrotask(() => {
      state.refoldQueued = false;
      if (state.report) publish(state, fold(state, state.report.last_checked));
    });
  };
  let unsubscribeCalls;
  let unsubscribeClose;
  const usageWindows = options.usage === false ? void 0 : new UsageWindows(options.usage);
  let unsubscribeUsage;
  const monitor = {
    get running() {
      return running;
    },
    get tenantReports() {
      return polled.size + onDemand.size;
    },
    start() {
      if (running) return;
      running = true;
      stopController = new AbortController();
      if (options.attach !== false) {
        detach = hooks.attach({
          status: (tenant, { refresh, signal }) => refresh ? monitor.refresh({ tenant, signal }) : monitor.report({ tenant, signal })
        });
      }
      unsubscribeClose = hooks.onClose(() => monitor.stop());
      unsubscribeCalls = hooks.onCallSeen(({ tenant, reason }) => {
        if (reason === "breaker") {
          for (const state2 of heldStates()) refold(state2);
          return;
        }
        if (tenant === void 0) {
          refold(platform);
          return;
        }
        const state = polled.get(tenant) ?? onDemand.peek(tenant);
        if (state) refold(state);
        refold(platform);
      });
      if (usageWindows) unsubscribeUsage = patchbay.on("usage", usageWindows.record);
      schedule(0);
    },
    stop() {
      running = false;
      if (timer !== void 0) clearTimeout(timer);
      timer = void 0;
      stopController.abort(new PatchbayError({ code: "aborted", message: "The status monitor stopped" }));
      stopController = new AbortController();
      detach?.();
      detach = void 0;
      unsubscribeCalls?.();
      unsubscribeCalls = void 0;
      unsubscribeClose?.();
      unsubscribeClose = void 0;
      unsubscribeUsage?.();
      unsubscribeUsage = void 0;
    },
    async report({ tenant, signal } = {}) {
      const state = stateFor(tenant);
      if (state.report) {
        if (state !== platform && !polled.has(tenant) && Date.now() - state.checkedAt >= intervalMs) {
          check(state, true).catch((error) => reportError({ source: "check", error }));
        }
        return state.report;
      }
      return waitFor(check(state, true), signal);
    },
    refresh({ tenant, signal } = {}) {
      return waitFor(check(stateFor(tenant), false), signal);
    },
    async tenants(ids, { refresh = false, concurrency = 4 } = {}) {
      wholeNumber(concurrency, 4, "concurrency");
      if (!Array.isArray(ids) || ids.some((id) => typeof id !== "string")) {
        throw new PatchbayError({ code: "invalid_request", message: "tenants: expected an array of tenant ids" });
      }
      const unique = [...new Set(ids)];
      const reports = await mapWithConcurrency(
        unique,
        concurrency,
        (tenant) => refresh ? monitor.refresh({ tenant }) : monitor.report({ tenant })
      );
      const tenants = /* @__PURE__ */ Object.create(null);
      let worst = "healthy";
      unique.forEach((tenant, index) => {
        const report = reports[index];
        tenants[tenant] = report;
        if (overallRank[report.overall_status] > overallRank[worst]) worst = report.overall_status;
      });
      return { tenants, overall_status: worst, last_checked: (/* @__PURE__ */ new Date()).toISOString() };
    },
    async history(integration, { tenant, windowMs, limit } = {}) {
      const since = windowMs === void 0 ? void 0 : Date.now() - windowMs + 1;
      return await bounded(
        "history",
        () => history.query({ provider: integration, tenant: tenant ?? null, since, limit })
      ) ?? [];
    },
    async summary(integration, { tenant, windowMs = 36e5 } = {}) {
      return summarizeStatusSamples(await monitor.history(integration, { tenant, windowMs }));
    },
    usage: ({ windowMs, tenant }) => usageWindows?.rows({ windowMs, tenant }) ?? [],
    on: (type, listener) => events.on(type, listener)
  };
  if (options.autoStart !== false) monitor.start();
  return monitor;
}

export { EncryptedCredentialStore, InMemoryAuditLog, InMemoryCredentialStore, InMemorySealedStorage, InMemoryStatusHistoryStore, InMemoryStatusReportCache, UsageWindows, createStatusMonitor, defaultAuditLogCapacity, sealedRowKey, summarizeStatusSamples };
//# sourceMappingURL=index.js.map
//# sourceMappingURL=index.js.map