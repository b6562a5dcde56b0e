import type { ErrorCode, PatchbayError } from '@patchbay/core';
import { scrubSecrets, vendorHttpError } from '../shared/vendor-errors.js';

/** The fields of the SDK's `APIError` this mapping reads. */
export interface OpenAIApiErrorLike {
  status: number | undefined;
  headers: Headers | undefined;
  error: unknown;
  code?: string | null | undefined;
  type?: string | undefined;
  message: string;
}

const contentPolicyCodes = new Set(['content_policy_violation', 'content_filter', 'moderation_blocked']);

/** Our code for an OpenAI error body, refining what the status says. */
export function openaiErrorCode(
  status: number | undefined,
  code: string | undefined,
  type: string | undefined,
): ErrorCode | undefined {
  if (code === 'insufficient_quota' || type === 'insufficient_quota') return 'quota_exceeded';
  if (code === 'context_length_exceeded' || code === 'string_above_max_length') return 'context_length';
  if ((code && contentPolicyCodes.has(code)) || (type && contentPolicyCodes.has(type))) return 'content_policy';
  if (code === 'invalid_api_key' || type === 'authentication_error') return 'auth';
  if (code === 'rate_limit_exceeded') return 'rate_limited';
  // An error event inside a stream has no status: its type is all there is.
  if (status === undefined) return type === 'invalid_request_error' ? 'invalid_request' : 'unavailable';
  return undefined;
}

/** Maps the SDK's `APIError` (an error answer or an error event inside a stream). */
export function openaiApiError(
  error: OpenAIApiErrorLike,
  context: { provider: string; vendor: string; secrets: readonly string[] },
): PatchbayError {
  const body = (error.error ?? {}) as { message?: unknown; code?: unknown; type?: unknown };
  const code = typeof body.code === 'string' ? body.code : (error.code ?? undefined);
  const type = typeof body.type === 'string' ? body.type : error.type;
  const message = typeof body.message === 'string' ? body.message : scrubSecrets(error.message, context.secrets);
  return vendorHttpError({
    provider: context.provider,
    vendor: context.vendor,
    status: error.status,
    headers: error.headers,
    code: openaiErrorCode(error.status, code, type),
    vendorCode: code ?? type,
    message,
    secrets: context.secrets,
  });
}
