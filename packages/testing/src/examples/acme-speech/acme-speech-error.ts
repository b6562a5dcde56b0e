import type { ErrorCode, PatchbayError } from '@patchbay/core';
import { httpError } from '@patchbay/core/adapter';

/** Acme's error body: `{ "error": { "code": "voice_not_found", "message": "…" } }`. */
interface AcmeErrorBody {
  error?: { code?: string; message?: string };
}

/** Acme's own codes that say more than the HTTP status. */
const vendorCodes: Record<string, ErrorCode> = {
  quota_exhausted: 'quota_exceeded',
  text_too_long: 'invalid_request',
  voice_not_found: 'invalid_request',
};

/** Maps a failed Acme response to a PatchbayError; the body is read, never echoed whole. */
export async function acmeSpeechError(
  response: Response,
  context: { provider: string; vendor: string },
): Promise<PatchbayError> {
  let body: AcmeErrorBody | undefined;
  try {
    body = (await response.json()) as AcmeErrorBody;
  } catch {
    body = undefined;
  }
  const vendorCode = body?.error?.code;
  return httpError({
    status: response.status,
    headers: response.headers,
    code: vendorCode ? vendorCodes[vendorCode] : undefined,
    message: `Acme Speech responded with HTTP ${response.status}${body?.error?.message ? `: ${body.error.message}` : ''}`,
    provider: context.provider,
    vendor: context.vendor,
    vendorCode,
  });
}
