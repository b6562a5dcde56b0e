import { httpError, PatchbayError, scrubText, toPatchbayError } from '@patchbay/core/adapter';
import { openaiErrorCode } from '@patchbay/core/vendors/openai';
import type { VendorErrorContext } from '../shared/vendor-call.js';

interface OpenAIApiErrorLike {
  status: number;
  headers?: Headers;
  code?: string | null;
  type?: string;
  message: string;
  requestID?: string | null;
  error?: { message?: string } | undefined;
}

function isApiError(error: unknown): error is OpenAIApiErrorLike {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';
}

/** OpenAI's failures as PatchbayErrors: statuses refined by the error `code`, then aborts and sockets. */
export function openaiTranscriptionError(error: unknown, context: VendorErrorContext): PatchbayError {
  const base = { provider: context.provider, vendor: 'openai', signal: context.signal };
  if (PatchbayError.isInstance(error)) return toPatchbayError(error, base);
  if (context.signal?.aborted) return toPatchbayError(error, base);
  if (isApiError(error)) {
    const vendorCode = error.code ?? error.type ?? undefined;
    const detail = error.error?.message ?? error.message;
    const status = error.status;
    const code = openaiErrorCode({ status, code: error.code, type: error.type });
    return httpError({
      status,
      headers: error.headers,
      code,
      message: `OpenAI responded with HTTP ${status}: ${scrubText(detail, context.secrets)}`,
      provider: context.provider,
      vendor: 'openai',
      vendorCode,
      requestId: error.requestID ?? undefined,
    });
  }
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'APIConnectionTimeoutError') {
    return new PatchbayError({ code: 'timeout', message: 'OpenAI request timed out', ...base, cause: error });
  }
  if (name === 'APIUserAbortError') {
    return new PatchbayError({ code: 'aborted', message: 'Aborted', ...base, cause: error });
  }
  if (name === 'APIConnectionError') {
    return new PatchbayError({ code: 'connection', message: 'Could not reach OpenAI', ...base, cause: error });
  }
  if (error instanceof SyntaxError) {
    return new PatchbayError({
      code: 'unavailable',
      message: 'OpenAI returned a malformed response body',
      vendorCode: 'malformed_response',
      ...base,
      cause: error,
    });
  }
  return toPatchbayError(error, base);
}
