import { PatchbayError } from '@patchbay/core/adapter';
import { openaiErrorCode } from '@patchbay/core/vendors/openai';
import { stringField, vendorStatusError } from '../shared/vendor-error.js';

/** Maps an error thrown by the `openai` SDK; undefined when it is not one of its API errors. */
export function openAISpeechError(error: unknown): PatchbayError | undefined {
  if (!(error instanceof Error)) return undefined;
  const status = (error as { status?: unknown }).status;
  if (typeof status !== 'number') {
    if (error.name === 'APIConnectionTimeoutError') {
      return new PatchbayError({
        code: 'timeout',
        message: 'OpenAI request timed out',
        vendor: 'openai',
        cause: error,
      });
    }
    if (error.name === 'APIConnectionError') {
      return new PatchbayError({
        code: 'connection',
        message: 'Could not reach OpenAI',
        vendor: 'openai',
        cause: error,
      });
    }
    if (error instanceof SyntaxError) {
      return new PatchbayError({
        code: 'unavailable',
        message: 'OpenAI sent a malformed response',
        vendor: 'openai',
        vendorCode: 'malformed_response',
      });
    }
    return undefined;
  }
  const body = (error as { error?: unknown }).error;
  const vendorCode = stringField(body, 'code') ?? stringField(body, 'type');
  const headers = (error as { headers?: unknown }).headers;
  return vendorStatusError({
    status,
    headers: headers instanceof Headers ? headers : undefined,
    vendor: 'openai',
    vendorLabel: 'OpenAI',
    code: openaiErrorCode({ status, code: stringField(body, 'code'), type: stringField(body, 'type') }),
    vendorCode,
    vendorMessage: stringField(body, 'message'),
    requestId: (error as { requestID?: string | null }).requestID ?? undefined,
  });
}
