import type { PatchbayError } from '@patchbay/core';
import { fernFetch, type ResolvedCredentials, raceSignal, transportFailureOf } from '@patchbay/core/adapter';

/** What a vendor's error mapper is told about the call that failed. */
export interface VendorErrorContext {
  provider: string;
  signal?: AbortSignal | undefined;
  /** The transport failure `fernFetch` caught for this call's request, if any (see `transportFailureOf`). */
  transportFailure?: unknown;
  secrets?: readonly (string | undefined)[];
}

/** What the body of a vendor call gets. */
export interface VendorCall<C> {
  /** A fetch that always resolves (core's `fernFetch`): hand it to a Fern-generated SDK client. */
  fetch: typeof globalThis.fetch;
  /** Resolves the call's credentials once; the key is then scrubbed from any error message. */
  credentials(): Promise<ResolvedCredentials<C>>;
}

/** Runs one vendor request for an adapter (see `vendorCaller`). */
export type VendorCaller<C> = <T>(
  signal: AbortSignal | undefined,
  credentials: () => Promise<ResolvedCredentials<C>>,
  body: (call: VendorCall<C>) => Promise<T>,
) => Promise<T>;

/**
 * The scaffolding of every recorded-audio request and connection check of an
 * adapter: core's `fernFetch` for Fern SDK clients, credentials resolved when the body asks
 * (so checks that come first keep their order), and any failure mapped by the
 * vendor's error mapper with the transport failure and the key it must not echo.
 */
export function vendorCaller<C extends { apiKey: string }>(
  adapter: { provider: string; fetch: typeof globalThis.fetch | undefined },
  mapError: (error: unknown, context: VendorErrorContext) => PatchbayError,
): VendorCaller<C> {
  return async (signal, resolveCredentials, body) => {
    let credentials: ResolvedCredentials<C> | undefined;
    try {
      return await body({
        fetch: fernFetch(adapter.fetch ?? globalThis.fetch),
        credentials: async () => {
          credentials ??= await resolveCredentials();
          return credentials;
        },
      });
    } catch (error) {
      throw mapError(error, {
        provider: adapter.provider,
        signal,
        transportFailure: transportFailureOf(error),
        secrets: [credentials?.values.apiKey],
      });
    }
  };
}

/** An SDK promise, rejected as soon as the caller's signal aborts (some SDK paths do not watch it). */
export function untilAborted<T>(pending: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  return signal ? raceSignal(pending, signal) : pending;
}
