export { redactConfig } from './redact.js';
export { scrubText } from './scrub-text.js';
export { redactedText, reveal, Secret } from './secret.js';
