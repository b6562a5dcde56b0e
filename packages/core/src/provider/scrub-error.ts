import { PatchbayError } from '../errors/patchbay-error.js';
import { scrubText } from '../secrets/scrub-text.js';

/**
 * The error with the call's secrets (and key-shaped tokens) cut out of its
 * message: the last step of every kind's error path, so vendor text that echoes
 * a key never reaches a caller, a log, a delivery log or a status report.
 */
export function scrubError(error: PatchbayError, secrets: readonly (string | undefined)[]): PatchbayError {
  const message = scrubText(error.message, secrets);
  if (message === error.message) return error;
  return new PatchbayError({ ...error.toOptions(), message });
}
