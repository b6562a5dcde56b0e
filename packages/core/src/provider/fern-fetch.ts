/**
 * The one workaround for Fern-generated SDKs (Deepgram, ElevenLabs), shared by
 * every kind that uses them. Their request layer starts a timeout timer per
 * request and clears it only when fetch resolves, so every aborted or failed
 * request would leave that timer holding the process open. This fetch always
 * resolves — a transport failure becomes a synthetic 599 response — and keeps
 * the real failure for the adapter to report. It uses only the SDKs' public
 * `fetch` option, never their internals.
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

/** What a Fern SDK error says about a real HTTP answer (never the synthetic transport-failure one). */
export interface FernHttpFailure {
  status: number;
  body: unknown;
  headers: Headers | undefined;
}

/** Reads a Fern SDK error's status, parsed body and headers; undefined for anything that is not an HTTP answer. */
export function fernHttpFailure(error: unknown): FernHttpFailure | undefined {
  const status = (error as { statusCode?: unknown } | null | undefined)?.statusCode;
  if (typeof status !== 'number' || status === transportFailureStatus) return undefined;
  const { body, rawResponse } = error as { body?: unknown; rawResponse?: { headers?: Headers } };
  return { status, body, headers: rawResponse?.headers };
}
