import type { ErrorCode, PatchbayError } from '@patchbay/core';
import { fernFailure, stringField, vendorStatusError } from '../vendor-error.js';

/**
 * ElevenLabs puts its reason in `detail.status` (`{"detail": {"status":
 * "quota_exceeded", "message": "..."}}`), and answers an exhausted quota with
 * 401 — so the reason, not the status, decides auth versus quota.
 */
const codeByReason: Record<string, ErrorCode> = {
  quota_exceeded: 'quota_exceeded',
  insufficient_credits: 'quota_exceeded',
  payment_required: 'quota_exceeded',
  invalid_api_key: 'auth',
  missing_api_key: 'auth',
  needs_authorization: 'auth',
  missing_permissions: 'auth',
  too_many_concurrent_requests: 'rate_limited',
  system_busy: 'rate_limited',
  rate_limit_exceeded: 'rate_limited',
  voice_not_found: 'invalid_request',
  model_not_found: 'invalid_request',
  max_character_limit_exceeded: 'invalid_request',
  invalid_output_format: 'invalid_request',
  detected_unusual_activity: 'content_policy',
};

function reasonOf(body: unknown): { reason: string | undefined; message: string | undefined } {
  const detail = typeof body === 'object' && body !== null ? (body as { detail?: unknown }).detail : undefined;
  if (Array.isArray(detail)) {
    // FastAPI validation errors: [{ loc: [...], msg, type }]
    const first = detail[0] as { loc?: unknown[]; msg?: string } | undefined;
    return {
      reason: 'validation_error',
      message: first ? `${(first.loc ?? []).join('.')}: ${first.msg ?? ''}` : undefined,
    };
  }
  if (typeof detail === 'string') return { reason: undefined, message: detail };
  return {
    reason: stringField(detail, 'status') ?? stringField(detail, 'code'),
    message: stringField(detail, 'message'),
  };
}

/** Maps an error thrown by `@elevenlabs/elevenlabs-js`; undefined when it is not a vendor response. */
export function elevenLabsError(error: unknown): PatchbayError | undefined {
  const failure = fernFailure(error);
  if (!failure || failure.status === undefined) return undefined;
  const { reason, message } = reasonOf(failure.body);
  return vendorStatusError({
    status: failure.status,
    headers: failure.headers,
    vendor: 'elevenlabs',
    vendorLabel: 'ElevenLabs',
    code: reason ? codeByReason[reason] : undefined,
    vendorCode: reason,
    vendorMessage: message,
    requestId: failure.headers?.get('request-id') ?? failure.headers?.get('x-request-id') ?? undefined,
  });
}
