import { fernHttpFailure, httpError, PatchbayError, scrubText, toPatchbayError } from '@patchbay/core/adapter';
import { elevenlabsErrorCode, elevenlabsErrorDetail } from '@patchbay/core/vendors/elevenlabs';
import type { VendorErrorContext } from '../shared/vendor-call.js';

/** ElevenLabs' failures as PatchbayErrors: status + `detail.status` reason, transport failures, aborts. */
export function elevenlabsTranscriptionError(error: unknown, context: VendorErrorContext): PatchbayError {
  const base = { provider: context.provider, vendor: 'elevenlabs', signal: context.signal };
  if (PatchbayError.isInstance(error)) return toPatchbayError(error, base);
  if (context.signal?.aborted) return toPatchbayError(error, base);
  if (context.transportFailure !== undefined) return toPatchbayError(context.transportFailure, base);
  const failure = fernHttpFailure(error);
  if (failure) {
    const { status: statusCode, headers } = failure;
    const detail = elevenlabsErrorDetail(failure.body);
    if (statusCode === 200) {
      return new PatchbayError({
        code: 'unavailable',
        message: 'ElevenLabs returned a malformed response body',
        vendorCode: 'malformed_response',
        status: 200,
        ...base,
      });
    }
    return httpError({
      status: statusCode,
      headers,
      code: elevenlabsErrorCode({ status: statusCode, body: failure.body }),
      message: `ElevenLabs responded with HTTP ${statusCode}${detail.message ? `: ${scrubText(detail.message, context.secrets)}` : ''}`,
      provider: context.provider,
      vendor: 'elevenlabs',
      vendorCode: detail.reason,
      requestId: headers?.get?.('request-id') ?? undefined,
    });
  }
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'ParseError' || error instanceof SyntaxError) {
    // The SDK's schema check or JSON parser rejected a 200 body.
    return new PatchbayError({
      code: 'unavailable',
      message: 'ElevenLabs returned a malformed response body',
      vendorCode: 'malformed_response',
      ...base,
      cause: error,
    });
  }
  if (name === 'ElevenLabsTimeoutError') {
    return new PatchbayError({ code: 'timeout', message: 'ElevenLabs request timed out', ...base, cause: error });
  }
  return toPatchbayError(error, base);
}
