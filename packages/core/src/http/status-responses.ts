import type { ErrorCode } from '../errors/error-codes.js';
import { knownSecrets } from '../secrets/known-secrets.js';
import { scrubSecrets } from '../secrets/scrub-text.js';

/** The body of every refusal the HTTP handlers answer: typed, naming the field when one is at fault. */
export interface HttpErrorBody {
  error: { code: ErrorCode; message: string; field?: string | undefined };
}

const baseHeaders = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...baseHeaders, 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

export function errorResponse(
  status: number,
  code: ErrorCode,
  message: string,
  options: { field?: string | undefined; headers?: Record<string, string> } = {},
): Response {
  const body: HttpErrorBody = { error: { code, message, ...(options.field ? { field: options.field } : {}) } };
  return jsonResponse(status, body, options.headers);
}

export function htmlResponse(status: number, html: string): Response {
  return new Response(html, {
    status,
    headers: {
      ...baseHeaders,
      'content-type': 'text/html; charset=utf-8',
      // Everything the page needs is inline; nothing may load from elsewhere.
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    },
  });
}

const maxDepth = 8;

/**
 * A copy of a report with every string scrubbed of known secrets and key-shaped tokens, so a
 * vendor message or check detail that echoes a credential never leaves in a body.
 */
export function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value, knownSecrets());
  if (value === null || typeof value !== 'object') return value;
  if (depth >= maxDepth) return '[nested]';
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // defineProperty: a key named `__proto__` stays an ordinary key.
    Object.defineProperty(copy, key, {
      value: scrubDeep(item, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/** Runs user code (a resolver, an auth hook) with a time limit; `timedOut` when it hangs. */
export async function withTimeLimit<T>(
  call: () => T | Promise<T>,
  timeoutMs: number,
): Promise<{ ok: true; value: T } | { ok: false; timedOut: boolean; error?: unknown }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const value = await Promise.race([
      Promise.resolve().then(call),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(timedOutMarker), timeoutMs);
      }),
    ]);
    return { ok: true, value };
  } catch (error) {
    return error === timedOutMarker ? { ok: false, timedOut: true } : { ok: false, timedOut: false, error };
  } finally {
    clearTimeout(timer);
  }
}

const timedOutMarker = Symbol('timed out');
