import type { ErrorCode, PatchbayError } from '@patchbay/core';
import { httpError, parseJson, type VendorHttpResponse } from '@patchbay/core/adapter';

/** The Graph API error body: `{ error: { message, type, code, error_subcode, error_data, fbtrace_id } }`. */
interface MetaErrorBody {
  error?: {
    message?: string;
    type?: string;
    code?: number;
    error_subcode?: number;
    error_data?: { messaging_product?: string; details?: string };
    fbtrace_id?: string;
  };
}

/**
 * Cloud API codes, which Meta asks integrations to branch on (HTTP statuses are
 * coarse: most failures are a 400).
 */
const codeMap: Record<number, ErrorCode> = {
  0: 'auth', // AuthException
  3: 'auth', // Capability or permissions issue
  10: 'auth', // Permission denied
  190: 'auth', // Access token expired or invalid
  131031: 'auth', // Business account locked
  133010: 'auth', // Business number not registered with Cloud API
  4: 'rate_limited', // Application request limit
  80007: 'rate_limited', // WABA rate limit
  130429: 'rate_limited', // Cloud API throughput reached
  131048: 'rate_limited', // Spam rate limit
  131056: 'rate_limited', // Too many messages to this recipient (pair rate limit)
  131042: 'quota_exceeded', // Payment issue on the business account
  368: 'content_policy', // Temporarily blocked for policy violations
  130497: 'content_policy', // Business restricted from messaging this country
  131049: 'content_policy', // Meta chose not to deliver (ecosystem protection)
  1: 'unavailable', // API unknown
  2: 'unavailable', // API service (temporary downtime)
  131000: 'unavailable', // Something went wrong
  131016: 'unavailable', // Service unavailable
  100: 'invalid_request', // Invalid parameter
  131008: 'invalid_request', // Required parameter missing
  131009: 'invalid_request', // Parameter value invalid
  131026: 'invalid_request', // Message undeliverable (not on WhatsApp, old app…)
  131047: 'invalid_request', // Re-engagement: more than 24 h since the customer last wrote
  131050: 'invalid_request', // Recipient stopped marketing messages
  131051: 'invalid_request', // Unsupported message type
  131052: 'invalid_request', // Media download error
  131053: 'invalid_request', // Media upload error
  132000: 'invalid_request', // Template parameter count mismatch
  132001: 'invalid_request', // Template does not exist
  132005: 'invalid_request', // Template hydrated text too long
  132007: 'content_policy', // Template format character policy violated
  132012: 'invalid_request', // Template parameter format mismatch
  132015: 'invalid_request', // Template paused
  132016: 'invalid_request', // Template disabled
};

/** Maps a failed Graph API response to a PatchbayError; never includes the access token. */
export function metaError(response: VendorHttpResponse, context: { provider: string; vendor: string }): PatchbayError {
  const body = (parseJson(response.text) ?? {}) as MetaErrorBody;
  const error = body.error ?? {};
  const code = typeof error.code === 'number' ? error.code : undefined;
  const details: Record<string, unknown> = {};
  if (code === 131047) details.sessionWindowClosed = true;
  if (code === 131050) details.optedOut = true;
  if (code === 131026) details.undeliverable = true;
  if (error.error_subcode !== undefined) details.subcode = error.error_subcode;
  if (error.type) details.type = error.type;
  if (error.error_data?.details) details.vendorDetails = error.error_data.details;
  const text = error.message ? `: ${error.message}` : '';
  return httpError({
    status: response.status,
    headers: response.headers,
    code: code === undefined ? undefined : codeMap[code],
    message: `WhatsApp Cloud API answered HTTP ${response.status}${code === undefined ? '' : ` (code ${code})`}${text}`,
    provider: context.provider,
    vendor: context.vendor,
    vendorCode: code === undefined ? undefined : String(code),
    requestId: error.fbtrace_id ?? response.headers.get('x-fb-trace-id') ?? undefined,
    details: Object.keys(details).length ? details : undefined,
  });
}
