/**
 * A fetch for Fern-generated SDKs (Deepgram, ElevenLabs). Their request layer
 * starts a timeout timer per request and clears it only when fetch resolves, so
 * every aborted or failed request would leave that timer holding the process
 * open. This wrapper always resolves — a transport failure becomes a synthetic
 * 599 response — and keeps the real failure for the adapter to report.
 */
export interface GuardedFetch {
  readonly fetch: typeof globalThis.fetch;
  /** The transport failure of the last request, if it had one. */
  failure(): unknown;
}

export const transportFailureStatus = 599;

export function guardedFetch(base: typeof globalThis.fetch = globalThis.fetch): GuardedFetch {
  let failure: unknown;
  const wrapped = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    failure = undefined;
    try {
      return await base(input, init);
    } catch (error) {
      failure = error;
      return new Response(null, { status: transportFailureStatus, statusText: 'Transport failure' });
    }
  };
  return { fetch: wrapped as typeof globalThis.fetch, failure: () => failure };
}
