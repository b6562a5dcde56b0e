// @patchbay/core/errors — the error classes and the option checks that raise them, without the router, zod or
// anything else: for packages and stores that must refuse a bad option with the same typed error as the rest of
// Patchbay while keeping their own import light. The classes are the same as `@patchbay/core`'s.
export { countOption, durationOption, invalidOption, maxDurationMs } from '../config/option-checks.js';
export { type ErrorCode, errorCodes, healthCodes, retryableByDefault } from './error-codes.js';
export { errorCodeForStatus, type HttpErrorInput, httpError, parseRetryAfter } from './http-errors.js';
export { type NormalizeContext, toPatchbayError } from './normalize-error.js';
export {
  AllProvidersFailedError,
  type AttemptRecord,
  PatchbayError,
  type PatchbayErrorOptions,
} from './patchbay-error.js';
