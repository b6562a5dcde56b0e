import type { PatchbayError } from '@patchbay/core';
import { deepgramErrorCode } from '@patchbay/core/vendors/deepgram';
import { fernFailure, stringField, vendorStatusError } from '../shared/vendor-error.js';

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
    code: deepgramErrorCode({ status: failure.status, body: failure.body }),
    vendorCode,
    vendorMessage: stringField(failure.body, 'err_msg') ?? stringField(failure.body, 'message'),
    requestId: stringField(failure.body, 'request_id') ?? failure.headers?.get('dg-request-id') ?? undefined,
  });
}
