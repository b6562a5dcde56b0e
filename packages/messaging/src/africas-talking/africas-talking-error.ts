import type { ErrorCode } from '@patchbay/core';
import type { VendorHttpResponse } from '@patchbay/core/adapter';
import { httpError, PatchbayError } from '@patchbay/core/adapter';

/** Per-recipient status codes of the SMS API; 100, 101 and 102 are successes. */
const statusCodeMap: Record<number, ErrorCode> = {
  401: 'content_policy', // RiskHold: held for review as risky
  402: 'invalid_request', // InvalidSenderId
  403: 'invalid_request', // InvalidPhoneNumber
  404: 'invalid_request', // UnsupportedNumberType
  405: 'quota_exceeded', // InsufficientBalance
  406: 'invalid_request', // UserInBlacklist (opted out)
  407: 'unavailable', // CouldNotRoute: another vendor may reach the number
  409: 'invalid_request', // DoNotDisturbRejection
  500: 'unavailable', // InternalServerError
  501: 'unavailable', // GatewayError
  502: 'unavailable', // RejectedByGateway
};

/** The PatchbayError for a recipient entry that did not succeed. */
export function africasTalkingRecipientError(
  recipient: { statusCode?: number; status?: string },
  response: VendorHttpResponse,
  context: { provider: string; vendor: string },
): PatchbayError {
  const statusCode = typeof recipient.statusCode === 'number' ? recipient.statusCode : undefined;
  const details: Record<string, unknown> = {};
  if (statusCode === 406 || statusCode === 409) details.optedOut = true;
  if (recipient.status) details.vendorStatus = recipient.status;
  return new PatchbayError({
    code: (statusCode !== undefined && statusCodeMap[statusCode]) || 'unknown',
    message: `Africa's Talking did not send the message (${statusCode ?? '?'} ${recipient.status ?? 'unknown status'})`,
    provider: context.provider,
    vendor: context.vendor,
    status: response.status,
    vendorCode: statusCode === undefined ? recipient.status : String(statusCode),
    details: Object.keys(details).length ? details : undefined,
  });
}

/** A failed HTTP answer: the API answers errors in plain text (e.g. 401 "The supplied authentication is invalid"). */
export function africasTalkingHttpError(
  response: VendorHttpResponse,
  context: { provider: string; vendor: string },
): PatchbayError {
  const text = response.text.trim().replace(/\s+/g, ' ').slice(0, 200);
  return httpError({
    status: response.status,
    headers: response.headers,
    message: `Africa's Talking answered HTTP ${response.status}${text && !text.startsWith('<') ? `: ${text}` : ''}`,
    provider: context.provider,
    vendor: context.vendor,
  });
}
