// @patchbay/core/vendors/azure — what every Patchbay kind knows about Azure AI Speech, written once:
// its credentials (key + region) and its error table, shared by synthesis and transcription.
export { azureRegionPattern, azureSpeechCredentials } from './azure-speech-credentials.js';
export {
  type AzureSpeechErrorDetail,
  azureSpeechErrorCode,
  azureSpeechErrorDetail,
} from './azure-speech-error-code.js';
export { azureSpeechOrigin } from './azure-speech-origin.js';
