import type { PatchbayError } from '@patchbay/core';
import { VendorHttpFailure } from '@patchbay/core/adapter';
import { cartesiaErrorCode, cartesiaErrorDetail } from '@patchbay/core/vendors/cartesia';

import { vendorStatusError } from '../shared/vendor-error.js';
import { CartesiaStreamError } from './cartesia-websocket.js';

/** Maps a Cartesia HTTP answer or websocket error event; undefined when it is neither. */
export function cartesiaSpeechError(error: unknown): PatchbayError | undefined {
  let answer: { status: number; headers: Headers | undefined; body: unknown };
  if (error instanceof VendorHttpFailure) answer = error;
  else if (error instanceof CartesiaStreamError)
    answer = { status: error.status, headers: undefined, body: error.body };
  else return undefined;
  const detail = cartesiaErrorDetail(answer.body);
  return vendorStatusError({
    status: answer.status,
    headers: answer.headers,
    vendor: 'cartesia',
    vendorLabel: 'Cartesia',
    code: cartesiaErrorCode(answer),
    vendorCode: detail.vendorCode,
    vendorMessage: detail.message,
    requestId: detail.requestId,
  });
}
