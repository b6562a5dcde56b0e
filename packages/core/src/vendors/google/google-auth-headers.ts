import type { ResolvedCredentials } from '../../credentials/credential-resolver.js';
import { type GoogleAccessTokens, loadGoogleServiceAccount } from './google-access-token.js';
import type { GoogleCloudCredentialValues } from './google-cloud-credentials.js';

/**
 * The auth header of one Google Cloud request: an API key goes in
 * `X-Goog-Api-Key` (a header, so it never sits in a URL that may be logged);
 * otherwise the service account's cached access token as a Bearer token.
 */
export async function googleAuthHeaders(
  credentials: ResolvedCredentials<GoogleCloudCredentialValues>,
  options: {
    tokens: GoogleAccessTokens;
    fetch: typeof globalThis.fetch;
    tokenURL?: string | undefined;
    signal?: AbortSignal | undefined;
  },
): Promise<Record<string, string>> {
  const { apiKey, serviceAccount } = credentials.values;
  if (apiKey) return { 'X-Goog-Api-Key': apiKey };
  if (!serviceAccount) throw new Error('Google credentials resolved without an API key or a service account');
  const account = await loadGoogleServiceAccount(serviceAccount, credentials.sources.serviceAccount === 'environment');
  const token = await options.tokens.accessToken(account, {
    fetch: options.fetch,
    tokenURL: options.tokenURL,
    signal: options.signal,
  });
  return { Authorization: `Bearer ${token}` };
}
