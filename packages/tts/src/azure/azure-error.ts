import type { PatchbayError } from '@patchbay/core';
import { VendorHttpFailure } from '@patchbay/core/adapter';
import { azureSpeechErrorCode, azureSpeechErrorDetail } from '@patchbay/core/vendors/azure';

import { vendorStatusError } from '../shared/vendor-error.js';

/** Maps an Azure Speech HTTP answer; undefined when the error is not one. */
export function azureSpeechError(error: unknown): PatchbayError | undefined {
  if (!(error instanceof VendorHttpFailure)) return undefined;
  const detail = azureSpeechErrorDetail(error.body);
  return vendorStatusError({
    status: error.status,
    headers: error.headers,
    vendor: 'azure',
    vendorLabel: 'Azure Speech',
    code: azureSpeechErrorCode(error),
    vendorCode: detail.vendorCode,
    vendorMessage: detail.message,
    requestId: error.headers.get('x-requestid') ?? error.headers.get('apim-request-id') ?? undefined,
  });
}
