import type { ErrorCode } from '../../errors/error-codes.js';
import { errorCodeForStatus } from '../../errors/http-errors.js';

/** OpenAI's `error.code` / `error.type` values that say more than their HTTP status. */
const codeByVendorCode: ReadonlyMap<string, ErrorCode> = new Map(
  Object.entries<ErrorCode>({
    insufficient_quota: 'quota_exceeded',
    billing_hard_limit_reached: 'quota_exceeded',
    context_length_exceeded: 'context_length',
    string_above_max_length: 'context_length',
    content_policy_violation: 'content_policy',
    content_filter: 'content_policy',
    moderation_blocked: 'content_policy',
    invalid_api_key: 'auth',
    authentication_error: 'auth',
    rate_limit_exceeded: 'rate_limited',
    model_not_found: 'invalid_request',
  }),
);

/** What an OpenAI error answer (or an error event inside a stream) says. */
export interface OpenAIErrorAnswer {
  /** Undefined for an error event inside a stream. */
  status: number | undefined;
  code?: string | null | undefined;
  type?: string | null | undefined;
}

/**
 * Our code for an OpenAI error answer, the same in every kind (language
 * models, speech, transcription): the body's `code`, then its `type`, then
 * the status. A 413 is the request body (an upload) being too large — a bad
 * request, not a context-length problem (OpenAI reports that as
 * `context_length_exceeded`). An error event inside a stream has no status:
 * its type is all there is.
 */
export function openaiErrorCode(answer: OpenAIErrorAnswer): ErrorCode {
  const byCode =
    (answer.code && codeByVendorCode.get(answer.code)) || (answer.type && codeByVendorCode.get(answer.type));
  if (byCode) return byCode;
  if (answer.status === undefined) return answer.type === 'invalid_request_error' ? 'invalid_request' : 'unavailable';
  if (answer.status === 413) return 'invalid_request';
  return errorCodeForStatus(answer.status);
}
