import type { PatchbayError } from '@patchbay/core';
import { fernHttpFailure } from '@patchbay/core/adapter';
import { deepgramErrorCode } from '@patchbay/core/vendors/deepgram';
import { stringField, vendorStatusError } from '../shared/vendor-error.js';

/** Maps an error thrown by `@deepgram/sdk`; undefined when it is not a vendor response. */
export function deepgramSpeechError(error: unknown): PatchbayError | undefined {
  // A transport failure (a synthetic answer of core's `fernFetch`) is no vendor response: the skeleton maps it.
  const failure = fernHttpFailure(error);
  if (!failure) return undefined;
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
