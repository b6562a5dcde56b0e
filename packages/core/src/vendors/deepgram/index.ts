// @patchbay/core/vendors/deepgram — what every Patchbay kind knows about Deepgram, written once:
// credentials and the error table. The SDK is imported by the kind packages; its timer
// workaround is `guardedFetch` in @patchbay/core/adapter (shared with ElevenLabs).
export { deepgramCredentials } from './deepgram-credentials.js';
export { type DeepgramErrorDetail, deepgramErrorCode, deepgramErrorDetail } from './deepgram-error-code.js';
