/**
 * The secret values this process has sent to a vendor recently, so that every
 * `PatchbayError` can cut them out of its message, details and cause even when
 * the adapter that built it forgot to (a vendor echoing a tenant's key in an
 * error body is the usual case). Filled by `AbstractProvider` when it resolves
 * credentials; bounded, least recently used first out, so a million tenants
 * cost a fixed amount of memory. Values are never readable from outside.
 */
const capacity = 2_000;
/** Shorter values would cut ordinary words out of messages; such secrets are scrubbed by the adapter only. */
const minimumLength = 6;
const known = new Map<string, true>();
/** The list as last read, rebuilt only after a change (errors read it far more often than it changes). */
let snapshot: readonly string[] | undefined;
/** The most recently remembered value: calls repeat it, and it is already where touching would put it. */
let newest: string | undefined;

export function rememberSecrets(values: Iterable<string | undefined>): void {
  for (const value of values) {
    if (typeof value !== 'string' || value.length < minimumLength || value === newest) continue;
    snapshot = undefined;
    newest = value;
    if (known.has(value)) known.delete(value);
    known.set(value, true);
    if (known.size > capacity) known.delete(known.keys().next().value as string);
  }
}

/** The remembered values, most recent last. Internal: for the scrubber only. */
export function knownSecrets(): readonly string[] {
  snapshot ??= Object.freeze([...known.keys()]);
  return snapshot;
}

/** How many values are remembered (for the bound test). */
export function knownSecretCount(): number {
  return known.size;
}
