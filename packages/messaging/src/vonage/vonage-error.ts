import type { ErrorCode } from '@patchbay/core';
import { httpError, PatchbayError, parseJson, type VendorHttpResponse } from '@patchbay/core/adapter';

/**
 * The SMS API answers HTTP 200 for most failures and puts a per-message
 * `status` in the body: '0' is success, anything else an error with `error-text`.
 */
const statusMap: Record<string, ErrorCode> = {
  '1': 'rate_limited', // Throttled
  '2': 'invalid_request', // Missing parameters
  '3': 'invalid_request', // Invalid parameters
  '4': 'auth', // Invalid credentials
  '5': 'unavailable', // Internal error
  '6': 'invalid_request', // Invalid message (unroutable number prefix)
  '7': 'invalid_request', // Number barred (recipient blacklisted)
  '8': 'auth', // Partner account barred (suspended)
  '9': 'quota_exceeded', // Partner quota violation (no credit)
  '10': 'rate_limited', // Too many existing binds
  '11': 'auth', // Account not enabled for HTTP
  '12': 'invalid_request', // Message too long
  '14': 'auth', // Invalid signature
  '15': 'invalid_request', // Invalid sender address
  '22': 'invalid_request', // Invalid network code
  '23': 'invalid_request', // Invalid callback URL
  '29': 'invalid_request', // Non-whitelisted destination
  '32': 'auth', // Signature and API secret disallowed
  '33': 'invalid_request', // Number de-activated
};

/** The PatchbayError for one failed message entry of an SMS API answer. */
export function vonageStatusError(
  entry: { status?: string; 'error-text'?: string },
  response: VendorHttpResponse,
  context: { provider: string; vendor: string; outcomeUnknown?: boolean },
): PatchbayError {
  const status = String(entry.status ?? '');
  const details: Record<string, unknown> = {};
  // Status 7: the recipient is barred (opted out or blacklisted), the SMS equivalent of an unsubscribe.
  if (status === '7') details.optedOut = true;
  const text = entry['error-text'] ? `: ${entry['error-text']}` : '';
  return new PatchbayError({
    code: statusMap[status] ?? 'unknown',
    message: `Vonage rejected the message (status ${status})${text}`,
    provider: context.provider,
    vendor: context.vendor,
    status: response.status,
    vendorCode: status,
    outcomeUnknown: context.outcomeUnknown,
    details: Object.keys(details).length ? details : undefined,
  });
}

/** A non-2xx HTTP answer (the account API, or the gateway in front of the SMS API). */
export function vonageHttpError(
  response: VendorHttpResponse,
  context: { provider: string; vendor: string },
): PatchbayError {
  const body = (parseJson(response.text) ?? {}) as { title?: string; detail?: string; 'error-code-label'?: string };
  const text = body.title ? `: ${body.title}${body.detail ? ` (${body.detail})` : ''}` : '';
  return httpError({
    status: response.status,
    headers: response.headers,
    message: `Vonage answered HTTP ${response.status}${text}`,
    provider: context.provider,
    vendor: context.vendor,
  });
}
