import { PatchbayError } from './patchbay-error.js';

const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

function findCode(error: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && connectionCodes.has(code)) return code;
  return findCode((error as { cause?: unknown }).cause, depth + 1);
}

/**
 * What the runtimes' `fetch` says, as the whole message of a TypeError, when a request failed on the way (lower
 * case): undici's `fetch failed` (the socket error is its cause) and `terminated` (the body was cut), and the
 * browsers' (Chromium, Safari, Firefox, React Native).
 */
const failedRequestMessages = new Set([
  'fetch failed',
  'terminated',
  'failed to fetch',
  'load failed',
  'networkerror when attempting to fetch resource.',
  'network request failed',
]);

/**
 * Whether an error is a TypeError that reports a failed request rather than a bug: its cause chain carries a
 * socket code, or its whole message is one a runtime's `fetch` uses for a failed request. Judged by `name`, not
 * `instanceof`, so a redacted cause summary (a plain Error named `TypeError`) is judged like the original; a
 * TypeError that merely mentions a socket (`Cannot read properties of undefined (reading 'socket')`) is a bug.
 */
export function isNetworkTypeError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (name !== 'TypeError') return false;
  if (findCode(error) !== undefined) return true;
  return typeof message === 'string' && failedRequestMessages.has(message.trim().toLowerCase());
}

export interface NormalizeContext {
  provider?: string | undefined;
  vendor?: string | undefined;
  /** The caller's signal: an abort it caused is `aborted`, not a vendor failure. */
  signal?: AbortSignal | undefined;
}

/**
 * Turns anything thrown into a PatchbayError. Adapters map their vendor's errors
 * first; this is the floor for what is left (aborts, sockets, programming errors).
 */
export function toPatchbayError(error: unknown, context: NormalizeContext = {}): PatchbayError {
  if (PatchbayError.isInstance(error)) {
    return context.provider && !error.provider ? error.withProvider(context.provider, context.vendor) : error;
  }
  const base = { provider: context.provider, vendor: context.vendor, cause: error };
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  if (context.signal?.aborted) {
    const reason = context.signal.reason as { name?: string } | undefined;
    if (reason?.name === 'TimeoutError') return new PatchbayError({ ...base, code: 'timeout', message: 'Timed out' });
    return new PatchbayError({ ...base, code: 'aborted', message: 'Aborted by the caller' });
  }
  if (name === 'TimeoutError') return new PatchbayError({ ...base, code: 'timeout', message: 'Timed out' });
  if (name === 'AbortError') return new PatchbayError({ ...base, code: 'aborted', message: 'Aborted' });
  const socketCode = findCode(error);
  if (socketCode) {
    return new PatchbayError({ ...base, code: 'connection', message: `Connection failed (${socketCode})` });
  }
  if (isNetworkTypeError(error)) {
    return new PatchbayError({ ...base, code: 'connection', message: 'Connection failed' });
  }
  return new PatchbayError({
    ...base,
    code: 'unknown',
    message: `Unexpected failure (${typeof name === 'string' ? name : typeof error})`,
  });
}
