/** The closed set of failure codes every adapter maps its vendor's errors to. */
export const errorCodes = [
  'auth',
  'rate_limited',
  'quota_exceeded',
  'timeout',
  'connection',
  'unavailable',
  'invalid_request',
  'not_configured',
  'content_policy',
  'context_length',
  'stream_cut',
  'aborted',
  'limit_exceeded',
  'unknown',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/**
 * Whether a failure of this code is worth trying again. Decided here and nowhere
 * else; an adapter may override it per error only with evidence from the vendor
 * (for example an explicit `x-should-retry` header).
 */
export const retryableByDefault: Readonly<Record<ErrorCode, boolean>> = {
  auth: false,
  rate_limited: true,
  quota_exceeded: false,
  timeout: true,
  connection: true,
  unavailable: true,
  invalid_request: false,
  not_configured: false,
  content_policy: false,
  context_length: false,
  stream_cut: true,
  aborted: false,
  // One of our own budgets or rate limits refused the call before any vendor was called: waiting is the
  // only cure (its error says when the window resets), so the router fails over instead of retrying.
  limit_exceeded: false,
  unknown: false,
};

/**
 * Codes that say something about the provider's health. Only these count against
 * its circuit breaker: a caller's bad request must not take a healthy vendor out.
 */
export const healthCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'timeout',
  'connection',
  'unavailable',
  'rate_limited',
  'stream_cut',
  'unknown',
]);
