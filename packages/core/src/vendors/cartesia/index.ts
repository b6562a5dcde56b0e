// @patchbay/core/vendors/cartesia — what every Patchbay kind knows about Cartesia, written once:
// its credentials and its error table (REST bodies and websocket error events alike).
export { cartesiaCredentials } from './cartesia-credentials.js';
export { type CartesiaErrorDetail, cartesiaErrorCode, cartesiaErrorDetail } from './cartesia-error-code.js';
