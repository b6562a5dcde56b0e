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
  if (error instanceof TypeError && /fetch failed|network|socket/i.test(error.message)) {
    return new PatchbayError({ ...base, code: 'connection', message: 'Connection failed' });
  }
  return new PatchbayError({
    ...base,
    code: 'unknown',
    message: `Unexpected failure (${typeof name === 'string' ? name : typeof error})`,
  });
}
