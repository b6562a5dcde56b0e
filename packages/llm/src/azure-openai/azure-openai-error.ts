import type { ErrorCode, PatchbayError } from '@patchbay/core';
import { openaiErrorCode } from '@patchbay/core/vendors/openai';
import { chatApiError, type OpenAIApiErrorLike } from '../shared/chat-completions-error.js';

/** Azure's own `error.code` / `innererror.code` values that say more than the status. */
const azureCodes: ReadonlyMap<string, ErrorCode> = new Map(
  Object.entries<ErrorCode>({
    ResponsibleAIPolicyViolation: 'content_policy',
    content_filter: 'content_policy',
    DeploymentNotFound: 'invalid_request',
    OperationNotSupported: 'invalid_request',
    AuthenticationTypeDisabled: 'auth',
    PermissionDenied: 'auth',
    InvalidAuthenticationToken: 'auth',
  }),
);

/** What an Azure OpenAI error answer says (an error event inside a stream has no status). */
export interface AzureOpenAIErrorAnswer {
  status: number | undefined;
  code?: string | null | undefined;
  innerCode?: string | null | undefined;
  type?: string | null | undefined;
}

/**
 * Our code for an Azure OpenAI error answer: Azure's codes first (its inner
 * content-filter code, then its own), then OpenAI's table, which Azure's
 * bodies otherwise follow (`context_length_exceeded`, statuses). Azure often
 * puts the status itself in `code` (`"429"`), which OpenAI's table reads by status.
 */
export function azureOpenaiErrorCode(answer: AzureOpenAIErrorAnswer): ErrorCode {
  const azure = (answer.innerCode && azureCodes.get(answer.innerCode)) || (answer.code && azureCodes.get(answer.code));
  if (azure) return azure;
  const code = answer.code && /^\d{3}$/.test(answer.code) ? undefined : answer.code;
  return openaiErrorCode({ status: answer.status, code, type: answer.type });
}

/** Maps the `openai` SDK's `APIError` as Azure OpenAI answers it. */
export function azureOpenaiApiError(
  error: OpenAIApiErrorLike,
  context: { provider: string; vendor: string; secrets: readonly string[] },
): PatchbayError {
  return chatApiError(error, context, ({ status, code, type, body }) => {
    const inner = body.innererror as { code?: unknown } | null | undefined;
    const innerCode = typeof inner?.code === 'string' ? inner.code : undefined;
    return {
      code: azureOpenaiErrorCode({ status, code, innerCode, type }),
      vendorCode: innerCode ?? code ?? type,
      requestId: error.headers?.get('apim-request-id') ?? undefined,
    };
  });
}
