import { fernFetch, fernTimeoutSeconds } from '@patchbay/core/adapter';

/**
 * The options a Fern-generated SDK client (ElevenLabs, Deepgram) is built with:
 * one request per call (the router owns retries), and core's one Fern-SDK
 * workaround — `fernFetch` never rejects, so the SDK's per-request timer is
 * always cleared, and the caller's AbortSignal and the route's attempt timeout
 * bound a request (`fernTimeoutSeconds` keeps the SDK's own timeout out of the way).
 * One client may be shared by concurrent calls: each failure travels with its own error.
 */
export function fernClientOptions(
  apiKey: string,
  baseURL: string | undefined,
  fetch: typeof globalThis.fetch | undefined,
) {
  return {
    apiKey,
    baseUrl: baseURL?.replace(/\/+$/, ''),
    fetch: fernFetch(fetch ?? globalThis.fetch),
    maxRetries: 0,
    timeoutInSeconds: fernTimeoutSeconds,
  };
}
