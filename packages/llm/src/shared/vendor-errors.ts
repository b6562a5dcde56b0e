import type { ErrorCode } from '@patchbay/core';
import { httpError, PatchbayError, scrubText } from '@patchbay/core/adapter';

export interface VendorHttpFailure {
  provider: string;
  vendor: string;
  status: number | undefined;
  headers: Headers | undefined;
  /** Our code when the vendor's body says more than the status does. */
  code?: ErrorCode | undefined;
  vendorCode?: string | undefined;
  message: string | undefined;
  secrets: readonly string[];
  retryAfterMs?: number | undefined;
  requestId?: string | undefined;
}

/**
 * A PatchbayError for a vendor's error answer. `x-should-retry` (sent by OpenAI
 * and Anthropic) is the vendor's own word on retrying and overrides the default.
 */
export function vendorHttpError(failure: VendorHttpFailure): PatchbayError {
  const shouldRetry = failure.headers?.get('x-should-retry');
  const message = scrubText(
    `${failure.vendor} responded with HTTP ${failure.status ?? 'error'}${failure.message ? `: ${failure.message}` : ''}`,
    failure.secrets,
  );
  const retryable = shouldRetry === 'true' ? true : shouldRetry === 'false' ? false : undefined;
  const fields = {
    message,
    provider: failure.provider,
    vendor: failure.vendor,
    vendorCode: failure.vendorCode,
    retryAfterMs: failure.retryAfterMs,
    requestId: failure.requestId,
    retryable,
  };
  // An error event inside a stream has no status of its own.
  if (failure.status === undefined) return new PatchbayError({ ...fields, code: failure.code ?? 'unavailable' });
  return httpError({ ...fields, status: failure.status, headers: failure.headers, code: failure.code });
}

/** A 200 answer whose body could not be read as the vendor's format. */
export function malformedBodyError(target: { provider: string; vendor: string; secrets: readonly string[] }) {
  return vendorHttpError({ ...target, status: undefined, headers: undefined, message: 'malformed response body' });
}

type ErrorClass<E> = abstract new (...args: never) => E;

/** The error classes of the Stainless-generated SDKs (`openai`, `@anthropic-ai/sdk`). */
export interface StainlessErrorClasses<E> {
  APIError: ErrorClass<E>;
  APIConnectionError: ErrorClass<Error>;
  APIConnectionTimeoutError: ErrorClass<Error>;
  APIUserAbortError: ErrorClass<Error>;
}

export interface StainlessErrorContext {
  provider: string;
  vendor: string;
  secrets: readonly string[];
  /** The adapter's normaliser (aborts, timeouts, socket failures), bound to the call's signal. */
  toError: (error: unknown) => PatchbayError;
}

/**
 * Maps a failure of a Stainless-generated SDK: timeouts, aborts and connection
 * failures by their cause, error answers (and error events inside streams) by
 * the vendor's table, and an unreadable 200 body as malformed.
 */
export function stainlessError<E>(
  error: unknown,
  sdk: StainlessErrorClasses<E> | undefined,
  context: StainlessErrorContext,
  apiError: (error: E, target: { provider: string; vendor: string; secrets: readonly string[] }) => PatchbayError,
): PatchbayError {
  const target = { provider: context.provider, vendor: context.vendor, secrets: context.secrets };
  if (sdk) {
    // Checked before APIError: the SDKs' connection errors are subclasses of it.
    if (error instanceof sdk.APIConnectionTimeoutError) return context.toError(error);
    if (error instanceof sdk.APIConnectionError) return context.toError(error.cause ?? error);
    if (error instanceof sdk.APIUserAbortError) return context.toError(error);
    if (error instanceof sdk.APIError) return apiError(error, target);
  }
  if (error instanceof SyntaxError) return malformedBodyError(target);
  return context.toError(error);
}

/** Header names whose values `getConfig()` redacts when they appear in a `headers` setting. */
export const secretHeaderNames = [
  'authorization',
  'Authorization',
  'x-api-key',
  'X-Api-Key',
  'api-key',
  'x-goog-api-key',
  'proxy-authorization',
] as const;
