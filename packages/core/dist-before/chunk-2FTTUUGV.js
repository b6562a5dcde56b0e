import { PatchbayError } from './chunk-JE5GE6TU.js';

// src/errors/http-errors.ts
function errorCodeForStatus(status) {
  if (status === 401 || status === 403) return "auth";
  if (status === 402) return "quota_exceeded";
  if (status === 408) return "timeout";
  if (status === 429) return "rate_limited";
  if (status === 413) return "context_length";
  if (status === 409 || status === 425) return "unavailable";
  if (status >= 500) return "unavailable";
  if (status >= 400) return "invalid_request";
  return "unknown";
}
function header(headers, name) {
  if (!headers) return void 0;
  if (typeof headers.get === "function") return headers.get(name) ?? void 0;
  const record = headers;
  const value = record[name] ?? record[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
function parseRetryAfter(headers, now = Date.now()) {
  const milliseconds = header(headers, "retry-after-ms");
  if (milliseconds !== void 0 && /^\d+(\.\d+)?$/.test(milliseconds.trim())) return Math.ceil(Number(milliseconds));
  const value = header(headers, "retry-after")?.trim();
  if (!value) return void 0;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1e3);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return void 0;
  return Math.max(0, date - now);
}
function httpError(input) {
  const { headers, ...rest } = input;
  const retryAfterMs = rest.retryAfterMs ?? parseRetryAfter(headers);
  const requestId = rest.requestId ?? header(headers, "x-request-id") ?? header(headers, "request-id");
  return new PatchbayError({
    ...rest,
    code: input.code ?? errorCodeForStatus(input.status),
    message: input.message ?? `Vendor responded with HTTP ${input.status}`,
    retryAfterMs,
    requestId
  });
}

export { errorCodeForStatus, httpError, parseRetryAfter };
//# sourceMappingURL=chunk-2FTTUUGV.js.map
//# sourceMappingURL=chunk-2FTTUUGV.js.map