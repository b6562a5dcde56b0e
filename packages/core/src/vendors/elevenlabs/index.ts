// @patchbay/core/vendors/elevenlabs — what every Patchbay kind knows about ElevenLabs, written once:
// credentials and the error table. The SDK is imported by the kind packages; its timer
// workaround is `guardedFetch` in @patchbay/core/adapter (shared with Deepgram).
export { elevenlabsCredentials } from './elevenlabs-credentials.js';
export { type ElevenLabsErrorDetail, elevenlabsErrorCode, elevenlabsErrorDetail } from './elevenlabs-error-code.js';
