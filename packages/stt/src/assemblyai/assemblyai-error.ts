import type { ErrorCode } from '@patchbay/core';
import { errorCodeForStatus, httpError, PatchbayError, scrubText, toPatchbayError } from '@patchbay/core/adapter';
import type { VendorErrorContext } from '../shared/vendor-call.js';

/** An AssemblyAI REST answer that was not a success: its status, headers and `{ "error": "…" }` body. */
export class AssemblyAIHttpFailure extends Error {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;

  constructor(status: number, headers: Headers, body: unknown) {
    super(`AssemblyAI responded with HTTP ${status}`);
    this.name = 'AssemblyAIHttpFailure';
    this.status = status;
    this.headers = headers;
    this.body = body;
  }
}

/** A transcript that ended with `status: "error"`: AssemblyAI's `error` text says why. */
export class AssemblyAITranscriptFailure extends Error {
  readonly transcriptId: string;
  readonly detail: string;

  constructor(transcriptId: string, detail: string) {
    super('AssemblyAI could not transcribe the audio');
    this.name = 'AssemblyAITranscriptFailure';
    this.transcriptId = transcriptId;
    this.detail = detail;
  }
}

function errorText(body: unknown): string | undefined {
  if (typeof body === 'string') return body || undefined;
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  return typeof error === 'string' ? error : undefined;
}

/**
 * AssemblyAI answers every failed request with `{ "error": "<text>" }` and an HTTP status; the text says
 * more than the status in one case documented as a 400: a negative account balance.
 */
export function assemblyaiErrorCode(status: number, body: unknown): ErrorCode {
  const text = errorText(body) ?? '';
  if (/balance|insufficient funds|payment|credit card/i.test(text)) return 'quota_exceeded';
  // Audio too large is the request's fault, not a context window.
  if (status === 413) return 'invalid_request';
  return errorCodeForStatus(status);
}

/**
 * A transcript's `error` text → code. Download and decoding failures are the request's (a bad URL, a file
 * without audio); AssemblyAI asks that server-side failures be submitted again.
 */
export function assemblyaiTranscriptErrorCode(detail: string): ErrorCode {
  if (/server error|internal error|timed out|try again/i.test(detail)) return 'unavailable';
  if (/balance|insufficient funds|payment/i.test(detail)) return 'quota_exceeded';
  return 'invalid_request';
}

/**
 * Universal Streaming close codes (and the `Error` frame's `error_code`, the same number) → code.
 * 1008 carries its cause in the reason: too many sessions, a missing or invalid key, an account problem.
 */
export function assemblyaiCloseCode(code: number | undefined, reason: string): ErrorCode {
  switch (code) {
    case 1008:
      if (/concurren|too many/i.test(reason)) return 'rate_limited';
      if (/balance|funds|payment|paid/i.test(reason)) return 'quota_exceeded';
      return 'auth';
    case 3006:
    case 3007:
    case 4000:
    case 4101:
      return 'invalid_request';
    case 3009:
    case 4029:
    case 4102:
      return 'rate_limited';
    case 4001:
      return 'auth';
    case 4002:
    case 4003:
      return 'quota_exceeded';
    default:
      // 3005 (session cancelled by a server error), 3008 (expired), 1011, a reset: the session broke.
      return 'stream_cut';
  }
}

/** Maps any failure of an AssemblyAI call (REST answer, failed transcript, transport, abort) to a PatchbayError. */
export function assemblyaiError(error: unknown, context: VendorErrorContext): PatchbayError {
  const base = { provider: context.provider, vendor: 'assemblyai' };
  if (PatchbayError.isInstance(error)) return error;
  if (context.signal?.aborted) return toPatchbayError(error, { ...base, signal: context.signal });
  if (error instanceof AssemblyAIHttpFailure) {
    const detail = errorText(error.body);
    return httpError({
      status: error.status,
      headers: error.headers,
      code: assemblyaiErrorCode(error.status, error.body),
      message: `AssemblyAI responded with HTTP ${error.status}${detail ? `: ${scrubText(detail, context.secrets)}` : ''}`,
      ...base,
    });
  }
  if (error instanceof AssemblyAITranscriptFailure) {
    return new PatchbayError({
      code: assemblyaiTranscriptErrorCode(error.detail),
      message: `AssemblyAI transcript ${error.transcriptId} failed: ${scrubText(error.detail, context.secrets)}`,
      requestId: error.transcriptId,
      ...base,
    });
  }
  if (error instanceof SyntaxError) {
    return new PatchbayError({
      code: 'unavailable',
      message: 'AssemblyAI returned a response that is not JSON',
      vendorCode: 'malformed_response',
      ...base,
    });
  }
  return toPatchbayError(error, { ...base, signal: context.signal });
}
