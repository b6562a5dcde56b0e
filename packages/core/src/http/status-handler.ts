import { LruMap } from '../config/lru-map.js';
import { durationOption, invalidOption } from '../config/option-checks.js';
import type { StatusReport } from '../health/status-report.js';
import type { StatusMonitor } from '../monitor/status-monitor.js';
import type { Patchbay } from '../patchbay.js';
import type { MaybePromise } from '../spec/state.js';
import { renderStatusPage } from './status-page.js';
import { errorResponse, htmlResponse, jsonResponse, scrubDeep, withTimeLimit } from './status-responses.js';

export interface StatusHandlerOptions {
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
  authorize?:
    | ((request: Request, context: { tenant: string | undefined }) => MaybePromise<boolean | undefined>)
    | undefined;
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
export type StatusHandler = (request: Request) => Promise<Response>;

const maxUrlLength = 8_192;
const maxTenantLength = 256;
const booleans = new Map([
  ['true', true],
  ['1', true],
  ['false', false],
  ['0', false],
]);
const formats = new Set(['json', 'html']);
const includes = new Set(['history', 'usage']);
const hourMs = 3_600_000;
const historyPoints = 60;
const maxUsageRows = 500;

function validTenant(value: string): boolean {
  if (value.length === 0 || value.length > maxTenantLength) return false;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}

interface ParsedQuery {
  refresh: boolean;
  format: 'json' | 'html' | undefined;
  include: Set<string>;
  window: string | undefined;
}

/** Usage windows the page offers (`?window=`); without a monitor, usage is since start. */
const usageWindows = new Map([
  ['15m', 900_000],
  ['1h', 3_600_000],
  ['6h', 21_600_000],
  ['24h', 86_400_000],
]);

/** One linear pass over the query; repeated or malformed known parameters are a 400 naming them. */
function parseQuery(url: URL): ParsedQuery | Response {
  const seen = new Set<string>();
  const parsed: ParsedQuery = { refresh: false, format: undefined, include: new Set(), window: undefined };
  for (const [name, value] of url.searchParams) {
    if (name !== 'refresh' && name !== 'format' && name !== 'include' && name !== 'window') continue; // cache busters
    if (seen.has(name))
      return errorResponse(400, 'invalid_request', `query.${name}: given more than once`, { field: `query.${name}` });
    seen.add(name);
    if (name === 'refresh') {
      const flag = booleans.get(value.toLowerCase());
      if (flag === undefined)
        return errorResponse(400, 'invalid_request', 'query.refresh: expected true, false, 1 or 0', {
          field: 'query.refresh',
        });
      parsed.refresh = flag;
    } else if (name === 'window') {
      if (!usageWindows.has(value))
        return errorResponse(400, 'invalid_request', 'query.window: expected 15m, 1h, 6h or 24h', {
          field: 'query.window',
        });
      parsed.window = value;
    } else if (name === 'format') {
      if (!formats.has(value))
        return errorResponse(400, 'invalid_request', 'query.format: expected json or html', { field: 'query.format' });
      parsed.format = value as 'json' | 'html';
    } else {
      for (const item of value.split(',')) {
        if (!includes.has(item))
          return errorResponse(400, 'invalid_request', 'query.include: expected a list of history, usage', {
            field: 'query.include',
          });
        parsed.include.add(item);
      }
    }
  }
  return parsed;
}

function wantsHtml(request: Request, query: ParsedQuery): boolean {
  if (query.format) return query.format === 'html';
  const accept = request.headers.get('accept') ?? '';
  const html = accept.indexOf('text/html');
  if (html === -1) return false;
  const json = accept.indexOf('application/json');
  return json === -1 || html < json;
}

/**
 * The status endpoint: `GET` answers the integration-status JSON (`integrations`, `overall_status`,
 * `last_checked`), `?refresh=true` checks now (rate-limited per tenant), `Accept: text/html` the
 * status page. Every string in a body is scrubbed of secrets; every refusal is a typed JSON error.
 */
export function createStatusHandler(options: StatusHandlerOptions): StatusHandler {
  if (!options?.patchbay || typeof options.patchbay.status !== 'function') {
    throw invalidOption('patchbay', 'must be a Patchbay (createStatusHandler)');
  }
  const { patchbay, monitor } = options;
  const hookTimeoutMs = durationOption(options.hookTimeoutMs, 5_000, 'hookTimeoutMs', true);
  const minRefreshIntervalMs = durationOption(options.minRefreshIntervalMs, 10_000, 'minRefreshIntervalMs');
  // The page waits at least 1 s between fetches (see renderStatusPage); a browser's timer overflows as Node's does.
  const pageRefreshMs = durationOption(options.pageRefreshMs, 15_000, 'pageRefreshMs');
  const lastRefresh = new LruMap<string, number>(10_000);

  const extras = async (
    report: StatusReport,
    tenant: string | undefined,
    include: Set<string>,
    window: string | undefined,
  ) => {
    const body: Record<string, unknown> = { ...report };
    if (include.has('history') && monitor) {
      const history: Record<string, unknown> = {};
      // In parallel: a slow history store costs one time limit, not one per integration.
      const lines = await Promise.all(
        Object.keys(report.integrations).map(async (id) => {
          const [samples, lastHour, lastDay] = await Promise.all([
            monitor.history(id, { tenant, windowMs: 24 * hourMs }),
            monitor.summary(id, { tenant, windowMs: hourMs }),
            monitor.summary(id, { tenant, windowMs: 24 * hourMs }),
          ]);
          return [id, { samples, lastHour, lastDay }] as const;
        }),
      );
      for (const [id, { samples, lastHour, lastDay }] of lines) {
        Object.defineProperty(history, id, {
          enumerable: true,
          value: {
            uptime_1h: lastHour.uptime,
            uptime_24h: lastDay.uptime,
            latency_ms_1h: lastHour.latencyMs,
            latency_ms_24h: lastDay.latencyMs,
            points: samples.slice(-historyPoints).map((sample) => ({
              at: sample.at,
              status: sample.status,
              latency_ms: sample.latencyMs,
            })),
          },
        });
      }
      body.history = history;
    }
    if (include.has('usage')) {
      const windowName = window ?? '24h';
      const rows = monitor
        ? monitor.usage({ windowMs: usageWindows.get(windowName) as number, tenant })
        : patchbay.usage.rows(tenant === undefined ? {} : { tenant }).map((row) => ({
            tenant: row.tenant ?? null,
            provider: row.provider,
            unit: row.unit,
            quantity: row.quantity,
            cost: row.cost,
            currency: row.currency,
            calls: row.records,
            failures: row.failures,
          }));
      body.usage_window = monitor ? windowName : 'since start';
      body.usage = rows.slice(0, maxUsageRows);
    }
    return body;
  };

  return async (request) => {
    try {
      const method = request.method.toUpperCase();
      if (method !== 'GET' && method !== 'HEAD') {
        return errorResponse(405, 'invalid_request', `${method.slice(0, 20)} is not allowed here: use GET`, {
          field: 'method',
          headers: { allow: 'GET, HEAD' },
        });
      }
      if (request.url.length > maxUrlLength) {
        return errorResponse(414, 'invalid_request', `The URL is longer than ${maxUrlLength} characters`, {
          field: 'url',
        });
      }
      const query = parseQuery(new URL(request.url));
      if (query instanceof Response) return query;

      let tenant: string | undefined;
      if (options.tenant) {
        const resolver = options.tenant;
        const resolved = await withTimeLimit(() => resolver(request), hookTimeoutMs);
        if (!resolved.ok) {
          return resolved.timedOut
            ? errorResponse(503, 'timeout', 'The tenant resolver did not answer in time', { field: 'tenant' })
            : errorResponse(400, 'invalid_request', 'The tenant could not be resolved from the request', {
                field: 'tenant',
              });
        }
        if (resolved.value !== undefined && (typeof resolved.value !== 'string' || !validTenant(resolved.value))) {
          return errorResponse(
            400,
            'invalid_request',
            `tenant: expected 1 to ${maxTenantLength} printable characters`,
            { field: 'tenant' },
          );
        }
        tenant = resolved.value;
      }
      if (options.authorize) {
        const authorize = options.authorize;
        const allowed = await withTimeLimit(() => authorize(request, { tenant }), hookTimeoutMs);
        if (!allowed.ok && allowed.timedOut)
          return errorResponse(503, 'timeout', 'The authorization check did not answer in time');
        if (!allowed.ok || allowed.value === false)
          return errorResponse(401, 'auth', 'Not authorized to read this status', {
            headers: { 'www-authenticate': 'Bearer' },
          });
      }

      if (query.refresh) {
        const scope = tenant === undefined ? '' : `t:${tenant}`;
        const previous = lastRefresh.get(scope);
        const now = Date.now();
        if (previous !== undefined && now - previous < minRefreshIntervalMs) {
          const retryAfter = Math.ceil((previous + minRefreshIntervalMs - now) / 1000);
          return errorResponse(429, 'rate_limited', `Refreshed less than ${minRefreshIntervalMs} ms ago`, {
            field: 'query.refresh',
            headers: { 'retry-after': String(retryAfter) },
          });
        }
        lastRefresh.set(scope, now);
      }

      const view = tenant === undefined ? patchbay : patchbay.tenant(tenant);
      let report: StatusReport;
      try {
        report = await view.status({ refresh: query.refresh });
      } catch {
        return errorResponse(503, 'unavailable', 'The status could not be checked');
      }
      if (options.html !== false && wantsHtml(request, query)) {
        const data = scrubDeep(await extras(report, tenant, new Set(['history', 'usage']), query.window));
        const page = renderStatusPage({
          title: options.title ?? 'Service status',
          tenant,
          data,
          refreshMs: pageRefreshMs,
        });
        return method === 'HEAD' ? htmlResponse(200, '') : htmlResponse(200, page);
      }
      const body = scrubDeep(
        query.include.size > 0 ? await extras(report, tenant, query.include, query.window) : report,
      );
      if (method === 'HEAD') return new Response(null, { status: 200, headers: jsonResponse(200, {}).headers });
      return jsonResponse(200, body);
    } catch {
      return errorResponse(400, 'invalid_request', 'The request could not be read');
    }
  };
}
