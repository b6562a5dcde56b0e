import type { ErrorCode } from '@patchbay/core';
import { PatchbayError } from '@patchbay/core';
import { httpError, scrubText, toPatchbayError } from '@patchbay/core/adapter';
import type { VendorErrorContext } from './vendor-call.js';

/** The most of an error body read: enough for any vendor's error JSON, not a hostile endless body. */
const maxErrorBodyBytes = 64 * 1024;

/** A vendor's HTTP answer that is not a usable result, for the SDK-less adapters' `mapError`. */
export class TranscriptionHttpFailure extends Error {
  readonly status: number;
  readonly headers: Headers;
  /** The body parsed as JSON, else its (bounded) text, else undefined. */
  readonly body: unknown;

  constructor(status: number, headers: Headers, body: unknown) {
    super(`HTTP ${status}`);
    this.name = 'TranscriptionHttpFailure';
    this.status = status;
    this.headers = headers;
    this.body = body;
  }
}

async function boundedText(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    while (length < maxErrorBodyBytes) {
      const next = await reader.read();
      if (next.done) break;
      chunks.push(next.value);
      length += next.value.length;
    }
  } finally {
    void reader.cancel().catch(() => {});
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, maxErrorBodyBytes));
}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Sends one request and returns its JSON. An error status becomes a
 * `TranscriptionHttpFailure` with the (bounded) body; a success whose body is
 * not JSON too (status 200: a malformed answer). Transport failures and aborts
 * propagate as fetch raised them.
 */
export async function fetchJson(
  fetchFunction: typeof globalThis.fetch,
  url: string,
  init: RequestInit,
): Promise<unknown> {
  const response = await fetchFunction(url, init);
  const text = response.ok ? await response.text() : await boundedText(response);
  const body = parse(text);
  if (!response.ok || typeof body !== 'object' || body === null) {
    throw new TranscriptionHttpFailure(response.status, response.headers, body);
  }
  return body;
}

/**
 * Maps a failure of an SDK-less transcriber: the vendor's answer through its
 * table (`code`, `vendorCode`, `message` read from the body), a malformed success
 * as `unavailable`, anything else (aborts, sockets) through core's normaliser.
 */
export function transcriptionHttpError(
  error: unknown,
  context: VendorErrorContext,
  vendor: {
    id: string;
    label: string;
    read(answer: { status: number; body: unknown }): {
      code: ErrorCode;
      vendorCode: string | undefined;
      message: string | undefined;
      requestId?: string | undefined;
    };
  },
): PatchbayError {
  const base = { provider: context.provider, vendor: vendor.id, signal: context.signal };
  if (PatchbayError.isInstance(error) || context.signal?.aborted || !(error instanceof TranscriptionHttpFailure)) {
    return toPatchbayError(error, base);
  }
  if (error.status < 400) {
    return new PatchbayError({
      code: 'unavailable',
      message: `${vendor.label} returned a malformed response body`,
      vendorCode: 'malformed_response',
      status: error.status,
      provider: context.provider,
      vendor: vendor.id,
    });
  }
  const detail = vendor.read(error);
  // An auth failure's message may echo what was sent; other messages are scrubbed of the call's secrets.
  const message =
    detail.message && detail.code !== 'auth'
      ? `: ${scrubText(detail.message, context.secrets ?? []).slice(0, 300)}`
      : '';
  return httpError({
    status: error.status,
    headers: error.headers,
    code: detail.code,
    message: `${vendor.label} responded with HTTP ${error.status}${detail.vendorCode ? ` (${detail.vendorCode})` : ''}${message}`,
    provider: context.provider,
    vendor: vendor.id,
    vendorCode: detail.vendorCode,
    requestId: detail.requestId,
  });
}
