import { VendorHttpFailure } from '@patchbay/core/adapter';
import type { VendorAudioResponse } from '../audio-stream.js';

// SDK-less speech adapters send with `vendorFetch` (an error status becomes a `VendorHttpFailure`, from
// `@patchbay/core/adapter`); these turn a successful answer into what the skeleton reads.

/** A successful response as the audio the skeleton opens. */
export function audioResponse(response: Response, requestIdHeader?: string): VendorAudioResponse {
  return {
    body: response.body,
    contentType: response.headers.get('content-type'),
    requestId: (requestIdHeader && response.headers.get(requestIdHeader)) || undefined,
  };
}

/** A successful response's JSON; a body that is not JSON is a malformed answer (HTTP 200 failure). */
export async function jsonOf(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new VendorHttpFailure(response.status, response.headers, text);
  }
}
