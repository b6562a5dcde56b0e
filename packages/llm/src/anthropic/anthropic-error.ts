import type { ErrorCode, PatchbayError } from '@patchbay/core';
import { vendorHttpError } from '../shared/vendor-errors.js';

/** The fields of the SDK's `APIError` this mapping reads. */
export interface AnthropicApiErrorLike {
  status: number | undefined;
  headers: Headers | undefined;
  type: string | null;
  apiMessage: string | null;
  errorCode?: string | null | undefined;
  requestID?: string | null | undefined;
}

const byType: Record<string, ErrorCode> = {
  authentication_error: 'auth',
  permission_error: 'auth',
  rate_limit_error: 'rate_limited',
  overloaded_error: 'unavailable',
  api_error: 'unavailable',
  billing_error: 'quota_exceeded',
  request_too_large: 'context_length',
  timeout_error: 'timeout',
  not_found_error: 'invalid_request',
};

/** Our code for an Anthropic error type (the body's `error.type`), refined by its message. */
export function anthropicErrorCode(type: string | null, message: string | null): ErrorCode | undefined {
  if (type === 'invalid_request_error') {
    if (message && /prompt is too long|context (window|length)|too many (input )?tokens/i.test(message)) {
      return 'context_length';
    }
    if (message && /content policy|usage policy|safety/i.test(message)) return 'content_policy';
    return 'invalid_request';
  }
  return type ? byType[type] : undefined;
}

/** Maps the SDK's `APIError`: an error answer, or an `event: error` inside a stream (no status). */
export function anthropicApiError(
  error: AnthropicApiErrorLike,
  context: { provider: string; vendor: string; secrets: readonly string[] },
): PatchbayError {
  return vendorHttpError({
    provider: context.provider,
    vendor: context.vendor,
    status: error.status,
    headers: error.headers,
    code: anthropicErrorCode(error.type, error.apiMessage),
    vendorCode: error.errorCode ?? error.type ?? undefined,
    message: error.apiMessage ?? undefined,
    requestId: error.requestID ?? undefined,
    secrets: context.secrets,
  });
}
