import type { ErrorCode } from '@patchbay/core';
import { httpError, PatchbayError } from '@patchbay/core/adapter';

const maxMessageLength = 300;

/**
 * A PatchbayError for a vendor's HTTP failure. The vendor's own message is
 * kept (trimmed) except for auth failures, whose messages can echo the key;
 * the SDK error is not attached as `cause`, since it carries the raw body.
 */
export function vendorStatusError(input: {
  status: number;
  headers: Headers | undefined;
  vendor: string;
  vendorLabel: string;
  code?: ErrorCode | undefined;
  vendorCode?: string | undefined;
  vendorMessage?: string | undefined;
  requestId?: string | undefined;
}): PatchbayError {
  if (input.status < 400) {
    // A success status whose body the SDK could not read is a malformed answer, not a request error.
    return new PatchbayError({
      code: 'unavailable',
      message: `${input.vendorLabel} sent a malformed response (HTTP ${input.status})`,
      vendor: input.vendor,
      status: input.status,
      vendorCode: 'malformed_response',
      requestId: input.requestId,
    });
  }
  const error = httpError({ status: input.status, headers: input.headers, vendor: input.vendor, code: input.code });
  const detail = input.vendorMessage && error.code !== 'auth' ? `: ${trim(input.vendorMessage)}` : '';
  return new PatchbayError({
    ...error.toOptions(),
    message: `${input.vendorLabel} responded with HTTP ${input.status}${input.vendorCode ? ` (${input.vendorCode})` : ''}${detail}`,
    vendorCode: input.vendorCode,
    requestId: input.requestId ?? error.requestId,
  });
}

function trim(text: string): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length > maxMessageLength ? `${single.slice(0, maxMessageLength)}…` : single;
}

/** A string field of an object, if it is one. */
export function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}
