import { timingSafeEqual } from 'crypto';

// src/secrets/secret.ts
var brand = /* @__PURE__ */ Symbol.for("patchbay.secret");
var inspect = /* @__PURE__ */ Symbol.for("nodejs.util.inspect.custom");
var redactedText = "[redacted]";
var Secret = class _Secret {
  #value;
  [brand] = true;
  constructor(value) {
    this.#value = value;
  }
  static isInstance(value) {
    return typeof value === "object" && value !== null && value[brand] === true;
  }
  /** Wraps a plain string; passes an existing Secret through. */
  static from(value) {
    return _Secret.isInstance(value) ? value : new _Secret(value);
  }
  reveal() {
    return this.#value;
  }
  /** Compares in constant time for equal lengths, without revealing either value. */
  equals(other) {
    const a = Buffer.from(this.#value);
    const b = Buffer.from(_Secret.isInstance(other) ? other.reveal() : other);
    return a.length === b.length && timingSafeEqual(a, b);
  }
  toString() {
    return redactedText;
  }
  toJSON() {
    return redactedText;
  }
  [Symbol.toPrimitive]() {
    return redactedText;
  }
  [inspect]() {
    return `Secret(${redactedText})`;
  }
};
function reveal(value) {
  if (value === void 0) return void 0;
  return Secret.isInstance(value) ? value.reveal() : value;
}

// src/secrets/credential-names.ts
function normalise(name) {
  let normalised = "";
  for (let index = 0; index < name.length && normalised.length < 64; index++) {
    const code = name.charCodeAt(index);
    if (code >= 65 && code <= 90) normalised += String.fromCharCode(code + 32);
    else if (code >= 97 && code <= 122 || code >= 48 && code <= 57) normalised += name[index];
  }
  return normalised;
}
var exactNames = /* @__PURE__ */ new Set([
  "key",
  "sig",
  "auth",
  "pwd",
  "pass",
  "jwt",
  "session",
  "sessionid",
  "credential",
  "credentials"
]);
var credentialEndings = [
  "key",
  "token",
  "secret",
  "password",
  "passwd",
  "passphrase",
  "signature",
  "credential",
  "credentials",
  "cookie",
  "authorization",
  "sig"
];
function isCredentialName(name) {
  const normalised = normalise(name);
  if (normalised.length === 0) return false;
  if (exactNames.has(normalised)) return true;
  return credentialEndings.some((ending) => normalised.endsWith(ending));
}
var headerFragments = [
  "auth",
  "key",
  "token",
  "secret",
  "password",
  "passwd",
  "signature",
  "cookie",
  "session",
  "credential"
];
function isCredentialHeaderName(name) {
  const normalised = normalise(name);
  return headerFragments.some((fragment) => normalised.includes(fragment)) || isCredentialName(name);
}
function isHeadersName(name) {
  return normalise(name).endsWith("headers");
}

// src/secrets/scrub-text.ts
var maxScrubbedLength = 500;
function scrubText(text, secrets = []) {
  const scrubbed = scrubSecrets(String(text), secrets);
  return scrubbed.length > maxScrubbedLength ? `${scrubbed.slice(0, maxScrubbedLength)}\u2026` : scrubbed;
}
function scrubSecrets(text, secrets = []) {
  return scrubShapes(removeKnownSecrets(text, secrets));
}
function removeKnownSecrets(text, secrets) {
  const present = /* @__PURE__ */ new Set();
  for (const secret of secrets) {
    if (typeof secret !== "string" || secret.length < 4) continue;
    if (text.includes(secret)) present.add(secret);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && text.includes(encoded)) present.add(encoded);
  }
  let scrubbed = text;
  for (const value of [...present].sort((a, b) => b.length - a.length)) {
    scrubbed = scrubbed.split(value).join(redactedText);
  }
  return scrubbed;
}
var runPattern = /[A-Za-z0-9_\-.~+/%*]+/g;
var authSchemes = /* @__PURE__ */ new Set(["bearer", "basic", "token", "digest", "apikey"]);
var maxGap = 6;
function looksLikeCredential(run) {
  if (run.length >= 20) return true;
  if (run.length < 6) return false;
  for (let index = 0; index < run.length; index++) {
    const code = run.charCodeAt(index);
    if (code >= 48 && code <= 57) return true;
  }
  return false;
}
function assignment(gap) {
  if (gap.length === 0 || gap.length > maxGap) return void 0;
  let operator;
  for (const character of gap) {
    if (character === "=" || character === ":") {
      if (operator) return void 0;
      operator = character;
    } else if (character !== " " && character !== '"' && character !== "'" && character !== "	") return void 0;
  }
  return operator;
}
function isQuoted(gap) {
  return gap.includes('"') || gap.includes("'");
}
function isBlank(gap) {
  if (gap.length === 0 || gap.length > 3) return false;
  for (const character of gap) if (character !== " " && character !== "	") return false;
  return true;
}
function lastName(run) {
  const cut = Math.max(run.lastIndexOf("."), run.lastIndexOf("/"));
  return cut < 0 ? run : run.slice(cut + 1);
}
function scrubShapes(text) {
  const pieces = [];
  let written = 0;
  let previous;
  runPattern.lastIndex = 0;
  for (let match = runPattern.exec(text); match !== null; match = runPattern.exec(text)) {
    const run = match[0];
    const start = match.index;
    const end = start + run.length;
    pieces.push(text.slice(written, start));
    const gap = previous && start - previous.end <= maxGap ? text.slice(previous.end, start) : void 0;
    let replacement = redactKeyShapedParts(run);
    if (previous && gap !== void 0) {
      const operator = assignment(gap);
      const scheme = authSchemes.has(run.toLowerCase());
      if (operator && !scheme && isCredentialName(lastName(previous.run))) {
        if (operator === "=" || isQuoted(gap) || looksLikeCredential(run)) replacement = redactedText;
      } else if (isBlank(gap) && authSchemes.has(previous.run.toLowerCase()) && looksLikeCredential(run)) {
        replacement = redactedText;
      } else if (operator === ":" && text[end] === "@" && previous.run.startsWith("//")) {
        pieces[previous.piece] = `//${redactedText}`;
        replacement = redactedText;
      }
    }
    if (run.startsWith("//") && text[end] === "@") replacement = `//${redactedText}`;
    pieces.push(replacement);
    previous = { run, end, piece: pieces.length - 1 };
    written = end;
  }
  pieces.push(text.slice(written));
  return pieces.join("");
}
function redactKeyShapedParts(run) {
  if (run.length < 8) return run;
  const segments = run.split("/");
  let changed = false;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index];
    if (segment.length < 8) continue;
    if (isJwt(segment)) {
      segments[index] = redactedText;
      changed = true;
      continue;
    }
    const parts = segment.split(".");
    let partChanged = false;
    for (let part = 0; part < parts.length; part++) {
      if (isKeyShaped(parts[part])) {
        parts[part] = redactedText;
        partChanged = true;
      }
    }
    if (partChanged) {
      segments[index] = parts.join(".");
      changed = true;
    }
  }
  return changed ? segments.join("/") : run;
}
function isJwt(segment) {
  if (!segment.startsWith("eyJ") || segment.length < 20) return false;
  const parts = segment.split(".");
  return parts.length === 3 && parts[1].length > 0;
}
var vendorPrefixes = [
  ["sk-", 8],
  // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-)
  ["sk_", 8],
  // ElevenLabs, Stripe-style
  ["rk-", 12],
  ["rk_", 12],
  ["dg_", 8],
  ["dg-", 8],
  ["xi_", 8],
  ["xi-", 8],
  ["AIza", 30],
  // Google API keys
  ["EAA", 40],
  // Meta Graph access tokens
  ["atsk_", 12],
  // Africa's Talking
  ["ghp_", 20],
  ["github_pat_", 20],
  ["glpat-", 20],
  ["xoxb-", 20],
  ["xoxp-", 20],
  ["AKIA", 20]
];
function isKeyShaped(part) {
  if (part.length < 8) return false;
  for (const [prefix, minimumLength2] of vendorPrefixes) {
    if (part.length >= minimumLength2 && part.startsWith(prefix)) return true;
  }
  if (part.length < 32) return false;
  let lowerHex = true;
  let upperHex = true;
  let digits = 0;
  let upper = 0;
  let lower = 0;
  for (let index = 0; index < part.length; index++) {
    const code = part.charCodeAt(index);
    const isDigit = code >= 48 && code <= 57;
    const isUpper = code >= 65 && code <= 90;
    const isLower = code >= 97 && code <= 122;
    if (!isDigit && !isUpper && !isLower && code !== 45 && code !== 95) return false;
    if (isDigit) digits++;
    if (isUpper) upper++;
    if (isLower) lower++;
    if (!isDigit && !(code >= 97 && code <= 102)) lowerHex = false;
    if (!isDigit && !(code >= 65 && code <= 70)) upperHex = false;
  }
  if (/^[A-Z]{2}[0-9a-f]{32}$/.test(part)) return part.startsWith("SK");
  if (lowerHex || upperHex) return digits > 0;
  return digits > 0 && upper > 0 && lower > 0;
}

// src/secrets/redact.ts
function redactConfig(value, secretFields = /* @__PURE__ */ new Set(), knownValues = []) {
  const lowered = new Set([...secretFields].map((field) => field.toLowerCase()));
  return redactValue(value, void 0, { secretFields: lowered, knownValues, seen: /* @__PURE__ */ new WeakSet() });
}
function secretValuesOf(value, secretFields = /* @__PURE__ */ new Set()) {
  const values = [];
  const lowered = new Set([...secretFields].map((field) => field.toLowerCase()));
  redactValue(value, void 0, {
    secretFields: lowered,
    knownValues: [],
    seen: /* @__PURE__ */ new WeakSet(),
    collect: (found) => values.push(found)
  });
  return values;
}
function isUrlLike(text) {
  return /^[A-Za-z][A-Za-z0-9+.-]{0,20}:\/\//.test(text);
}
function redactValue(value, key, context) {
  const { secretFields, seen } = context;
  if (Secret.isInstance(value)) {
    context.collect?.(value.reveal());
    return redactedText;
  }
  if (typeof value === "function") return void 0;
  if (typeof value === "string") {
    if (key !== void 0 && value !== "" && (secretFields.has(key.toLowerCase()) || isCredentialName(key))) {
      context.collect?.(value);
      return redactedText;
    }
    if (isUrlLike(value)) return redactUrlCollecting(value, context.collect);
    return scrubSecrets(value, context.knownValues);
  }
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof URL) return redactUrlCollecting(value.href, context.collect);
  if (value instanceof Date) return value.toISOString();
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  if (key !== void 0 && isHeadersName(key) || value instanceof Headers) {
    if (context.collect) collectHeaderSecrets(value, context.collect);
    return redactHeaders(value);
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, key, context));
  const copy = {};
  for (const [field, item] of Object.entries(value)) {
    if (item === void 0) continue;
    const redacted = redactValue(item, field, context);
    if (redacted !== void 0) copy[field] = redacted;
  }
  return copy;
}
function collectHeaderSecrets(headers, collect) {
  const pairs = headers instanceof Headers ? [...headers.entries()] : Array.isArray(headers) ? headers : Object.entries(headers);
  for (const [name, value] of pairs) {
    if (typeof name !== "string" || !isCredentialHeaderName(name)) continue;
    if (typeof value === "string") {
      collect(value);
      const space = value.indexOf(" ");
      if (space > 0) collect(value.slice(space + 1));
    } else if (Secret.isInstance(value)) collect(value.reveal());
  }
}
function redactHeaderValue(name, value) {
  if (value === void 0 || value === null) return value;
  if (Secret.isInstance(value) || isCredentialHeaderName(name) && value !== "") return redactedText;
  if (typeof value === "string") return scrubSecrets(value);
  if (Array.isArray(value)) return value.map((item) => redactHeaderValue(name, item));
  return typeof value === "object" ? redactConfig(value) : value;
}
function redactHeaders(headers) {
  if (headers instanceof Headers) {
    const copy2 = {};
    headers.forEach((value, name) => {
      copy2[name] = redactHeaderValue(name, value);
    });
    return copy2;
  }
  if (Array.isArray(headers)) {
    return headers.map(
      ([name, value]) => typeof name === "string" ? [name, redactHeaderValue(name, value)] : [String(name), redactedText]
    );
  }
  if (typeof headers !== "object" || headers === null) return redactConfig(headers);
  const copy = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== void 0) copy[name] = redactHeaderValue(name, value);
  }
  return copy;
}
function redactParameters(query, collect) {
  return query.split("&").map((parameter) => {
    const equals = parameter.indexOf("=");
    if (equals < 0) return redactKeyShapedParts(parameter);
    const name = parameter.slice(0, equals);
    const value = parameter.slice(equals + 1);
    if (value !== "" && isCredentialName(safeDecode(name))) {
      collect?.(value);
      collect?.(safeDecode(value));
      return `${name}=${redactedText}`;
    }
    return `${name}=${redactKeyShapedParts(value)}`;
  }).join("&");
}
function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
function redactUrl(url) {
  return redactUrlCollecting(typeof url === "string" ? url : url.href, void 0);
}
function redactUrlCollecting(text, collect) {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]{0,20}:\/\//.exec(text);
  const authorityStart = scheme ? scheme[0].length : text.startsWith("//") ? 2 : 0;
  let pathStart = text.length;
  for (let index = authorityStart; index < text.length; index++) {
    const character = text[index];
    if (character === "/" || character === "?" || character === "#") {
      pathStart = index;
      break;
    }
  }
  let authority = authorityStart > 0 ? text.slice(authorityStart, pathStart) : "";
  if (authorityStart === 0) pathStart = 0;
  const at = authority.lastIndexOf("@");
  if (at >= 0) {
    if (collect) {
      const userinfo = authority.slice(0, at);
      collect(userinfo);
      for (const part of userinfo.split(":")) collect(safeDecode(part));
    }
    authority = `${redactedText}@${authority.slice(at + 1)}`;
  }
  const rest = text.slice(pathStart);
  const hashAt = rest.indexOf("#");
  const beforeHash = hashAt < 0 ? rest : rest.slice(0, hashAt);
  const fragment = hashAt < 0 ? void 0 : rest.slice(hashAt + 1);
  const queryAt = beforeHash.indexOf("?");
  const path = queryAt < 0 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt < 0 ? void 0 : beforeHash.slice(queryAt + 1);
  let result = `${text.slice(0, authorityStart)}${authority}${redactKeyShapedParts(path)}`;
  if (query !== void 0) result += `?${redactParameters(query, collect)}`;
  if (fragment !== void 0)
    result += `#${fragment.includes("=") ? redactParameters(fragment, collect) : redactKeyShapedParts(fragment)}`;
  return result;
}

// src/errors/error-codes.ts
var errorCodes = [
  "auth",
  "rate_limited",
  "quota_exceeded",
  "timeout",
  "connection",
  "unavailable",
  "invalid_request",
  "not_configured",
  "content_policy",
  "context_length",
  "stream_cut",
  "aborted",
  "limit_exceeded",
  "unknown"
];
var retryableByDefault = {
  auth: false,
  rate_limited: true,
  quota_exceeded: false,
  timeout: true,
  connection: true,
  unavailable: true,
  invalid_request: false,
  not_configured: false,
  content_policy: false,
  context_length: false,
  stream_cut: true,
  aborted: false,
  // One of our own budgets or rate limits refused the call before any vendor was called: waiting is the
  // only cure (its error says when the window resets), so the router fails over instead of retrying.
  limit_exceeded: false,
  unknown: false
};
var healthCodes = /* @__PURE__ */ new Set([
  "timeout",
  "connection",
  "unavailable",
  "rate_limited",
  "stream_cut",
  "unknown"
]);

// src/secrets/known-secrets.ts
var capacity = 2e3;
var minimumLength = 6;
var known = /* @__PURE__ */ new Map();
var snapshot;
var newest;
function rememberSecrets(values) {
  for (const value of values) {
    if (typeof value !== "string" || value.length < minimumLength || value === newest) continue;
    snapshot = void 0;
    newest = value;
    if (known.has(value)) known.delete(value);
    known.set(value, true);
    if (known.size > capacity) known.delete(known.keys().next().value);
  }
}
function knownSecrets() {
  snapshot ??= Object.freeze([...known.keys()]);
  return snapshot;
}

// src/errors/patchbay-error.ts
var brand2 = /* @__PURE__ */ Symbol.for("patchbay.error");
var redactedCauseBrand = /* @__PURE__ */ Symbol.for("patchbay.redacted-cause");
var maxCauseDepth = 4;
var maxStackLength = 4e3;
function redactCause(cause, depth = 0) {
  try {
    return summariseCause(cause, depth);
  } catch {
    return "[unreadable cause]";
  }
}
function summariseCause(cause, depth) {
  if (cause === void 0 || cause === null) return cause;
  if (typeof cause === "number" || typeof cause === "boolean") return cause;
  if (typeof cause === "string") return scrubText(cause, knownSecrets());
  if (PatchbayError.isInstance(cause) && cause instanceof PatchbayError) return cause;
  if (typeof cause !== "object") return `[${typeof cause}]`;
  if (cause[redactedCauseBrand] === true) return cause;
  if (depth >= maxCauseDepth) return "[cause chain truncated]";
  const original = cause;
  const isErrorLike = cause instanceof Error || typeof original.message === "string";
  if (!isErrorLike) return `[${cause.constructor?.name ?? "object"}]`;
  const summary = new Error(scrubText(String(original.message ?? ""), knownSecrets()));
  summary.name = typeof original.name === "string" ? scrubText(original.name).slice(0, 100) : "Error";
  summary.stack = typeof original.stack === "string" ? scrubSecrets(original.stack.slice(0, maxStackLength), knownSecrets()) : summary.stack;
  const extra = summary;
  if (typeof original.code === "string" && /^[A-Za-z0-9_.-]{1,64}$/.test(original.code)) extra.code = original.code;
  if (typeof original.code === "number") extra.code = original.code;
  if (typeof original.status === "number") extra.status = original.status;
  const nested = cause.cause;
  if (nested !== void 0) {
    Object.defineProperty(summary, "cause", {
      value: redactCause(nested, depth + 1),
      enumerable: false,
      configurable: true,
      writable: true
    });
  }
  Object.defineProperty(summary, redactedCauseBrand, { value: true, enumerable: false });
  return summary;
}
var PatchbayError = class _PatchbayError extends Error {
  [brand2] = true;
  code;
  retryable;
  provider;
  vendor;
  status;
  retryAfterMs;
  requestId;
  vendorCode;
  outcomeUnknown;
  details;
  constructor(options) {
    super(
      scrubSecrets(String(options.message), knownSecrets()),
      options.cause === void 0 ? void 0 : { cause: redactCause(options.cause) }
    );
    this.name = "PatchbayError";
    this.code = options.code;
    this.retryable = options.retryable ?? retryableByDefault[options.code];
    this.provider = options.provider;
    this.vendor = options.vendor;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.requestId = options.requestId;
    this.vendorCode = options.vendorCode;
    this.outcomeUnknown = options.outcomeUnknown ?? false;
    this.details = options.details === void 0 ? void 0 : redactConfig(options.details, void 0, knownSecrets());
  }
  static isInstance(value) {
    return typeof value === "object" && value !== null && value[brand2] === true;
  }
  /** A copy attributed to a provider, for errors raised before the adapter knew its id. */
  withProvider(provider, vendor) {
    if (this.provider === provider) return this;
    return new _PatchbayError({ ...this.toOptions(), provider, vendor: vendor ?? this.vendor });
  }
  toOptions() {
    return {
      code: this.code,
      message: this.message,
      provider: this.provider,
      vendor: this.vendor,
      status: this.status,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      requestId: this.requestId,
      vendorCode: this.vendorCode,
      outcomeUnknown: this.outcomeUnknown,
      details: this.details,
      cause: this.cause
    };
  }
  toJSON() {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      provider: this.provider,
      vendor: this.vendor,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      requestId: this.requestId,
      vendorCode: this.vendorCode,
      outcomeUnknown: this.outcomeUnknown || void 0,
      details: this.details
    };
  }
};
var AllProvidersFailedError = class extends PatchbayError {
  attempts;
  constructor(options) {
    const last = options.last;
    const summary = options.attempts.map((a) => `${a.provider}: ${a.code}`).join(", ");
    super({
      code: last?.code ?? "unavailable",
      message: `Route "${options.route}" failed${options.reason ? ` (${options.reason})` : ""}: ${summary || "no provider was available"}`,
      retryable: last?.retryable ?? true,
      provider: last?.provider,
      vendor: last?.vendor,
      status: last?.status,
      retryAfterMs: last?.retryAfterMs,
      outcomeUnknown: last?.outcomeUnknown,
      details: { route: options.route },
      cause: last
    });
    this.name = "AllProvidersFailedError";
    this.attempts = Object.freeze(
      options.attempts.map(
        (attempt) => Object.freeze({ ...attempt, message: scrubText(attempt.message, knownSecrets()) })
      )
    );
  }
  toJSON() {
    return { ...super.toJSON(), attempts: this.attempts };
  }
};

export { AllProvidersFailedError, PatchbayError, Secret, errorCodes, healthCodes, knownSecrets, redactConfig, redactHeaders, redactUrl, redactedText, rememberSecrets, retryableByDefault, reveal, scrubSecrets, scrubText, secretValuesOf };
//# sourceMappingURL=chunk-JE5GE6TU.js.map
//# sourceMappingURL=chunk-JE5GE6TU.js.map