import { InMemoryLimitStore } from '../chunk-M7DSVO2L.js';
import { LruMap } from '../chunk-KWNWYJ7G.js';
import { PatchbayError, scrubSecrets, knownSecrets } from '../chunk-JE5GE6TU.js';

// src/http/http-answers.ts
var defaultMaxBodyBytes = 16 * 1024;
var jsonHeaders = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };
function jsonAnswer(status, body, headers = {}) {
  return new Response(JSON.stringify(body), { status, headers: { ...jsonHeaders, ...headers } });
}
function problem(status, code, message, issues, headers = {}) {
  return jsonAnswer(status, { error: { code, message, ...issues?.length ? { issues } : {} } }, headers);
}
function errorAnswer(error) {
  if (PatchbayError.isInstance(error)) {
    const issues = error.details?.issues;
    if (error.code === "invalid_request") return problem(400, "invalid_request", error.message, issues);
    if (error.code === "limit_exceeded") {
      const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 1e3) / 1e3));
      return problem(429, "limit_exceeded", error.message, void 0, { "retry-after": String(seconds) });
    }
    if (error.code === "not_configured") return problem(503, "not_configured", error.message);
  }
  return problem(500, "internal", "The request could not be handled");
}
async function authorizeRequest(authorize, request) {
  let answer;
  try {
    answer = await authorize(request);
  } catch {
    return problem(500, "internal", "Authorization could not be checked");
  }
  if (answer === false || answer === void 0 || answer === null)
    return problem(401, "unauthorized", "Not authorized");
  return answer === true ? {} : answer;
}
async function readJsonObject(request, maxBytes) {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type))
    return { ok: false, response: problem(415, "unsupported_media_type", "The body must be application/json") };
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  const tooLarge = () => ({
    ok: false,
    response: problem(413, "body_too_large", `The body must be at most ${maxBytes} bytes`, void 0, {
      connection: "close"
    })
  });
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();
  const chunks = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    try {
      for (; ; ) {
        const { done, value: value2 } = await reader.read();
        if (done) break;
        size += value2.byteLength;
        if (size > maxBytes) {
          await reader.cancel().catch(() => {
          });
          return tooLarge();
        }
        chunks.push(value2);
      }
    } catch {
      return { ok: false, response: problem(400, "invalid_body", "The body could not be read") };
    } finally {
      reader.releaseLock();
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, response: problem(400, "invalid_encoding", "The body is not valid UTF-8") };
  }
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, response: problem(400, "invalid_json", "The body is not valid JSON") };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { ok: false, response: problem(400, "invalid_request", "The body must be a JSON object") };
  return { ok: true, value };
}
function unknownKeys(value, allowed, prefix = "") {
  return Object.keys(value).filter((key) => !allowed.includes(key)).slice(0, 20).map((key) => ({
    path: `${prefix}${key.slice(0, 100)}`,
    message: `unknown field (allowed: ${allowed.join(", ")})`
  }));
}
function member(value, key) {
  return Object.hasOwn(value, key) ? value[key] : void 0;
}
function credentialValues(value, path) {
  const values = /* @__PURE__ */ Object.create(null);
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { values, issues: [{ path, message: "must be an object of credential fields" }] };
  const issues = [];
  const keys = Object.keys(value);
  if (keys.length > 64) return { values, issues: [{ path, message: "has too many fields" }] };
  for (const key of keys) {
    const field = value[key];
    if (typeof field !== "string") issues.push({ path: `${path}.${key.slice(0, 100)}`, message: "must be a string" });
    else values[key] = field;
  }
  return { values, issues };
}
function identifierIssue(value, path, required) {
  if (value === void 0 && !required) return void 0;
  if (typeof value !== "string" || value === "" || value.length > 256)
    return { path, message: "must be a non-empty string of at most 256 characters" };
  return void 0;
}

// src/http/admin-credentials-handler.ts
var writeFields = ["tenant", "provider", "credentials"];
function createCredentialAdminHandler(patchbay, options) {
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  return async (request) => {
    try {
      const method = request.method;
      if (!["GET", "PUT", "PATCH", "DELETE"].includes(method))
        return problem(405, "method_not_allowed", "Use GET, PUT, PATCH or DELETE", void 0, {
          allow: "GET, PUT, PATCH, DELETE"
        });
      const authorization = await authorizeRequest(options.authorize, request);
      if (authorization instanceof Response) return authorization;
      const actor = { actor: authorization.actor ?? null };
      let tenant;
      let provider;
      let values;
      const issues = [];
      if (method === "GET" || method === "DELETE") {
        const query = new URL(request.url).searchParams;
        tenant = query.get("tenant") ?? authorization.tenant;
        provider = query.get("provider") ?? void 0;
      } else {
        const body = await readJsonObject(request, maxBodyBytes);
        if (!body.ok) return body.response;
        issues.push(...unknownKeys(body.value, writeFields));
        tenant = member(body.value, "tenant") ?? authorization.tenant;
        provider = member(body.value, "provider");
        const candidate = credentialValues(member(body.value, "credentials"), "credentials");
        issues.push(...candidate.issues);
        values = candidate.values;
      }
      for (const issue of [identifierIssue(tenant, "tenant", true), identifierIssue(provider, "provider", true)])
        if (issue) issues.push(issue);
      if (issues.length) return problem(400, "invalid_request", "Invalid credentials request", issues);
      if (authorization.tenant !== void 0 && tenant !== authorization.tenant)
        return problem(403, "forbidden", "Not allowed for this tenant");
      const admin = patchbay.credentials;
      const t = tenant;
      const p = provider;
      try {
        if (method === "GET") return jsonAnswer(200, await admin.describe(t, p));
        if (method === "DELETE") return jsonAnswer(200, await admin.delete(t, p, actor));
        const written = values;
        return jsonAnswer(
          200,
          method === "PUT" ? await admin.set(t, p, written, actor) : await admin.rotate(t, p, written, actor)
        );
      } catch (error) {
        return errorAnswer(renamed(error));
      }
    } catch (error) {
      return errorAnswer(error);
    }
  };
}
function renamed(error) {
  const details = error?.details;
  if (details?.issues)
    details.issues = details.issues.map((issue) => ({
      ...issue,
      path: issue.path.startsWith("values") ? `credentials${issue.path.slice("values".length)}` : issue.path
    }));
  return error;
}

// src/http/status-page.ts
function escapeHtml(text) {
  let escaped = "";
  for (const character of text) {
    switch (character) {
      case "&":
        escaped += "&amp;";
        break;
      case "<":
        escaped += "&lt;";
        break;
      case ">":
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case "'":
        escaped += "&#39;";
        break;
      default:
        escaped += character;
    }
  }
  return escaped;
}
function scriptSafeJson(value) {
  return JSON.stringify(value).replaceAll("<", "\\u003c").replaceAll(">", "\\u003e").replaceAll("&", "\\u0026").replaceAll("\u2028", "\\u2028").replaceAll("\u2029", "\\u2029");
}
var styles = `
:root{color-scheme:light dark;font-family:system-ui,sans-serif}
body{margin:2rem;max-width:72rem}
h1{font-size:1.4rem;margin:0 0 .25rem}
.overall{display:inline-block;padding:.2rem .6rem;border-radius:1rem;font-weight:600;color:#fff}
.healthy,.connected{background:#1a7f37}.degraded,.error{background:#cf222e}.partial,.not_configured{background:#9a6700}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #8884;vertical-align:middle}
td .badge{display:inline-block;padding:.1rem .5rem;border-radius:.6rem;color:#fff;font-size:.85rem}
.muted{opacity:.7;font-size:.85rem}
svg{display:block}
nav a{margin-right:.5rem}nav a[aria-current]{font-weight:700}
`;
var script = `
(function(){
  var data = JSON.parse(document.getElementById('status-data').textContent);
  var svgNs = 'http://www.w3.org/2000/svg';
  function el(tag, text, className){ var node = document.createElement(tag); if (text !== undefined && text !== null) node.textContent = String(text); if (className) node.className = className; return node; }
  function percent(value){ return value === null || value === undefined ? '\u2013' : (value * 100).toFixed(1) + ' %'; }
  function spark(points){
    var width = 120, height = 24, svg = document.createElementNS(svgNs, 'svg');
    svg.setAttribute('width', width); svg.setAttribute('height', height); svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    svg.setAttribute('role', 'img'); svg.setAttribute('class', 'sparkline');
    if (!points || points.length === 0) return svg;
    var step = width / Math.max(points.length, 1);
    var max = 1; points.forEach(function(p){ if (typeof p.latency_ms === 'number' && p.latency_ms > max) max = p.latency_ms; });
    var coordinates = [];
    points.forEach(function(p, i){
      var bar = document.createElementNS(svgNs, 'rect');
      bar.setAttribute('x', String(i * step)); bar.setAttribute('y', String(height - 3)); bar.setAttribute('width', String(Math.max(step - 0.5, 0.5))); bar.setAttribute('height', '3');
      bar.setAttribute('fill', p.status === 'connected' ? '#1a7f37' : p.status === 'error' ? '#cf222e' : '#9a6700');
      svg.appendChild(bar);
      var latency = typeof p.latency_ms === 'number' ? p.latency_ms : 0;
      coordinates.push((i * step + step / 2).toFixed(1) + ',' + (height - 5 - (latency / max) * (height - 7)).toFixed(1));
    });
    var line = document.createElementNS(svgNs, 'polyline');
    line.setAttribute('points', coordinates.join(' ')); line.setAttribute('fill', 'none'); line.setAttribute('stroke', 'currentColor'); line.setAttribute('stroke-width', '1');
    svg.appendChild(line);
    return svg;
  }
  function render(data){
    var overall = document.getElementById('overall');
    overall.textContent = data.overall_status; overall.className = 'overall ' + data.overall_status;
    document.getElementById('checked').textContent = 'Last checked ' + data.last_checked;
    var rows = document.getElementById('integrations'); rows.textContent = '';
    Object.keys(data.integrations).forEach(function(id){
      var line = data.integrations[id], history = (data.history || {})[id] || {};
      var row = el('tr'); row.setAttribute('data-integration', id);
      row.appendChild(el('td', id));
      row.appendChild(el('td', line.kind + ' / ' + line.vendor, 'muted'));
      var state = el('td'); state.appendChild(el('span', line.status, 'badge ' + line.status)); row.appendChild(state);
      row.appendChild(el('td', line.circuit || '\u2013'));
      row.appendChild(el('td', percent(history.uptime_1h)));
      row.appendChild(el('td', percent(history.uptime_24h)));
      var latency = history.latency_ms_1h || {};
      row.appendChild(el('td', latency.p50 === null || latency.p50 === undefined ? '\u2013' : latency.p50 + ' / ' + latency.p95 + ' ms'));
      var chart = el('td'); chart.appendChild(spark(history.points)); row.appendChild(chart);
      row.appendChild(el('td', line.message, 'muted'));
      rows.appendChild(row);
    });
    var usage = document.getElementById('usage'); usage.textContent = '';
    (data.usage || []).forEach(function(u){
      var row = el('tr');
      [u.tenant === null ? '(platform)' : u.tenant, u.provider, u.unit, u.quantity, u.cost === null ? 'unpriced' : (u.cost + ' ' + (u.currency || '')), u.calls, u.failures].forEach(function(value){ row.appendChild(el('td', value)); });
      usage.appendChild(row);
    });
    document.getElementById('usage-empty').hidden = (data.usage || []).length > 0;
    var windowName = data.usage_window || 'since start';
    document.getElementById('usage-title').textContent = windowName === 'since start' ? 'Usage since start' : 'Usage, last ' + windowName;
    var nav = document.getElementById('windows'); nav.textContent = '';
    if (windowName !== 'since start') ['15m', '1h', '6h', '24h'].forEach(function(name){
      var link = new URL(location.href); link.searchParams.set('window', name);
      var anchor = el('a', name); anchor.href = link.pathname + link.search; if (name === windowName) anchor.setAttribute('aria-current', 'true');
      nav.appendChild(anchor); nav.appendChild(document.createTextNode(' '));
    });
  }
  render(data);
  var url = new URL(location.href); url.searchParams.delete('refresh'); url.searchParams.set('format', 'json'); url.searchParams.set('include', 'history,usage');
  var every = Number(document.body.getAttribute('data-refresh-ms')) || 15000;
  function poll(){
    fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function(response){ if (!response.ok) throw new Error('HTTP ' + response.status); return response.json(); })
      .then(function(next){ render(next); document.getElementById('stale').hidden = true; })
      .catch(function(){ document.getElementById('stale').hidden = false; })
      .then(function(){ setTimeout(poll, every); });
  }
  setTimeout(poll, every);
})();
`;
function renderStatusPage(options) {
  const title = escapeHtml(options.title);
  const scope = options.tenant === void 0 ? "Platform" : `Tenant ${escapeHtml(options.tenant)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${styles}</style>
</head>
<body data-refresh-ms="${Math.max(1e3, Math.floor(options.refreshMs ?? 15e3))}">
<h1>${title}</h1>
<p>${scope}: <span id="overall" class="overall"></span> <span id="checked" class="muted"></span>
<span id="stale" class="muted" hidden>(could not refresh; showing the last answer)</span></p>
<table>
<thead><tr><th>Integration</th><th>Kind / vendor</th><th>Status</th><th>Breaker</th><th>Uptime 1 h</th><th>Uptime 24 h</th><th>Latency p50 / p95 (1 h)</th><th>Recent checks</th><th>Message</th></tr></thead>
<tbody id="integrations"></tbody>
</table>
<h2 id="usage-title">Usage</h2>
<nav id="windows" class="muted"></nav>
<table>
<thead><tr><th>Tenant</th><th>Provider</th><th>Unit</th><th>Quantity</th><th>Cost</th><th>Calls</th><th>Failures</th></tr></thead>
<tbody id="usage"></tbody>
</table>
<p id="usage-empty" class="muted">No usage recorded yet.</p>
<script type="application/json" id="status-data">${scriptSafeJson(options.data)}</script>
<script>${script}</script>
</body>
</html>
`;
}

// src/http/status-responses.ts
var baseHeaders = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff"
};
function jsonResponse(status, body, headers = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...baseHeaders, "content-type": "application/json; charset=utf-8", ...headers }
  });
}
function errorResponse(status, code, message, options = {}) {
  const body = { error: { code, message, ...options.field ? { field: options.field } : {} } };
  return jsonResponse(status, body, options.headers);
}
function htmlResponse(status, html) {
  return new Response(html, {
    status,
    headers: {
      ...baseHeaders,
      "content-type": "text/html; charset=utf-8",
      // Everything the page needs is inline; nothing may load from elsewhere.
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    }
  });
}
var maxDepth = 8;
function scrubDeep(value, depth = 0) {
  if (typeof value === "string") return scrubSecrets(value, knownSecrets());
  if (value === null || typeof value !== "object") return value;
  if (depth >= maxDepth) return "[nested]";
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, depth + 1));
  const copy = {};
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(copy, key, {
      value: scrubDeep(item, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true
    });
  }
  return copy;
}
async function withTimeLimit(call, timeoutMs) {
  let timer;
  try {
    const value = await Promise.race([
      Promise.resolve().then(call),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(timedOutMarker), timeoutMs);
      })
    ]);
    return { ok: true, value };
  } catch (error) {
    return error === timedOutMarker ? { ok: false, timedOut: true } : { ok: false, timedOut: false, error };
  } finally {
    clearTimeout(timer);
  }
}
var timedOutMarker = /* @__PURE__ */ Symbol("timed out");

// src/http/status-handler.ts
var maxUrlLength = 8192;
var maxTenantLength = 256;
var booleans = /* @__PURE__ */ new Map([
  ["true", true],
  ["1", true],
  ["false", false],
  ["0", false]
]);
var formats = /* @__PURE__ */ new Set(["json", "html"]);
var includes = /* @__PURE__ */ new Set(["history", "usage"]);
var hourMs = 36e5;
var maxUsageRows = 500;
function validTenant(value) {
  if (value.length === 0 || value.length > maxTenantLength) return false;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 32 || code === 127) return false;
  }
  return true;
}
var usageWindows = /* @__PURE__ */ new Map([
  ["15m", 9e5],
  ["1h", 36e5],
  ["6h", 216e5],
  ["24h", 864e5]
]);
function parseQuery(url) {
  const seen = /* @__PURE__ */ new Set();
  const parsed = { refresh: false, format: void 0, include: /* @__PURE__ */ new Set(), window: void 0 };
  for (const [name, value] of url.searchParams) {
    if (name !== "refresh" && name !== "format" && name !== "include" && name !== "window") continue;
    if (seen.has(name))
      return errorResponse(400, "invalid_request", `query.${name}: given more than once`, { field: `query.${name}` });
    seen.add(name);
    if (name === "refresh") {
      const flag = booleans.get(value.toLowerCase());
      if (flag === void 0)
        return errorResponse(400, "invalid_request", "query.refresh: expected true, false, 1 or 0", {
          field: "query.refresh"
        });
      parsed.refresh = flag;
    } else if (name === "window") {
      if (!usageWindows.has(value))
        return errorResponse(400, "invalid_request", "query.window: expected 15m, 1h, 6h or 24h", {
          field: "query.window"
        });
      parsed.window = value;
    } else if (name === "format") {
      if (!formats.has(value))
        return errorResponse(400, "invalid_request", "query.format: expected json or html", { field: "query.format" });
      parsed.format = value;
    } else {
      for (const item of value.split(",")) {
        if (!includes.has(item))
          return errorResponse(400, "invalid_request", "query.include: expected a list of history, usage", {
            field: "query.include"
          });
        parsed.include.add(item);
      }
    }
  }
  return parsed;
}
function wantsHtml(request, query) {
  if (query.format) return query.format === "html";
  const accept = request.headers.get("accept") ?? "";
  const html = accept.indexOf("text/html");
  if (html === -1) return false;
  const json = accept.indexOf("application/json");
  return json === -1 || html < json;
}
function createStatusHandler(options) {
  if (!options?.patchbay || typeof options.patchbay.status !== "function") {
    throw new TypeError("createStatusHandler: options.patchbay must be a Patchbay");
  }
  const { patchbay, monitor } = options;
  const hookTimeoutMs = options.hookTimeoutMs ?? 5e3;
  const minRefreshIntervalMs = options.minRefreshIntervalMs ?? 1e4;
  const lastRefresh = new LruMap(1e4);
  const extras = async (report, tenant, include, window) => {
    const body = { ...report };
    if (include.has("history") && monitor) {
      const history = {};
      const lines = await Promise.all(
        Object.keys(report.integrations).map(async (id) => {
          const [samples, lastHour, lastDay] = await Promise.all([
            monitor.history(id, { tenant, windowMs: 24 * hourMs }),
            monitor.summary(id, { tenant, windowMs: hourMs }),
            monitor.summary(id, { tenant, windowMs: 24 * hourMs })
          ]);
          return [id, { samples, lastHour, lastDay }];
        })
      );
      for (const [id, { samples, lastHour, lastDay }] of lines) {
        Object.defineProperty(history, id, {
          enumerable: true,
          value: {
            uptime_1h: lastHour.uptime,
            uptime_24h: lastDay.uptime,
            latency_ms_1h: lastHour.latencyMs,
            latency_ms_24h: lastDay.latencyMs,
            points: samples.slice(-60).map((sample) => ({
              at: sample.at,
              status: sample.status,
              latency_ms: sample.latencyMs
            }))
          }
        });
      }
      body.history = history;
    }
    if (include.has("usage")) {
      const windowName = window ?? "24h";
      const rows = monitor ? monitor.usage({ windowMs: usageWindows.get(windowName), tenant }) : patchbay.usage.rows(tenant === void 0 ? {} : { tenant }).map((row) => ({
        tenant: row.tenant ?? null,
        provider: row.provider,
        unit: row.unit,
        quantity: row.quantity,
        cost: row.cost,
        currency: row.currency,
        calls: row.records,
        failures: row.failures
      }));
      body.usage_window = monitor ? windowName : "since start";
      body.usage = rows.slice(0, maxUsageRows);
    }
    return body;
  };
  return async (request) => {
    try {
      const method = request.method.toUpperCase();
      if (method !== "GET" && method !== "HEAD") {
        return errorResponse(405, "invalid_request", `${method.slice(0, 20)} is not allowed here: use GET`, {
          field: "method",
          headers: { allow: "GET, HEAD" }
        });
      }
      if (request.url.length > maxUrlLength) {
        return errorResponse(414, "invalid_request", `The URL is longer than ${maxUrlLength} characters`, {
          field: "url"
        });
      }
      const query = parseQuery(new URL(request.url));
      if (query instanceof Response) return query;
      let tenant;
      if (options.tenant) {
        const resolver = options.tenant;
        const resolved = await withTimeLimit(() => resolver(request), hookTimeoutMs);
        if (!resolved.ok) {
          return resolved.timedOut ? errorResponse(503, "timeout", "The tenant resolver did not answer in time", { field: "tenant" }) : errorResponse(400, "invalid_request", "The tenant could not be resolved from the request", {
            field: "tenant"
          });
        }
        if (resolved.value !== void 0 && (typeof resolved.value !== "string" || !validTenant(resolved.value))) {
          return errorResponse(
            400,
            "invalid_request",
            `tenant: expected 1 to ${maxTenantLength} printable characters`,
            { field: "tenant" }
          );
        }
        tenant = resolved.value;
      }
      if (options.authorize) {
        const authorize = options.authorize;
        const allowed = await withTimeLimit(() => authorize(request, { tenant }), hookTimeoutMs);
        if (!allowed.ok && allowed.timedOut)
          return errorResponse(503, "timeout", "The authorization check did not answer in time");
        if (!allowed.ok || allowed.value === false)
          return errorResponse(401, "auth", "Not authorized to read this status", {
            headers: { "www-authenticate": "Bearer" }
          });
      }
      if (query.refresh) {
        const scope = tenant === void 0 ? "" : `t:${tenant}`;
        const previous = lastRefresh.get(scope);
        const now = Date.now();
        if (previous !== void 0 && now - previous < minRefreshIntervalMs) {
          const retryAfter = Math.ceil((previous + minRefreshIntervalMs - now) / 1e3);
          return errorResponse(429, "rate_limited", `Refreshed less than ${minRefreshIntervalMs} ms ago`, {
            field: "query.refresh",
            headers: { "retry-after": String(retryAfter) }
          });
        }
        lastRefresh.set(scope, now);
      }
      const view = tenant === void 0 ? patchbay : patchbay.tenant(tenant);
      let report;
      try {
        report = await view.status({ refresh: query.refresh });
      } catch {
        return errorResponse(503, "unavailable", "The status could not be checked");
      }
      if (options.html !== false && wantsHtml(request, query)) {
        const data = scrubDeep(await extras(report, tenant, /* @__PURE__ */ new Set(["history", "usage"]), query.window));
        const page = renderStatusPage({
          title: options.title ?? "Service status",
          tenant,
          data,
          refreshMs: options.pageRefreshMs
        });
        return method === "HEAD" ? htmlResponse(200, "") : htmlResponse(200, page);
      }
      const body = scrubDeep(
        query.include.size > 0 ? await extras(report, tenant, query.include, query.window) : report
      );
      if (method === "HEAD") return new Response(null, { status: 200, headers: jsonResponse(200, {}).headers });
      return jsonResponse(200, body);
    } catch {
      return errorResponse(400, "invalid_request", "The request could not be read");
    }
  };
}

// src/http/status-node-listener.ts
function readBody(request, maxBytes) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let total = 0;
    const cleanup = () => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onError);
    };
    const onData = (chunk) => {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      total += buffer.byteLength;
      if (total > maxBytes) {
        cleanup();
        request.resume();
        resolve(void 0);
        return;
      }
      chunks.push(buffer);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error) => {
      cleanup();
      reject(error);
    };
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onError);
  });
}
function refuse(outgoing, status, message) {
  outgoing.writeHead(status, { "content-type": "application/json; charset=utf-8", connection: "close" });
  outgoing.end(JSON.stringify({ error: { code: "invalid_request", message } }));
}
function toNodeListener(handler, options = {}) {
  const maxBytes = options.maxBodyBytes ?? 1048576;
  return async (incoming, outgoing) => {
    try {
      let url;
      try {
        const origin = options.origin ?? `http://${incoming.headers.host ?? "localhost"}`;
        url = new URL(incoming.url ?? "/", origin).toString();
      } catch {
        if (!incoming.complete) incoming.resume();
        refuse(outgoing, 400, "Malformed Host header or request target");
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (value === void 0) continue;
        for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
      }
      const method = incoming.method ?? "GET";
      let body;
      if (method !== "GET" && method !== "HEAD") {
        const declared = Number(incoming.headers["content-length"]);
        body = Number.isFinite(declared) && declared > maxBytes ? void 0 : await readBody(incoming, maxBytes);
        if (body === void 0) {
          if (!incoming.complete) incoming.resume();
          refuse(outgoing, 413, `Payload too large (limit ${maxBytes} bytes)`);
          return;
        }
      }
      const response = await handler(new Request(url, { method, headers, body }));
      const responseHeaders = {};
      response.headers.forEach((value, name) => {
        responseHeaders[name] = value;
      });
      outgoing.writeHead(response.status, responseHeaders);
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    } catch {
      if (!outgoing.headersSent) outgoing.writeHead(500, { "content-type": "application/json; charset=utf-8" });
      outgoing.end(JSON.stringify({ error: { code: "unknown", message: "The request could not be handled" } }));
    }
  };
}

// src/http/validate-credentials-handler.ts
var bodyFields = ["provider", "tenant", "credentials", "save"];
function createValidateCredentialsHandler(patchbay, options) {
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  const rate = options.rateLimit === false ? void 0 : options.rateLimit ?? { max: 10, windowMs: 6e4, store: void 0 };
  const rateStore = rate ? rate.store ?? new InMemoryLimitStore({ maxKeys: 1e4 }) : void 0;
  return async (request) => {
    try {
      if (request.method !== "POST")
        return problem(405, "method_not_allowed", "Use POST", void 0, { allow: "POST" });
      const authorization = await authorizeRequest(options.authorize, request);
      if (authorization instanceof Response) return authorization;
      const body = await readJsonObject(request, maxBodyBytes);
      if (!body.ok) return body.response;
      const input = body.value;
      const issues = unknownKeys(input, bodyFields);
      const provider = member(input, "provider");
      const tenant = member(input, "tenant") ?? authorization.tenant;
      const save = member(input, "save") ?? false;
      const providerIssue = identifierIssue(provider, "provider", true);
      const tenantIssue = identifierIssue(tenant, "tenant", false);
      if (providerIssue) issues.push(providerIssue);
      if (tenantIssue) issues.push(tenantIssue);
      if (typeof save !== "boolean") issues.push({ path: "save", message: "must be a boolean" });
      else if (save && tenant === void 0) issues.push({ path: "tenant", message: "required to save" });
      else if (save && options.allowSave === false) issues.push({ path: "save", message: "saving is not enabled" });
      const candidate = credentialValues(member(input, "credentials"), "credentials");
      issues.push(...candidate.issues);
      if (issues.length) return problem(400, "invalid_request", "Invalid validation request", issues);
      if (authorization.tenant !== void 0 && tenant !== authorization.tenant)
        return problem(403, "forbidden", "Not allowed for this tenant");
      if (rate && rateStore) {
        const key = rate.key?.(request, authorization) ?? (authorization.actor ? `actor:${authorization.actor}` : tenant ? `tenant:${tenant}` : "all");
        const reservation = await rateStore.reserve(`http:validate:${key}`, 1, rate.max, rate.windowMs, Date.now());
        if (!reservation.granted) {
          const seconds = Math.max(1, Math.ceil((reservation.resetAt - Date.now()) / 1e3));
          return problem(429, "rate_limited", "Too many validations; try again later", void 0, {
            "retry-after": String(seconds)
          });
        }
      }
      const result = await patchbay.validateCredentials(provider, candidate.values, {
        ...tenant === void 0 ? {} : { tenant },
        actor: authorization.actor ?? null,
        signal: request.signal
      });
      const answer = {
        valid: result.valid,
        issues: result.issues.map((issue) => ({ ...issue, path: `credentials.${issue.path}` })),
        status: result.health?.status ?? null,
        message: result.health?.message ?? null,
        saved: false
      };
      if (result.valid && save === true) {
        await patchbay.credentials.set(tenant, provider, candidate.values, {
          actor: authorization.actor ?? null
        });
        answer.saved = true;
      }
      return jsonAnswer(200, answer);
    } catch (error) {
      return errorAnswer(error);
    }
  };
}

export { createCredentialAdminHandler, createStatusHandler, createValidateCredentialsHandler, defaultMaxBodyBytes, escapeHtml, renderStatusPage, toNodeListener };
//# sourceMappingURL=index.js.map
//# sourceMappingURL=index.js.map