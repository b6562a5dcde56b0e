export { isCredentialHeaderName, isCredentialName } from './credential-names.js';
export { type HeadersLike, redactConfig, redactHeaders, redactUrl } from './redact.js';
export { maxScrubbedLength, scrubText } from './scrub-text.js';
export { redactedText, reveal, Secret } from './secret.js';
