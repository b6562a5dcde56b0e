import type { PatchbayError } from '@patchbay/core';
import { fernHttpFailure } from '@patchbay/core/adapter';
import { elevenlabsErrorCode, elevenlabsErrorDetail } from '@patchbay/core/vendors/elevenlabs';
import { vendorStatusError } from '../shared/vendor-error.js';

/** Maps an error thrown by `@elevenlabs/elevenlabs-js`; undefined when it is not a vendor response. */
export function elevenLabsError(error: unknown): PatchbayError | undefined {
  // A transport failure (a synthetic answer of core's `fernFetch`) is no vendor response: the skeleton maps it.
  const failure = fernHttpFailure(error);
  if (!failure) return undefined;
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
