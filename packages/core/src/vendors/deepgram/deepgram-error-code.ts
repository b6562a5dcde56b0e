import type { ErrorCode } from '../../errors/error-codes.js';
import { errorCodeForStatus } from '../../errors/http-errors.js';

/** Deepgram's `err_code` values that say more than their HTTP status. */
const codeByVendorCode: ReadonlyMap<string, ErrorCode> = new Map(
  Object.entries<ErrorCode>({
    INVALID_AUTH: 'auth',
    INSUFFICIENT_PERMISSIONS: 'auth',
    ASR_PAYMENT_REQUIRED: 'quota_exceeded',
    PAYMENT_REQUIRED: 'quota_exceeded',
    INSUFFICIENT_CREDITS: 'quota_exceeded',
    TOO_MANY_REQUESTS: 'rate_limited',
    PAYLOAD_TOO_LARGE: 'invalid_request',
  }),
);

/** The fields of a Deepgram error body: `{ err_code, err_msg, request_id }` (older endpoints: `{ category, message }`). */
export interface DeepgramErrorDetail {
  vendorCode: string | undefined;
  message: string | undefined;
  requestId: string | undefined;
}

function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}

/** Reads a Deepgram error body. */
export function deepgramErrorDetail(body: unknown): DeepgramErrorDetail {
  return {
    vendorCode: stringField(body, 'err_code') ?? stringField(body, 'category'),
    message:
      stringField(body, 'err_msg') ?? stringField(body, 'message') ?? (typeof body === 'string' ? body : undefined),
    requestId: stringField(body, 'request_id'),
  };
}

/** Our code for a Deepgram error answer, the same from speech and transcription: `err_code`, then the status. */
export function deepgramErrorCode(answer: { status: number; body: unknown }): ErrorCode {
  const { vendorCode } = deepgramErrorDetail(answer.body);
  const byCode = vendorCode ? codeByVendorCode.get(vendorCode) : undefined;
  if (byCode) return byCode;
  // Deepgram names new payment conditions freely (…_PAYMENT_…, …_BALANCE_…): all mean the account cannot pay.
  if (vendorCode && /PAYMENT|CREDIT|BALANCE|QUOTA/i.test(vendorCode)) return 'quota_exceeded';
  if (answer.status === 413) return 'invalid_request';
  return errorCodeForStatus(answer.status);
}
