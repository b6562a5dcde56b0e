import { Secret } from '../secrets/secret.js';
import { invalidFieldsError } from './zod-issues.js';

/**
 * Deep equality of configuration values: plain objects and arrays by content,
 * secrets by their value (in constant time), everything else by identity.
 * A JSON comparison would see every Secret as "[redacted]" and miss a rotated key.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Secret.isInstance(a) || Secret.isInstance(b)) {
    if (Secret.isInstance(a)) return typeof b === 'string' || Secret.isInstance(b) ? a.equals(b) : false;
    return typeof a === 'string' && (b as Secret).equals(a);
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (const key of keysA) {
    if (!Object.hasOwn(b, key)) return false;
    if (!sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/**
 * A deep copy of a configuration value that keeps `Secret`s as they are (a JSON
 * round trip would turn them into the text "[redacted]"). Anything that is not
 * plain data (a function, a class instance other than Secret) is an error naming its path.
 */
export function copyConfigValue(value: unknown, path = '(root)', depth = 0): unknown {
  // A cycle (or absurd nesting) is an answer naming the path, not a stack overflow.
  if (depth > 64)
    throw invalidFieldsError('Patchbay configuration', [{ path, message: 'nested too deeply (a cycle?)' }]);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw invalidFieldsError('Patchbay configuration', [{ path, message: `numbers must be finite` }]);
    return value;
  }
  if (Secret.isInstance(value)) return value;
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map((item, index) => copyConfigValue(item, `${path}.${index}`, depth + 1));
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null)
      throw invalidFieldsError('Patchbay configuration', [{ path, message: `only plain objects are allowed` }]);
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // Parsers drop or obey `__proto__` (it would set the prototype): it cannot be a name.
      if (key === '__proto__')
        throw invalidFieldsError('Patchbay configuration', [
          { path: path === '(root)' ? key : `${path}.${key}`, message: '"__proto__" is reserved and cannot be a key' },
        ]);
      const copied = copyConfigValue(item, path === '(root)' ? key : `${path}.${key}`, depth + 1);
      // defineProperty, not assignment: a key named "__proto__" stays a key (and is rejected by the schema).
      if (copied !== undefined)
        Object.defineProperty(copy, key, { value: copied, enumerable: true, writable: true, configurable: true });
    }
    return copy;
  }
  throw invalidFieldsError('Patchbay configuration', [{ path, message: `${typeof value} is not configuration data` }]);
}
