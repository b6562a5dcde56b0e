import { VendorSimulator } from '../framework/index.js';
import { GoogleCloudAuth, type GoogleCloudSimulatorOptions, googleCloudErrorBody } from './google-cloud-auth.js';
import { googleSttRoutes } from './google-stt-routes.js';
import { googleTtsRoutes } from './google-tts-routes.js';

/**
 * Google Cloud speech on loopback: Text-to-Speech (`/v1/text:synthesize`,
 * `/v1/voices`), Speech-to-Text (`/v1/speech:recognize`) and the OAuth token
 * endpoint (`/token`, which verifies each service-account JWT's RS256 signature
 * with the account's public key). Point `baseURL` at `url` and `tokenURL` at `tokenURL`.
 */
export class GoogleCloudSimulator extends VendorSimulator {
  readonly auth: GoogleCloudAuth;

  constructor(options: GoogleCloudSimulatorOptions = {}) {
    const auth = new GoogleCloudAuth(options);
    super({
      name: 'google-cloud',
      routes: [...auth.routes(), ...googleTtsRoutes(auth, options), ...googleSttRoutes(auth, options)],
      errorBody: (status, message) => googleCloudErrorBody(status, message),
    });
    this.auth = auth;
  }

  get tokenURL(): string {
    return `${this.url}/token`;
  }

  override reset(): void {
    super.reset();
    this.auth?.reset();
  }
}

/** A Google Cloud simulator, not yet started: `await createGoogleCloudSimulator().start()`. */
export function createGoogleCloudSimulator(options: GoogleCloudSimulatorOptions = {}): GoogleCloudSimulator {
  return new GoogleCloudSimulator(options);
}

export {
  createTestServiceAccount,
  GoogleCloudAuth,
  type GoogleCloudSimulatorOptions,
  googleCloudErrorBody,
} from './google-cloud-auth.js';
export { googleSttRoutes } from './google-stt-routes.js';
export { googleAudioContent, googleTtsRoutes, googleVoices } from './google-tts-routes.js';
