import { PatchbayError } from '../errors/patchbay-error.js';
import { removeKnownSecrets as cut, minimumKnownSecretLength, scrubText } from '../secrets/scrub-text.js';

/**
 * The error with the call's secrets cut out of everything it carries: the message (with key-shaped tokens, by
 * `scrubText`), the details, the vendor code and request id, and every cause in its chain (message and stack). The
 * last step of every kind's error path, so vendor text that echoes a key never reaches a caller, a log, a delivery
 * log or a status report. The process-wide known-secrets list skips values under 6 characters, so for a short key
 * this is the only scrub there is. Error paths only; an error that carries none of the values comes back as it is
 * (unless its message holds a key-shaped token or is over `maxScrubbedLength`).
 */
export function scrubError(error: PatchbayError, secrets: readonly (string | undefined)[]): PatchbayError {
  const message = scrubText(error.message, secrets);
  const scrubbed = message === error.message ? error : new PatchbayError({ ...error.toOptions(), message });
  // No credentials resolved yet (an invalid request, `not_configured`): nothing of the call's to cut.
  return secrets.some(isCut) ? scrubDeep(scrubbed, secrets, 0) : scrubbed;
}

const maxDepth = 8;

/** A value `cut` (`removeKnownSecrets`) cuts (shorter ones would cut ordinary words out of messages). */
function isCut(secret: string | undefined): boolean {
  return typeof secret === 'string' && secret.length >= minimumKnownSecretLength;
}

function scrubDeep(error: PatchbayError, secrets: readonly (string | undefined)[], depth: number): PatchbayError {
  const message = cut(error.message, secrets);
  const details =
    error.details === undefined ? undefined : (cutValue(error.details, secrets, 0) as typeof error.details);
  const vendorCode = error.vendorCode === undefined ? undefined : cut(error.vendorCode, secrets);
  const requestId = error.requestId === undefined ? undefined : cut(error.requestId, secrets);
  const cause = scrubCause(error.cause, secrets, depth + 1);
  if (
    message === error.message &&
    details === error.details &&
    vendorCode === error.vendorCode &&
    requestId === error.requestId &&
    cause === error.cause
  ) {
    return error;
  }
  return new PatchbayError({ ...error.toOptions(), message, details, vendorCode, requestId, cause });
}

/** A copy of plain data with the values cut out of every string (and key); the same object when none was there. */
function cutValue(value: unknown, secrets: readonly (string | undefined)[], depth: number): unknown {
  if (typeof value === 'string') return cut(value, secrets);
  if (typeof value !== 'object' || value === null || depth >= maxDepth) return value;
  if (Array.isArray(value)) {
    const items = value.map((item) => cutValue(item, secrets, depth + 1));
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  let changed = false;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const cutKey = cut(key, secrets);
    const cutItem = cutValue(item, secrets, depth + 1);
    if (cutKey !== key || cutItem !== item) changed = true;
    copy[cutKey] = cutItem;
  }
  return changed ? copy : value;
}

/**
 * A cause without the values. A PatchbayError's own constructor keeps a cause only as a summary (name, message,
 * stack, `code`, `status`, nested cause); a summary that carries a value is rebuilt from its cut parts, and the
 * constructor summarises the rebuilt one again.
 */
function scrubCause(cause: unknown, secrets: readonly (string | undefined)[], depth: number): unknown {
  if (typeof cause === 'string') return cut(cause, secrets);
  if (typeof cause !== 'object' || cause === null) return cause;
  if (depth >= maxDepth) return '[cause chain truncated]';
  if (PatchbayError.isInstance(cause)) return scrubDeep(cause, secrets, depth);
  const original = cause as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown; status?: unknown };
  const message = typeof original.message === 'string' ? cut(original.message, secrets) : original.message;
  const stack = typeof original.stack === 'string' ? cut(original.stack, secrets) : original.stack;
  const name = typeof original.name === 'string' ? cut(original.name, secrets) : original.name;
  const code = typeof original.code === 'string' ? cut(original.code, secrets) : original.code;
  const nested = (cause as { cause?: unknown }).cause;
  const scrubbedNested = scrubCause(nested, secrets, depth + 1);
  if (
    message === original.message &&
    stack === original.stack &&
    name === original.name &&
    code === original.code &&
    scrubbedNested === nested
  ) {
    return cause;
  }
  const copy = new Error(String(message ?? ''), scrubbedNested === undefined ? undefined : { cause: scrubbedNested });
  if (typeof name === 'string') copy.name = name;
  if (typeof stack === 'string') copy.stack = stack;
  const extra = copy as Error & { code?: unknown; status?: unknown };
  if (code !== undefined) extra.code = code;
  if (original.status !== undefined) extra.status = original.status;
  return copy;
}
