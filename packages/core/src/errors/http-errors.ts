import type { ErrorCode } from './error-codes.js';
import { PatchbayError, type PatchbayErrorOptions } from './patchbay-error.js';

/** The default meaning of an HTTP status; adapters refine it with the vendor's error body. */
export function errorCodeForStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'quota_exceeded';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status === 413) return 'context_length';
  if (status === 409 || status === 425) return 'unavailable';
  if (status >= 500) return 'unavailable';
  if (status >= 400) return 'invalid_request';
  return 'unknown';
}

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined | null;

function header(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const value = record[name] ?? record[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads how long a vendor asked us to wait: `retry-after-ms` (OpenAI), then
 * `retry-after` as seconds or an HTTP date. Returns milliseconds, or undefined.
 */
export function parseRetryAfter(headers: HeaderSource, now: number = Date.now()): number | undefined {
  const milliseconds = header(headers, 'retry-after-ms');
  if (milliseconds !== undefined && /^\d+(\.\d+)?$/.test(milliseconds.trim())) return Math.ceil(Number(milliseconds));
  const value = header(headers, 'retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export interface HttpErrorInput extends Omit<PatchbayErrorOptions, 'code' | 'message'> {
  status: number;
  headers?: HeaderSource | undefined;
  code?: ErrorCode | undefined;
  message?: string | undefined;
}

/** A PatchbayError for a failed vendor HTTP response. */
export function httpError(input: HttpErrorInput): PatchbayError {
  const { headers, ...rest } = input;
  const retryAfterMs = rest.retryAfterMs ?? parseRetryAfter(headers);
  const requestId = rest.requestId ?? header(headers, 'x-request-id') ?? header(headers, 'request-id');
  return new PatchbayError({
    ...rest,
    code: input.code ?? errorCodeForStatus(input.status),
    message: input.message ?? `Vendor responded with HTTP ${input.status}`,
    retryAfterMs,
    requestId,
  });
}
