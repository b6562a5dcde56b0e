import type { ErrorCode, PatchbayError } from '@patchbay/core';
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

/** What an OpenAI-style error body says, read once for every vendor that answers in that shape. */
export interface ChatErrorAnswer {
  status: number | undefined;
  code: string | undefined;
  type: string | undefined;
  /** The parsed body's `error` object (Azure adds `innererror` there). */
  body: Record<string, unknown>;
}

/** A vendor's reading of an OpenAI-style error: our code and the vendor code to report. */
export type ChatErrorTable = (answer: ChatErrorAnswer) => {
  code: ErrorCode;
  vendorCode: string | undefined;
  requestId?: string | undefined;
};

/** Maps the SDK's `APIError` through a vendor's table (an error answer or an error event inside a stream). */
export function chatApiError(
  error: OpenAIApiErrorLike,
  context: { provider: string; vendor: string; secrets: readonly string[] },
  table: ChatErrorTable,
): PatchbayError {
  const body = (error.error ?? {}) as Record<string, unknown>;
  // Some compatible vendors (OpenRouter) send the status as a numeric `code`.
  const code =
    typeof body.code === 'string'
      ? body.code
      : typeof body.code === 'number'
        ? String(body.code)
        : (error.code ?? undefined);
  const type = typeof body.type === 'string' ? body.type : error.type;
  const message = typeof body.message === 'string' ? body.message : scrubText(error.message, context.secrets);
  const mapped = table({ status: error.status, code, type, body });
  return vendorHttpError({
    provider: context.provider,
    vendor: context.vendor,
    status: error.status,
    headers: error.headers,
    code: mapped.code,
    vendorCode: mapped.vendorCode,
    requestId: mapped.requestId,
    message,
    secrets: context.secrets,
  });
}

/** Maps the SDK's `APIError` with OpenAI's table. */
export function openaiApiError(
  error: OpenAIApiErrorLike,
  context: { provider: string; vendor: string; secrets: readonly string[] },
): PatchbayError {
  return chatApiError(error, context, (answer) => ({
    code: openaiErrorCode(answer),
    vendorCode: answer.code ?? answer.type,
  }));
}
