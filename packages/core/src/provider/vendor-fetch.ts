/** The most of an error body read: enough for any vendor's error JSON, not a hostile endless body. */
export const maxVendorErrorBodyBytes = 64 * 1024;

/**
 * A vendor's HTTP answer that is not a usable result, thrown by SDK-less adapters' requests and turned
 * into a PatchbayError by their `mapError` (which knows the vendor's error table).
 */
export class VendorHttpFailure extends Error {
  readonly status: number;
  readonly headers: Headers;
  /** The body parsed as JSON, else its (bounded) text, else undefined. */
  readonly body: unknown;

  constructor(status: number, headers: Headers, body: unknown) {
    super(`HTTP ${status}`);
    this.name = 'VendorHttpFailure';
    this.status = status;
    this.headers = headers;
    this.body = body;
  }
}

/** Reads at most `limit` bytes of a body as text, then lets the rest go. */
export async function readBoundedText(response: Response, limit = maxVendorErrorBodyBytes): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    while (length < limit) {
      const next = await reader.read();
      if (next.done) break;
      chunks.push(next.value);
      length += next.value.length;
    }
  } finally {
    void reader.cancel().catch(() => {});
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, limit));
}

/** A body as JSON when it parses, else its text (undefined when empty). */
export function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Sends one request with the adapter's fetch and returns the response when it succeeded; an error status
 * becomes a `VendorHttpFailure` carrying the bounded body. Transport failures and aborts propagate as fetch
 * raised them (the kind skeletons map them).
 */
export async function vendorFetch(
  fetchFunction: typeof globalThis.fetch,
  url: string,
  init: RequestInit,
): Promise<Response> {
  const response = await fetchFunction(url, init);
  if (response.ok) return response;
  throw new VendorHttpFailure(response.status, response.headers, parseBody(await readBoundedText(response)));
}
