export { redactConfig } from './redact.js';
export { redactedText, reveal, Secret } from './secret.js';
