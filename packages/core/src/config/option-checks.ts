import { PatchbayError } from '../errors/patchbay-error.js';

/**
 * The longest duration any setting accepts: Node's timers hold 2^31-1 ms (about
 * 24.8 days); a longer one overflows and fires at once.
 */
export const maxDurationMs = 2_147_483_647;

/**
 * Checks of the options constructors take besides the configuration (timeouts, intervals, bounds): a bad one is
 * an `invalid_request` `PatchbayError` naming the option by its path (`usageQueue.capacity`), at construction —
 * never a `RangeError` from deep inside, and never a timer Node overflows (past `maxDurationMs`, the bound every
 * duration of the configuration has, Node fires a timer after 1 ms).
 */
export function invalidOption(path: string, message: string): PatchbayError {
  return new PatchbayError({
    code: 'invalid_request',
    message: `${path}: ${message}`,
    details: { field: path, issues: [{ path, message }] },
  });
}

/**
 * A duration in milliseconds: a finite number from 0 (above 0 when `positive`, where 0 makes no sense) up to
 * `maxDurationMs`. `undefined` answers `fallback`.
 */
export function durationOption(value: unknown, fallback: number, path: string, positive = false): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (positive && value === 0) ||
    value > maxDurationMs
  ) {
    throw invalidOption(
      path,
      `must be a number of milliseconds ${positive ? 'above 0' : 'from 0'} up to ${maxDurationMs}`,
    );
  }
  return value;
}

/**
 * A count (capacity, bound): a whole number of at least `min`, at most `max` (default `Number.MAX_SAFE_INTEGER`).
 * `undefined`: `fallback`.
 */
export function countOption(
  value: unknown,
  fallback: number,
  path: string,
  min: 0 | 1 = 1,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    throw invalidOption(
      path,
      max === Number.MAX_SAFE_INTEGER
        ? `must be a whole number of at least ${min}`
        : `must be a whole number from ${min} to ${max}`,
    );
  }
  return value as number;
}
