import { redactedText, Secret } from './secret.js';

/**
 * A deep copy of a config object in which every Secret and every field named in
 * `secretFields` (at any depth) reads `[redacted]`. Used by `getConfig()`, so
 * what it returns is safe to log, store or send to a browser.
 */
export function redactConfig<T>(value: T, secretFields: ReadonlySet<string> = new Set()): T {
  return redactValue(value, secretFields, new WeakSet()) as T;
}

function redactValue(value: unknown, secretFields: ReadonlySet<string>, seen: WeakSet<object>): unknown {
  if (Secret.isInstance(value)) return redactedText;
  if (typeof value === 'function') return undefined;
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secretFields, seen));
  if (value instanceof Date || value instanceof URL) return value.toString();
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    if (secretFields.has(key) && item !== null && item !== '') copy[key] = redactedText;
    else {
      const redacted = redactValue(item, secretFields, seen);
      if (redacted !== undefined) copy[key] = redacted;
    }
  }
  return copy;
}
