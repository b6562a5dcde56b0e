// @patchbay/core/vendors/elevenlabs — what every Patchbay kind knows about ElevenLabs, written once:
// credentials and the error table. The SDK is imported by the kind packages; its timer
// workaround is `fernFetch` + `transportFailureOf` in @patchbay/core/adapter, one for every kind
// (shared with Deepgram; elevenlabs-fern-timers.test.ts shows TTS and STT leave no timer behind).
export { elevenlabsCredentials } from './elevenlabs-credentials.js';
export { type ElevenLabsErrorDetail, elevenlabsErrorCode, elevenlabsErrorDetail } from './elevenlabs-error-code.js';
