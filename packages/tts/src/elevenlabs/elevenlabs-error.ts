import type { PatchbayError } from '@patchbay/core';
import { elevenlabsErrorCode, elevenlabsErrorDetail } from '@patchbay/core/vendors/elevenlabs';
import { fernFailure, vendorStatusError } from '../shared/vendor-error.js';

/** Maps an error thrown by `@elevenlabs/elevenlabs-js`; undefined when it is not a vendor response. */
export function elevenLabsError(error: unknown): PatchbayError | undefined {
  const failure = fernFailure(error);
  if (!failure || failure.status === undefined) return undefined;
  const { reason, message } = elevenlabsErrorDetail(failure.body);
  return vendorStatusError({
    status: failure.status,
    headers: failure.headers,
    vendor: 'elevenlabs',
    vendorLabel: 'ElevenLabs',
    code: elevenlabsErrorCode({ status: failure.status, body: failure.body }),
    vendorCode: reason,
    vendorMessage: message,
    requestId: failure.headers?.get('request-id') ?? failure.headers?.get('x-request-id') ?? undefined,
  });
}
