import type { ErrorCode } from '../../errors/error-codes.js';
import { errorCodeForStatus } from '../../errors/http-errors.js';

/** Cartesia `error_code` values that say more than their HTTP status. */
const codeByVendorCode: ReadonlyMap<string, ErrorCode> = new Map(
  Object.entries<ErrorCode>({
    concurrency_limited: 'rate_limited',
    rate_limited: 'rate_limited',
    insufficient_credits: 'quota_exceeded',
    quota_exceeded: 'quota_exceeded',
    payment_required: 'quota_exceeded',
    invalid_api_key: 'auth',
    unauthorized: 'auth',
    forbidden: 'auth',
    model_not_found: 'invalid_request',
    voice_not_found: 'invalid_request',
  }),
);

/**
 * The fields of a Cartesia error: from `Cartesia-Version: 2026-03-01` a JSON
 * object `{ error_code, title, message, request_id }` (websocket error events add
 * `status_code`); older versions answer plain text `Title: Message` or `{ error }`.
 */
export interface CartesiaErrorDetail {
  vendorCode: string | undefined;
  message: string | undefined;
  requestId: string | undefined;
}

function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}

/** Reads a Cartesia error body (parsed JSON, or the raw text). */
export function cartesiaErrorDetail(body: unknown): CartesiaErrorDetail {
  const title = stringField(body, 'title');
  const message = stringField(body, 'message') ?? stringField(body, 'error');
  return {
    vendorCode: stringField(body, 'error_code'),
    message: typeof body === 'string' ? body : title && message ? `${title}: ${message}` : (message ?? title),
    requestId: stringField(body, 'request_id'),
  };
}

/** Our code for a Cartesia error answer (REST status or websocket `status_code`): `error_code`, then the status. */
export function cartesiaErrorCode(answer: { status: number; body: unknown }): ErrorCode {
  const { vendorCode } = cartesiaErrorDetail(answer.body);
  const byCode = vendorCode ? codeByVendorCode.get(vendorCode) : undefined;
  if (byCode) return byCode;
  if (vendorCode && /credit|quota|balance|payment/i.test(vendorCode)) return 'quota_exceeded';
  // A transcript over the model's limit is the caller's request, not a context window.
  if (answer.status === 413) return 'invalid_request';
  return errorCodeForStatus(answer.status);
}
