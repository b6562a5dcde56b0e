import type { ErrorCode } from '../../errors/error-codes.js';
import { errorCodeForStatus } from '../../errors/http-errors.js';

/** google.rpc status names. */
const codeByStatus: ReadonlyMap<string, ErrorCode> = new Map(
  Object.entries<ErrorCode>({
    INVALID_ARGUMENT: 'invalid_request',
    FAILED_PRECONDITION: 'invalid_request',
    OUT_OF_RANGE: 'invalid_request',
    NOT_FOUND: 'invalid_request',
    UNAUTHENTICATED: 'auth',
    PERMISSION_DENIED: 'auth',
    RESOURCE_EXHAUSTED: 'rate_limited',
    UNAVAILABLE: 'unavailable',
    INTERNAL: 'unavailable',
    ABORTED: 'unavailable',
    DEADLINE_EXCEEDED: 'timeout',
  }),
);

/** google.rpc.ErrorInfo reasons that say more than the status. */
const codeByReason: ReadonlyMap<string, ErrorCode> = new Map(
  Object.entries<ErrorCode>({
    API_KEY_INVALID: 'auth',
    API_KEY_EXPIRED: 'auth',
    ACCESS_TOKEN_EXPIRED: 'auth',
    CREDENTIALS_MISSING: 'auth',
    SERVICE_DISABLED: 'auth',
    BILLING_DISABLED: 'quota_exceeded',
    RATE_LIMIT_EXCEEDED: 'rate_limited',
  }),
);

/** OAuth token endpoint errors (`{ error, error_description }`). */
const codeByOAuthError: ReadonlyMap<string, ErrorCode> = new Map(
  Object.entries<ErrorCode>({
    invalid_grant: 'auth',
    invalid_client: 'auth',
    unauthorized_client: 'auth',
    invalid_request: 'invalid_request',
  }),
);

/**
 * The fields of a Google API error: `{ error: { code, message, status, details: [{ reason }] } }`,
 * or the OAuth token endpoint's `{ error, error_description }`.
 */
export interface GoogleCloudErrorDetail {
  /** The ErrorInfo reason when there is one (`API_KEY_INVALID`), else the status name (`INVALID_ARGUMENT`). */
  vendorCode: string | undefined;
  status: string | undefined;
  reason: string | undefined;
  message: string | undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function googleCloudErrorDetail(body: unknown): GoogleCloudErrorDetail {
  const error = field(body, 'error');
  if (typeof error === 'string') {
    return { vendorCode: error, status: undefined, reason: error, message: text(field(body, 'error_description')) };
  }
  const details = field(error, 'details');
  const reason = Array.isArray(details)
    ? details.map((detail) => text(field(detail, 'reason'))).find((value) => value !== undefined)
    : undefined;
  const status = text(field(error, 'status'));
  return { vendorCode: reason ?? status, status, reason, message: text(field(error, 'message')) };
}

/** Our code for a Google Cloud error answer, the same from speech synthesis, recognition and the token endpoint. */
export function googleCloudErrorCode(answer: { status: number; body: unknown }): ErrorCode {
  const detail = googleCloudErrorDetail(answer.body);
  const byReason =
    detail.reason &&
    (codeByReason.get(detail.reason) ?? (detail.status ? undefined : codeByOAuthError.get(detail.reason)));
  if (byReason) return byReason;
  // A spent daily quota does not come back in seconds, unlike a per-minute one.
  if (detail.status === 'RESOURCE_EXHAUSTED' && detail.message && /per day|daily/i.test(detail.message)) {
    return 'quota_exceeded';
  }
  const byStatus = detail.status ? codeByStatus.get(detail.status) : undefined;
  return byStatus ?? errorCodeForStatus(answer.status);
}
