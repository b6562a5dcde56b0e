import { type ErrorCode, httpError, PatchbayError } from '@patchbay/core';

/** Removes every credential value from a vendor message before it becomes ours. */
export function scrubSecrets(message: string, secrets: readonly string[]): string {
  let scrubbed = message;
  for (const secret of secrets) if (secret.length >= 4) scrubbed = scrubbed.split(secret).join('[redacted]');
  // Vendors echo keys partly masked ("sk-ab***yz"); keep even that out.
  return scrubbed.replace(/\b(sk|sk-ant|AIza)[-_A-Za-z0-9*]{6,}/g, '[redacted]');
}

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
  const message = scrubSecrets(
    `${failure.vendor} responded with HTTP ${failure.status ?? 'error'}${failure.message ? `: ${failure.message}` : ''}`,
    failure.secrets,
  );
  const retryable = shouldRetry === 'true' ? true : shouldRetry === 'false' ? false : undefined;
  if (failure.status === undefined) {
    // An error event inside a stream: no status of its own.
    return new PatchbayError({
      code: failure.code ?? 'unavailable',
      message,
      provider: failure.provider,
      vendor: failure.vendor,
      vendorCode: failure.vendorCode,
      retryAfterMs: failure.retryAfterMs,
      requestId: failure.requestId,
      retryable,
    });
  }
  return httpError({
    status: failure.status,
    headers: failure.headers,
    code: failure.code,
    message,
    provider: failure.provider,
    vendor: failure.vendor,
    vendorCode: failure.vendorCode,
    retryAfterMs: failure.retryAfterMs,
    requestId: failure.requestId,
    retryable,
  });
}

/** A 200 answer whose body could not be read as the vendor's format. */
export function isMalformedBody(error: unknown): boolean {
  return error instanceof SyntaxError;
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
