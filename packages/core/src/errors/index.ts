export { type ErrorCode, errorCodes, healthCodes, retryableByDefault } from './error-codes.js';
export { errorCodeForStatus, type HttpErrorInput, httpError, parseRetryAfter } from './http-errors.js';
export { type NormalizeContext, toPatchbayError } from './normalize-error.js';
export {
  AllProvidersFailedError,
  type AttemptRecord,
  PatchbayError,
  type PatchbayErrorOptions,
} from './patchbay-error.js';
