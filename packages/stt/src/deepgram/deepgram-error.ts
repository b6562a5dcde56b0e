import { fernHttpFailure, httpError, PatchbayError, scrubText, toPatchbayError } from '@patchbay/core/adapter';
import { deepgramErrorCode } from '@patchbay/core/vendors/deepgram';
import type { VendorErrorContext } from '../shared/vendor-call.js';

interface DeepgramErrorBody {
  err_code?: string;
  err_msg?: string;
  category?: string;
  message?: string;
  request_id?: string;
}

/** Deepgram's failures as PatchbayErrors: HTTP statuses with their `err_code` bodies, transport failures, aborts. */
export function deepgramError(error: unknown, context: VendorErrorContext): PatchbayError {
  const base = { provider: context.provider, vendor: 'deepgram', signal: context.signal };
  if (PatchbayError.isInstance(error)) return toPatchbayError(error, base);
  if (context.signal?.aborted) return toPatchbayError(error, base);
  if (context.transportFailure !== undefined) return toPatchbayError(context.transportFailure, base);
  const failure = fernHttpFailure(error);
  if (failure) {
    const body = (typeof failure.body === 'object' && failure.body !== null ? failure.body : {}) as DeepgramErrorBody;
    const vendorCode = body.err_code ?? body.category;
    const detail = body.err_msg ?? body.message ?? (typeof failure.body === 'string' ? failure.body : undefined);
    const status = failure.status;
    return httpError({
      status,
      headers: failure.headers,
      code: deepgramErrorCode({ status, body: failure.body }),
      message: `Deepgram responded with HTTP ${status}${detail ? `: ${scrubText(detail, context.secrets)}` : ''}`,
      provider: context.provider,
      vendor: 'deepgram',
      vendorCode,
      requestId: body.request_id ?? failure.headers?.get?.('dg-request-id') ?? undefined,
    });
  }
  if (typeof error === 'object' && error !== null && (error as { name?: string }).name === 'DeepgramTimeoutError') {
    return new PatchbayError({ code: 'timeout', message: 'Deepgram request timed out', ...base, cause: error });
  }
  return toPatchbayError(error, base);
}

/**
 * A failed websocket handshake: the SDK reports only ws's message
 * ("Unexpected server response: 401"), so the status is read from it.
 * Retry-After of a refused upgrade is not visible through the SDK.
 */
export function deepgramLiveOpenError(error: unknown, context: VendorErrorContext): PatchbayError {
  const base = { provider: context.provider, vendor: 'deepgram', signal: context.signal };
  if (PatchbayError.isInstance(error)) return toPatchbayError(error, base);
  if (context.signal?.aborted) return toPatchbayError(error, base);
  const message = String((error as { message?: unknown } | undefined)?.message ?? '');
  const status = /Unexpected server response: (\d{3})/.exec(message)?.[1];
  if (status) {
    return httpError({
      status: Number(status),
      code: deepgramErrorCode({ status: Number(status), body: undefined }),
      message: `Deepgram refused the live session with HTTP ${status}`,
      provider: context.provider,
      vendor: 'deepgram',
    });
  }
  if (/timeout|timed out/i.test(message)) {
    return new PatchbayError({ code: 'timeout', message: 'Deepgram live session did not open in time', ...base });
  }
  return new PatchbayError({
    code: 'connection',
    message: `Deepgram live session could not open${message ? ` (${scrubText(message, context.secrets)})` : ''}`,
    ...base,
    cause: error,
  });
}
