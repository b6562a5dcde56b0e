import type { PatchbayError } from '@patchbay/core';
import { scrubText } from '@patchbay/core/adapter';
import { openaiErrorCode } from '@patchbay/core/vendors/openai';
import { vendorHttpError } from './vendor-errors.js';

/** The fields of the SDK's `APIError` this mapping reads. */
export interface OpenAIApiErrorLike {
  status: number | undefined;
  headers: Headers | undefined;
  error: unknown;
  code?: string | null | undefined;
  type?: string | undefined;
  message: string;
}

/** Maps the SDK's `APIError` (an error answer or an error event inside a stream). */
export function openaiApiError(
  error: OpenAIApiErrorLike,
  context: { provider: string; vendor: string; secrets: readonly string[] },
): PatchbayError {
  const body = (error.error ?? {}) as { message?: unknown; code?: unknown; type?: unknown };
  const code = typeof body.code === 'string' ? body.code : (error.code ?? undefined);
  const type = typeof body.type === 'string' ? body.type : error.type;
  const message = typeof body.message === 'string' ? body.message : scrubText(error.message, context.secrets);
  return vendorHttpError({
    provider: context.provider,
    vendor: context.vendor,
    status: error.status,
    headers: error.headers,
    code: openaiErrorCode({ status: error.status, code, type }),
    vendorCode: code ?? type,
    message,
    secrets: context.secrets,
  });
}
