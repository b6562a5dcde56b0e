import type { ErrorCode, PatchbayError } from '@patchbay/core';
import { vendorHttpError } from '../shared/vendor-errors.js';

/** Bedrock Runtime's error types (the `x-amzn-ErrorType` of an answer, or an in-stream exception). */
const codeByType: ReadonlyMap<string, ErrorCode> = new Map(
  Object.entries<ErrorCode>({
    AccessDeniedException: 'auth',
    UnrecognizedClientException: 'auth',
    InvalidSignatureException: 'auth',
    IncompleteSignatureException: 'auth',
    MissingAuthenticationTokenException: 'auth',
    ExpiredTokenException: 'auth',
    ThrottlingException: 'rate_limited',
    ServiceQuotaExceededException: 'quota_exceeded',
    ModelNotReadyException: 'unavailable',
    ModelErrorException: 'unavailable',
    ModelStreamErrorException: 'unavailable',
    InternalServerException: 'unavailable',
    ServiceUnavailableException: 'unavailable',
    ModelTimeoutException: 'timeout',
    ResourceNotFoundException: 'invalid_request',
    ConflictException: 'invalid_request',
    ValidationException: 'invalid_request',
  }),
);

/** What a Bedrock failure says: its type, HTTP status (none inside a stream) and message. */
export interface BedrockErrorAnswer {
  type: string | undefined;
  status: number | undefined;
  message: string | undefined;
}

/**
 * Our code for a Bedrock error. A ValidationException about the input's
 * length is `context_length` (Bedrock has no separate type for it).
 */
export function bedrockErrorCode(answer: BedrockErrorAnswer): ErrorCode | undefined {
  if (answer.type === 'ValidationException' && answer.message) {
    if (/too long|too many (input )?tokens|context (window|length)|exceeds? the maximum/i.test(answer.message)) {
      return 'context_length';
    }
    if (/content (filter|policy)|blocked by|guardrail/i.test(answer.message)) return 'content_policy';
  }
  return answer.type ? codeByType.get(answer.type) : undefined;
}

/** The fields of an AWS SDK service exception this mapping reads. */
export interface AwsServiceErrorLike {
  name: string;
  message: string;
  $metadata?: { httpStatusCode?: number | undefined; requestId?: string | undefined } | undefined;
  $response?: { headers?: Record<string, string> | undefined } | undefined;
}

/**
 * Whether a thrown value is an AWS SDK service exception: an error answer
 * (with `$metadata`), or an exception event inside a stream (without).
 */
export function isAwsServiceError(error: unknown): error is AwsServiceErrorLike {
  return error instanceof Error && typeof (error as { $fault?: unknown }).$fault === 'string';
}

/** Maps an AWS SDK service exception to a PatchbayError. */
export function bedrockServiceError(
  error: AwsServiceErrorLike,
  context: { provider: string; vendor: string; secrets: readonly string[] },
): PatchbayError {
  const status = error.$metadata?.httpStatusCode;
  const headers = error.$response?.headers ? new Headers(error.$response.headers) : undefined;
  return vendorHttpError({
    provider: context.provider,
    vendor: context.vendor,
    status,
    headers,
    code: bedrockErrorCode({ type: error.name, status, message: error.message }),
    vendorCode: error.name,
    message: error.message,
    requestId: error.$metadata?.requestId ?? headers?.get('x-amzn-requestid') ?? undefined,
    secrets: context.secrets,
  });
}
