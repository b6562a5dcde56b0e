/**
 * The one workaround for Fern-generated SDKs (Deepgram, ElevenLabs), shared by
 * every kind that uses them. Their request layer starts a timeout timer per
 * request and clears it only when fetch resolves, so every aborted or failed
 * request would leave that timer holding the process open. `fernFetch` always
 * resolves — a transport failure becomes a synthetic 599 response — and the
 * real failure is read back from the SDK error with `transportFailureOf`. It
 * uses only the SDKs' public `fetch` option, never their internals.
 *
 * The failure is remembered per synthetic response, not per fetch, so one SDK
 * client may be shared by concurrent calls: the SDK error keeps the response's
 * own `Headers` object (`error.rawResponse.headers`), and a WeakMap keyed by it
 * holds the failure for exactly as long as something still holds that error.
 */
export const transportFailureStatus = 599;

/** Transport failures by the headers of the synthetic response that stands for them; nothing outlives its error. */
const transportFailures = new WeakMap<Headers, { error: unknown }>();

/** A fetch for a Fern SDK client: never rejects, so the SDK always clears its timer. Safe to share across calls. */
export function fernFetch(base: typeof globalThis.fetch = globalThis.fetch): typeof globalThis.fetch {
  const fetch = async (
    input: Parameters<typeof globalThis.fetch>[0],
    init?: Parameters<typeof globalThis.fetch>[1],
  ) => {
    try {
      return await base(input, init);
    } catch (error) {
      const response = new Response(null, { status: transportFailureStatus, statusText: 'Transport failure' });
      transportFailures.set(response.headers, { error });
      return response;
    }
  };
  return fetch as typeof globalThis.fetch;
}

/**
 * The SDK's request timeout for a client using `fernFetch`: a day, so the
 * caller's AbortSignal and the route's attempt timeout bound a request, not the
 * SDK. The timer it starts is cleared as soon as fetch settles, which
 * `fernFetch` makes happen on every path.
 */
export const fernTimeoutSeconds = 24 * 60 * 60;

/** The real transport failure behind a Fern SDK error that `fernFetch` turned into a synthetic 599; else undefined. */
export function transportFailureOf(error: unknown): unknown {
  return syntheticFailure(error)?.error;
}

function syntheticFailure(error: unknown): { error: unknown } | undefined {
  const headers = (error as { rawResponse?: { headers?: unknown } } | null | undefined)?.rawResponse?.headers;
  return typeof headers === 'object' && headers !== null ? transportFailures.get(headers as Headers) : undefined;
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
  if (typeof status !== 'number' || syntheticFailure(error)) return undefined;
  const { body, rawResponse } = error as { body?: unknown; rawResponse?: { headers?: Headers } };
  return { status, body, headers: rawResponse?.headers };
}
