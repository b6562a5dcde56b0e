// @patchbay/core/vendors/deepgram — what every Patchbay kind knows about Deepgram, written once:
// credentials and the error table. The SDK is imported by the kind packages; its timer
// workaround is `fernFetch` + `transportFailureOf` in @patchbay/core/adapter, one for every kind
// (shared with ElevenLabs; deepgram-fern-timers.test.ts shows TTS and STT leave no timer behind).
export { deepgramCredentials } from './deepgram-credentials.js';
export { type DeepgramErrorDetail, deepgramErrorCode, deepgramErrorDetail } from './deepgram-error-code.js';
