import type { ErrorCode } from '../../errors/error-codes.js';
import { errorCodeForStatus } from '../../errors/http-errors.js';

/**
 * ElevenLabs puts its reason in `detail.status` (`{"detail": {"status":
 * "quota_exceeded", "message": "..."}}`) and answers an exhausted quota with
 * 401 — so the reason, not the status, decides auth versus quota.
 */
const codeByReason: ReadonlyMap<string, ErrorCode> = new Map(
  Object.entries<ErrorCode>({
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
    validation_error: 'invalid_request',
    detected_unusual_activity: 'content_policy',
  }),
);

/** The reason and message of an ElevenLabs error body. */
export interface ElevenLabsErrorDetail {
  reason: string | undefined;
  message: string | undefined;
}

/** Reads `detail` of an ElevenLabs error body: `{ status, message }`, a FastAPI validation list, or a string. */
export function elevenlabsErrorDetail(body: unknown): ElevenLabsErrorDetail {
  const detail = typeof body === 'object' && body !== null ? (body as { detail?: unknown }).detail : undefined;
  if (Array.isArray(detail)) {
    const first = detail[0] as { loc?: unknown[]; msg?: unknown } | undefined;
    const where = Array.isArray(first?.loc) ? first.loc.join('.') : '';
    return {
      reason: 'validation_error',
      message: first ? `${where}: ${typeof first.msg === 'string' ? first.msg : ''}` : undefined,
    };
  }
  if (typeof detail === 'string') return { reason: undefined, message: detail };
  if (typeof detail !== 'object' || detail === null) return { reason: undefined, message: undefined };
  const record = detail as Record<string, unknown>;
  const reason =
    typeof record.status === 'string' ? record.status : typeof record.code === 'string' ? record.code : undefined;
  return { reason, message: typeof record.message === 'string' ? record.message : undefined };
}

/** Our code for an ElevenLabs error answer, the same from speech and transcription: the reason, then the status. */
export function elevenlabsErrorCode(answer: { status: number; body: unknown }): ErrorCode {
  const { reason } = elevenlabsErrorDetail(answer.body);
  const byReason = reason ? codeByReason.get(reason) : undefined;
  if (byReason) return byReason;
  if (answer.status === 413) return 'invalid_request';
  return errorCodeForStatus(answer.status);
}
