import { createHmac, randomBytes } from 'node:crypto';
import { PatchbayError } from '../errors/patchbay-error.js';
import { Secret } from '../secrets/secret.js';

/** A fingerprint key: at least 16 bytes, as bytes, text or a Secret. */
export type AuditFingerprintKey = Uint8Array | string | Secret;

const maxDepth = 64;

/**
 * One canonical text per value: object keys sorted, `Secret`s as their text (so a rotated key changes
 * the fingerprint), `undefined` members left out, numbers as JSON writes them. Never leaves this module:
 * it is only ever fed to the HMAC.
 */
function canonical(value: unknown, depth = 0): string {
  if (depth > maxDepth) return '"(too deep)"';
  // A Secret and the same text are the same value: stores keep Secrets, callers often pass strings.
  if (Secret.isInstance(value)) return JSON.stringify(value.reveal());
  if (value === null || typeof value !== 'object') {
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return 'null';
    if (typeof value === 'bigint') return JSON.stringify(value.toString());
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item, depth + 1)).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key], depth + 1)}`);
  return `{${entries.join(',')}}`;
}

/**
 * Keyed fingerprints for audit records: HMAC-SHA-256 over a canonical serialization, in hex. Equal values
 * give equal fingerprints under one key, so a record shows *whether* a value changed; without the key a
 * fingerprint cannot be tested against guesses (a plain hash of a short phone number id could). The default
 * key is random per process: fingerprints then compare only within that process; give a stable key
 * (from your secrets manager) to compare them across restarts and instances.
 */
export function createFingerprinter(key?: AuditFingerprintKey | undefined): (value: unknown) => string | null {
  let bytes: Buffer;
  if (key === undefined) bytes = randomBytes(32);
  else {
    bytes = Buffer.from(Secret.isInstance(key) ? key.reveal() : key);
    if (bytes.length < 16)
      throw new PatchbayError({
        code: 'invalid_request',
        message: 'audit.fingerprintKey: must be at least 16 bytes',
        details: { issues: [{ path: 'audit.fingerprintKey', message: 'must be at least 16 bytes' }] },
      });
  }
  return (value) => (value === undefined ? null : createHmac('sha256', bytes).update(canonical(value)).digest('hex'));
}
