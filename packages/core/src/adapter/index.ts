// @patchbay/core/adapter — the toolkit for adapter authors: the provider base class,
// credentials, factories, HTTP error builders and transport, SDK loading, scrubbing.
// Application code does not need this entry; it uses `@patchbay/core`.

export { lazySchema } from '../config/lazy-schema.js';
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
export { errorCodeForStatus, type HttpErrorInput, httpError, parseRetryAfter } from '../errors/http-errors.js';
export { type NormalizeContext, toPatchbayError } from '../errors/normalize-error.js';
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
