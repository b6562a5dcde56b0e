import type { ErrorCode } from '../../errors/error-codes.js';
import { errorCodeForStatus } from '../../errors/http-errors.js';

/** Azure Speech error codes (speech-to-text REST `error.code` and its `innererror.code`) that say more than the status. */
const codeByVendorCode: ReadonlyMap<string, ErrorCode> = new Map(
  Object.entries<ErrorCode>({
    InvalidRequest: 'invalid_request',
    InvalidArgument: 'invalid_request',
    InvalidPayload: 'invalid_request',
    InvalidAudioFormat: 'invalid_request',
    InvalidLocale: 'invalid_request',
    UnsupportedMediaType: 'invalid_request',
    EmptyAudioFile: 'invalid_request',
    AudioLengthLimitExceeded: 'invalid_request',
    Unauthorized: 'auth',
    Forbidden: 'auth',
    InvalidSubscriptionKey: 'auth',
    TooManyRequests: 'rate_limited',
    QuotaExceeded: 'quota_exceeded',
    InternalServerError: 'unavailable',
    ServiceUnavailable: 'unavailable',
  }),
);

/**
 * The fields of an Azure Speech error. Speech-to-text answers
 * `{ error: { code, message, innererror: { code, message } } }` (v3 APIs: `{ code, message }`);
 * the API gateway answers 401/403 with `{ error: { code: "401", message } }`;
 * text-to-speech usually sends no body at all, only the status.
 */
export interface AzureSpeechErrorDetail {
  vendorCode: string | undefined;
  message: string | undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function azureSpeechErrorDetail(body: unknown): AzureSpeechErrorDetail {
  const error = field(body, 'error') ?? body;
  const inner = field(error, 'innererror') ?? field(error, 'innerError');
  const outer = text(field(error, 'code'));
  const innerCode = text(field(inner, 'code'));
  return {
    // The inner code is the specific one (`InvalidAudioFormat` under `InvalidRequest`); numeric gateway codes say nothing.
    vendorCode: innerCode ?? (outer && !/^\d+$/.test(outer) ? outer : undefined),
    message: text(field(inner, 'message')) ?? text(field(error, 'message')) ?? text(body),
  };
}

/** Our code for an Azure Speech error answer, the same from synthesis and transcription. */
export function azureSpeechErrorCode(answer: { status: number; body: unknown }): ErrorCode {
  const { vendorCode, message } = azureSpeechErrorDetail(answer.body);
  // "Out of call volume quota": the free tier's monthly allowance is spent (403 from the gateway).
  if (message && /quota/i.test(message) && answer.status !== 429) return 'quota_exceeded';
  const byCode = vendorCode ? codeByVendorCode.get(vendorCode) : undefined;
  if (byCode) return byCode;
  // 415: the request's Content-Type (SSML, audio) is wrong — ours to fix, not the vendor's health.
  if (answer.status === 413 || answer.status === 415) return 'invalid_request';
  return errorCodeForStatus(answer.status);
}
