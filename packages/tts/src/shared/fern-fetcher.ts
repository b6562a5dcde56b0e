import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The request function of a Fern-generated SDK (`BaseClientOptions.fetcher`). */
type FernFetcher = (args: { timeoutMs?: number | undefined }) => Promise<unknown>;

const cache = new Map<string, FernFetcher | undefined>();

/**
 * The SDK's own fetcher, minus its timeout. Fern-generated SDKs (ElevenLabs,
 * Deepgram) start a timer for every request (240 s / 60 s by default) and clear
 * it only when `fetch` resolves: after a refused connection or a caller's abort
 * the timer lives on for the whole timeout, holding memory and keeping the
 * process alive. Timeouts are the caller's AbortSignal's job here anyway, so we
 * hand the SDK its default fetcher with `timeoutMs` removed — then no timer exists.
 *
 * The fetcher is read from the SDK's CommonJS build by file path (the packages
 * do not export it); if a future SDK moves it, this returns undefined and the
 * SDK keeps its default fetcher and timeout.
 */
export function untimedFetcher(sdkPackage: string): FernFetcher | undefined {
  if (cache.has(sdkPackage)) return cache.get(sdkPackage);
  let untimed: FernFetcher | undefined;
  try {
    const require = createRequire(import.meta.url);
    const entry = require.resolve(sdkPackage);
    const { fetcher } = require(join(dirname(entry), 'core', 'fetcher', 'Fetcher.js')) as { fetcher?: unknown };
    if (typeof fetcher === 'function') {
      const sdkFetcher = fetcher as FernFetcher;
      untimed = (args) => sdkFetcher({ ...args, timeoutMs: undefined });
    }
  } catch {
    untimed = undefined;
  }
  cache.set(sdkPackage, untimed);
  return untimed;
}

/**
 * The options a Fern-generated SDK client (ElevenLabs, Deepgram) is built with:
 * one request per call (the router owns retries), no SDK timer (the caller's
 * AbortSignal and the route's attempt timeout bound a request), the runtime's fetch.
 * `Fetcher` is the SDK's own type for its `fetcher` option.
 */
export function fernClientOptions<Fetcher>(
  sdkPackage: string,
  input: { apiKey: string; baseURL: string | undefined; fetch: typeof globalThis.fetch | undefined },
) {
  return {
    apiKey: input.apiKey,
    baseUrl: input.baseURL?.replace(/\/+$/, ''),
    fetch: input.fetch,
    maxRetries: 0,
    fetcher: untimedFetcher(sdkPackage) as Fetcher,
  };
}
