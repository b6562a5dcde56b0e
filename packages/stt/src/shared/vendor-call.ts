import type { PatchbayError } from '@patchbay/core';
import {
  fernFetch,
  type ResolvedCredentials,
  raceSignal,
  scrubError,
  transportFailureOf,
} from '@patchbay/core/adapter';

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
  /** Resolves the call's credentials once; their values are then scrubbed from any error the call throws. */
  credentials(): Promise<ResolvedCredentials<C>>;
}

/** Runs one vendor request for an adapter (see `vendorCaller`). */
export type VendorCaller<C> = <T>(
  signal: AbortSignal | undefined,
  credentials: () => Promise<ResolvedCredentials<C>>,
  body: (call: VendorCall<C>) => Promise<T>,
) => Promise<T>;

/** The values of a call's resolved credentials, every field: what no error of the call may carry. */
export function secretsOf(credentials: { readonly values: object } | undefined): (string | undefined)[] {
  return credentials ? (Object.values(credentials.values) as (string | undefined)[]) : [];
}

/**
 * The scaffolding of every recorded-audio request, live session opening and connection check of an
 * adapter: core's `fernFetch` for Fern SDK clients, credentials resolved when the body asks
 * (so checks that come first keep their order), and any failure mapped by the
 * vendor's error mapper with the transport failure and the values it must not echo, then
 * scrubbed of those values (message, details and cause), whatever the mapper made of it.
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
      const secrets = secretsOf(credentials);
      const mapped = mapError(error, {
        provider: adapter.provider,
        signal,
        transportFailure: transportFailureOf(error),
        secrets,
      });
      throw scrubError(mapped, secrets);
    }
  };
}

/** An SDK promise, rejected as soon as the caller's signal aborts (some SDK paths do not watch it). */
export function untilAborted<T>(pending: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  return signal ? raceSignal(pending, signal) : pending;
}
