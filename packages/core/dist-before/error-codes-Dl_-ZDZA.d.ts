/** The closed set of failure codes every adapter maps its vendor's errors to. */
declare const errorCodes: readonly ["auth", "rate_limited", "quota_exceeded", "timeout", "connection", "unavailable", "invalid_request", "not_configured", "content_policy", "context_length", "stream_cut", "aborted", "limit_exceeded", "unknown"];
type ErrorCode = (typeof errorCodes)[number];
/**
 * Whether a failure of this code is worth trying again. Decided here and nowhere
 * else; an adapter may override it per error only with evidence from the vendor
 * (for example an explicit `x-should-retry` header).
 */
declare const retryableByDefault: Readonly<Record<ErrorCode, boolean>>;
/**
 * Codes that say something about the provider's health. Only these count against
 * its circuit breaker: a caller's bad request must not take a healthy vendor out.
 */
declare const healthCodes: ReadonlySet<ErrorCode>;

export { type ErrorCode as E, errorCodes as e, healthCodes as h, retryableByDefault as r };
