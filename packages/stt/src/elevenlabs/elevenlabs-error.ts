import { PatchbayError } from '@patchbay/core';
import { httpError, toPatchbayError } from '@patchbay/core/adapter';
import { fernHttpFailure } from '../shared/guarded-fetch.js';
import { scrubMessage } from '../shared/scrub.js';
import type { VendorErrorContext } from '../shared/vendor-call.js';

/** ElevenLabs' `detail.status` reasons that mean something other than their HTTP status says. */
const reasonCodes: Record<string, 'quota_exceeded' | 'rate_limited' | 'unavailable' | 'auth'> = {
  quota_exceeded: 'quota_exceeded',
  payment_required: 'quota_exceeded',
  too_many_concurrent_requests: 'rate_limited',
  invalid_api_key: 'auth',
  needs_authorization: 'auth',
};

function detailOf(body: unknown): { status?: string; message?: string } {
  const detail = (body as { detail?: unknown } | undefined)?.detail;
  if (typeof detail === 'object' && detail !== null && !Array.isArray(detail)) {
    return detail as { status?: string; message?: string };
  }
  if (Array.isArray(detail)) {
    // FastAPI validation errors (422): a list of { loc, msg }.
    const first = detail[0] as { loc?: unknown[]; msg?: string } | undefined;
    return { status: 'validation_error', message: first ? `${(first.loc ?? []).join('.')}: ${first.msg}` : undefined };
  }
  return {};
}

/** ElevenLabs' failures as PatchbayErrors: status + `detail.status` reason, transport failures, aborts. */
export function elevenlabsTranscriptionError(error: unknown, context: VendorErrorContext): PatchbayError {
  const base = { provider: context.provider, vendor: 'elevenlabs', signal: context.signal };
  if (PatchbayError.isInstance(error)) return toPatchbayError(error, base);
  if (context.signal?.aborted) return toPatchbayError(error, base);
  if (context.transportFailure !== undefined) return toPatchbayError(context.transportFailure, base);
  const failure = fernHttpFailure(error);
  if (failure) {
    const { status: statusCode, headers } = failure;
    const detail = detailOf(failure.body);
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
      code: detail.status ? reasonCodes[detail.status] : statusCode === 413 ? 'invalid_request' : undefined,
      message: `ElevenLabs responded with HTTP ${statusCode}${detail.message ? `: ${scrubMessage(detail.message, context.secrets)}` : ''}`,
      provider: context.provider,
      vendor: 'elevenlabs',
      vendorCode: detail.status,
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
