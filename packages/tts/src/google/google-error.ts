import type { PatchbayError } from '@patchbay/core';
import { VendorHttpFailure } from '@patchbay/core/adapter';
import { googleCloudErrorCode, googleCloudErrorDetail } from '@patchbay/core/vendors/google';

import { vendorStatusError } from '../shared/vendor-error.js';

/** Maps a Google Cloud HTTP answer; undefined when the error is not one. */
export function googleSpeechError(error: unknown): PatchbayError | undefined {
  if (!(error instanceof VendorHttpFailure)) return undefined;
  const detail = googleCloudErrorDetail(error.body);
  return vendorStatusError({
    status: error.status,
    headers: error.headers,
    vendor: 'google',
    vendorLabel: 'Google Cloud Text-to-Speech',
    code: googleCloudErrorCode(error),
    vendorCode: detail.vendorCode,
    vendorMessage: detail.message,
  });
}
