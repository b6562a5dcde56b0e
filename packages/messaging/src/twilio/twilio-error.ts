import type { ErrorCode, PatchbayError } from '@patchbay/core';
import type { VendorHttpResponse } from '@patchbay/core/adapter';
import { httpError, parseJson } from '@patchbay/core/adapter';

/** Twilio's JSON error body: `{ code, message, more_info, status }`. */
interface TwilioErrorBody {
  code?: number;
  message?: string;
  more_info?: string;
  status?: number;
}

/** Twilio error codes whose meaning is more precise than their HTTP status. */
const codeMap: Record<number, ErrorCode> = {
  20003: 'auth', // Authenticate
  20005: 'auth', // Account not active
  20429: 'rate_limited', // Too many requests
  14107: 'rate_limited', // SMS send rate limit exceeded
  20008: 'invalid_request', // Test credentials cannot do this
  21211: 'invalid_request', // Invalid 'To' phone number
  21614: 'invalid_request', // 'To' is not a valid mobile number
  21408: 'invalid_request', // Permission to send to this region is not enabled
  21606: 'invalid_request', // 'From' is not a valid, message-capable number
  21602: 'invalid_request', // Message body is required
  21617: 'invalid_request', // Body exceeds 1600 characters
  21610: 'invalid_request', // Recipient unsubscribed (replied STOP)
  63016: 'invalid_request', // WhatsApp: freeform message outside the 24-hour window
  30007: 'content_policy', // Carrier filtered as spam
};

/** Maps a failed Twilio response to a PatchbayError; never includes credentials. */
export function twilioError(
  response: VendorHttpResponse,
  context: { provider: string; vendor: string },
): PatchbayError {
  const body = (parseJson(response.text) ?? {}) as TwilioErrorBody;
  const code = typeof body.code === 'number' ? body.code : undefined;
  const details: Record<string, unknown> = {};
  if (code === 21610) details.optedOut = true;
  if (code === 63016) details.sessionWindowClosed = true;
  if (body.more_info) details.moreInfo = body.more_info;
  const text = body.message ? `: ${body.message}` : '';
  return httpError({
    status: response.status,
    headers: response.headers,
    code: code === undefined ? undefined : codeMap[code],
    message: `Twilio answered HTTP ${response.status}${code === undefined ? '' : ` (error ${code})`}${text}`,
    provider: context.provider,
    vendor: context.vendor,
    vendorCode: code === undefined ? undefined : String(code),
    requestId: response.headers.get('twilio-request-id') ?? undefined,
    details: Object.keys(details).length ? details : undefined,
  });
}
