import type { ErrorCode, PatchbayError } from '@patchbay/core';
import { vendorHttpError } from '../shared/vendor-errors.js';

interface GoogleErrorBody {
  error?: {
    code?: number;
    message?: string;
    status?: string;
    details?: Array<{ '@type'?: string; reason?: string; retryDelay?: string }>;
  };
}

const byStatus: Record<string, ErrorCode> = {
  UNAUTHENTICATED: 'auth',
  PERMISSION_DENIED: 'auth',
  RESOURCE_EXHAUSTED: 'rate_limited',
  UNAVAILABLE: 'unavailable',
  INTERNAL: 'unavailable',
  DEADLINE_EXCEEDED: 'timeout',
  NOT_FOUND: 'invalid_request',
  INVALID_ARGUMENT: 'invalid_request',
  FAILED_PRECONDITION: 'invalid_request',
};

/** The SDK puts the whole error body, as JSON text, in the message (after a prefix inside streams). */
function parseBody(message: string): GoogleErrorBody {
  const start = message.indexOf('{');
  if (start === -1) return {};
  try {
    return JSON.parse(message.slice(start)) as GoogleErrorBody;
  } catch {
    return {};
  }
}

/** Google's `RetryInfo.retryDelay`, e.g. `"30s"` or `"1.5s"`, in milliseconds. */
function retryDelayMs(body: GoogleErrorBody): number | undefined {
  const delay = body.error?.details?.find((detail) => detail.retryDelay)?.retryDelay;
  const match = delay ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null;
  return match ? Math.ceil(Number(match[1]) * 1000) : undefined;
}

export function geminiErrorCode(body: GoogleErrorBody): ErrorCode | undefined {
  const error = body.error;
  if (!error) return undefined;
  const reasons = new Set(error.details?.map((detail) => detail.reason).filter(Boolean));
  // The Gemini API answers a bad key with 400 INVALID_ARGUMENT, not 401.
  if (reasons.has('API_KEY_INVALID') || reasons.has('API_KEY_SERVICE_BLOCKED')) return 'auth';
  const message = error.message ?? '';
  if (
    error.status === 'INVALID_ARGUMENT' &&
    /token count|exceeds the maximum number of tokens|context window/i.test(message)
  ) {
    return 'context_length';
  }
  if (/safety|blocked due to|prohibited content/i.test(message) && error.status === 'INVALID_ARGUMENT')
    return 'content_policy';
  if (error.status === 'FAILED_PRECONDITION' && /billing/i.test(message)) return 'quota_exceeded';
  return error.status ? byStatus[error.status] : undefined;
}

/** Maps the SDK's `ApiError` (status + the body as text), with headers the adapter captured itself. */
export function geminiApiError(
  error: { status: number; message: string },
  context: { provider: string; vendor: string; secrets: readonly string[]; headers: Headers | undefined },
): PatchbayError {
  const body = parseBody(error.message);
  return vendorHttpError({
    provider: context.provider,
    vendor: context.vendor,
    status: error.status,
    headers: context.headers,
    code: geminiErrorCode(body),
    vendorCode: body.error?.details?.find((detail) => detail.reason)?.reason ?? body.error?.status,
    message: body.error?.message,
    retryAfterMs: retryDelayMs(body),
    secrets: context.secrets,
  });
}
