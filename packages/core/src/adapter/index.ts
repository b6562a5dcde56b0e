// @patchbay/core/adapter — the toolkit for adapter authors: the provider base class,
// credentials, factories, HTTP error builders and transport, SDK loading, scrubbing, and the
// error and secret classes an adapter throws and takes (the same classes as `@patchbay/core`'s).
// Application code does not need this entry; it uses `@patchbay/core`. An adapter package imports
// its values from here rather than from the root, so importing the adapter package does not load
// the router and everything else behind `createPatchbay`.

export { lazySchema } from '../config/lazy-schema.js';
export { countOption, durationOption, invalidOption } from '../config/option-checks.js';
export type {
  CredentialSourceName,
  ResolvedCredentials,
} from '../credentials/credential-resolver.js';
export {
  type CredentialPolicy,
  type CredentialSpec,
  type CredentialsOf,
  defineCredentials,
  secretInput,
} from '../credentials/credential-spec.js';
export { type ErrorCode, errorCodes } from '../errors/error-codes.js';
export { errorCodeForStatus, type HttpErrorInput, httpError, parseRetryAfter } from '../errors/http-errors.js';
export { type NormalizeContext, toPatchbayError } from '../errors/normalize-error.js';
export { PatchbayError } from '../errors/patchbay-error.js';
export { AbstractProvider, type ConnectionCheck, type ProviderInit } from '../provider/abstract-provider.js';
export { ClientCache } from '../provider/client-cache.js';
export { collectBytes } from '../provider/collect-bytes.js';
export {
  type FernHttpFailure,
  fernFetch,
  fernHttpFailure,
  fernTimeoutSeconds,
  transportFailureOf,
  transportFailureStatus,
} from '../provider/fern-fetch.js';
export { type LazySdk, lazySdk, missingSdkError, noTimeout } from '../provider/lazy-sdk.js';
export { defineProviderFactory, type ProviderFactory, type ProviderRuntime } from '../provider/provider-factory.js';
export { scrubError } from '../provider/scrub-error.js';
export { relayingFetch, SignalRelay } from '../provider/signal-relay.js';
export {
  maxVendorErrorBodyBytes,
  parseBody,
  readBoundedText,
  VendorHttpFailure,
  vendorFetch,
} from '../provider/vendor-fetch.js';
export {
  closeVendorHttpAgent,
  parseJson,
  type VendorHttpContext,
  type VendorHttpRequest,
  type VendorHttpResponse,
  type VendorTransport,
  VendorTransportFailure,
  vendorHttpAgent,
  vendorHttpRequest,
} from '../provider/vendor-http.js';
export {
  validateLanguageModelRequest,
  validateMessageRequest,
  validateSpeechRequest,
  validateTranscriptionRequest,
} from '../requests/index.js';
export { raceSignal, sleep } from '../routing/signals.js';
export { type HeadersLike, redactConfig, redactHeaders, redactUrl } from '../secrets/redact.js';
export { scrubText } from '../secrets/scrub-text.js';
export { Secret } from '../secrets/secret.js';
export { releaseOnEarlyReturn } from './release-on-early-return.js';
