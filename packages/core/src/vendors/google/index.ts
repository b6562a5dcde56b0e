// @patchbay/core/vendors/google — what every Patchbay kind knows about Google Cloud speech, written once:
// its credentials (API key or service account), the service-account token exchange and the error table.
export {
  type GoogleAccessTokenOptions,
  GoogleAccessTokens,
  type GoogleServiceAccount,
  googleCloudPlatformScope,
  googleDefaultTokenURL,
  googleServiceAccountAssertion,
  loadGoogleServiceAccount,
} from './google-access-token.js';
export { googleAuthHeaders } from './google-auth-headers.js';
export { type GoogleCloudCredentialValues, googleCloudCredentials } from './google-cloud-credentials.js';
export {
  type GoogleCloudErrorDetail,
  googleCloudErrorCode,
  googleCloudErrorDetail,
} from './google-cloud-error-code.js';
