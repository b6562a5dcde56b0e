import type { ErrorCode, PatchbayError } from '@patchbay/core';
import { fernFailure, stringField, vendorStatusError } from '../vendor-error.js';

/** Deepgram's `err_code` values that mean something other than their HTTP status. */
const codeByVendorCode: Record<string, ErrorCode> = {
  INVALID_AUTH: 'auth',
  INSUFFICIENT_PERMISSIONS: 'auth',
  ASR_PAYMENT_REQUIRED: 'quota_exceeded',
  PAYMENT_REQUIRED: 'quota_exceeded',
  INSUFFICIENT_CREDITS: 'quota_exceeded',
  TOO_MANY_REQUESTS: 'rate_limited',
  PAYLOAD_TOO_LARGE: 'invalid_request',
};

/** Maps an error thrown by `@deepgram/sdk`; undefined when it is not a vendor response. */
export function deepgramSpeechError(error: unknown): PatchbayError | undefined {
  const failure = fernFailure(error);
  if (!failure || failure.status === undefined) return undefined;
  // Deepgram answers `{ err_code, err_msg, request_id }` (older endpoints: `{ category, message, details }`).
  const vendorCode = stringField(failure.body, 'err_code') ?? stringField(failure.body, 'category');
  return vendorStatusError({
    status: failure.status,
    headers: failure.headers,
    vendor: 'deepgram',
    vendorLabel: 'Deepgram',
    code: vendorCode ? codeByVendorCode[vendorCode] : undefined,
    vendorCode,
    vendorMessage: stringField(failure.body, 'err_msg') ?? stringField(failure.body, 'message'),
    requestId: stringField(failure.body, 'request_id') ?? failure.headers?.get('dg-request-id') ?? undefined,
  });
}
