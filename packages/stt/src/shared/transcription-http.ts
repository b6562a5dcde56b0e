import type { ErrorCode } from '@patchbay/core';
import {
  httpError,
  PatchbayError,
  parseBody,
  scrubText,
  toPatchbayError,
  VendorHttpFailure,
  vendorFetch,
} from '@patchbay/core/adapter';
import type { VendorErrorContext } from './vendor-call.js';

/**
 * Sends one request and returns its JSON. An error status becomes a
 * `VendorHttpFailure` with the (bounded) body; a success whose body is
 * not JSON too (status 200: a malformed answer). Transport failures and aborts
 * propagate as fetch raised them.
 */
export async function fetchJson(
  fetchFunction: typeof globalThis.fetch,
  url: string,
  init: RequestInit,
): Promise<unknown> {
  const response = await vendorFetch(fetchFunction, url, init);
  const body = parseBody(await response.text());
  if (typeof body !== 'object' || body === null) throw new VendorHttpFailure(response.status, response.headers, body);
  return body;
}

/**
 * Maps a failure of an SDK-less transcriber: the vendor's answer through its
 * table (`code`, `vendorCode`, `message` read from the body), a malformed success
 * as `unavailable`, anything else (aborts, sockets) through core's normaliser.
 */
export function transcriptionHttpError(
  error: unknown,
  context: VendorErrorContext,
  vendor: {
    id: string;
    label: string;
    read(answer: { status: number; body: unknown }): {
      code: ErrorCode;
      vendorCode: string | undefined;
      message: string | undefined;
      requestId?: string | undefined;
    };
  },
): PatchbayError {
  const base = { provider: context.provider, vendor: vendor.id, signal: context.signal };
  if (PatchbayError.isInstance(error) || context.signal?.aborted || !(error instanceof VendorHttpFailure)) {
    return toPatchbayError(error, base);
  }
  if (error.status < 400) {
    return new PatchbayError({
      code: 'unavailable',
      message: `${vendor.label} returned a malformed response body`,
      vendorCode: 'malformed_response',
      status: error.status,
      provider: context.provider,
      vendor: vendor.id,
    });
  }
  const detail = vendor.read(error);
  // An auth failure's message may echo what was sent; other messages are scrubbed of the call's secrets.
  const message =
    detail.message && detail.code !== 'auth'
      ? `: ${scrubText(detail.message, context.secrets ?? []).slice(0, 300)}`
      : '';
  return httpError({
    status: error.status,
    headers: error.headers,
    code: detail.code,
    message: `${vendor.label} responded with HTTP ${error.status}${detail.vendorCode ? ` (${detail.vendorCode})` : ''}${message}`,
    provider: context.provider,
    vendor: vendor.id,
    vendorCode: detail.vendorCode,
    requestId: detail.requestId,
  });
}
