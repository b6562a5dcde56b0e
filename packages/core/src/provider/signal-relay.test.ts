import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { attemptSignalKey, relayingFetch, SignalRelay } from './signal-relay.js';

/** A fetch that records the init it was given and never answers. */
function recordingFetch() {
  const inits: RequestInit[] = [];
  const fetch = ((_input: unknown, init?: RequestInit) => {
    inits.push(init ?? {});
    return new Promise<Response>(() => {});
  }) as typeof globalThis.fetch;
  return { fetch, inits };
}

describe('SignalRelay', () => {
  it("aborts the request when the call's signal aborts, with the call's reason", () => {
    const { fetch, inits } = recordingFetch();
    const call = new AbortController();
    const relay = new SignalRelay(call.signal);
    const sdk = new AbortController();
    void relayingFetch(fetch)('http://127.0.0.1/x', { ...relay.fetchOptions, method: 'POST', signal: sdk.signal });
    const sent = inits[0] as RequestInit;
    expect(sent.method).toBe('POST');
    expect(Object.getOwnPropertySymbols(sent)).toEqual([]);
    expect(sent.signal).not.toBe(sdk.signal);
    const reason = new DOMException('attempt timed out', 'TimeoutError');
    call.abort(reason);
    expect(sent.signal?.aborted).toBe(true);
    expect(sent.signal?.reason).toBe(reason);
  });

  it("still ends the request when the SDK's own signal aborts", () => {
    const { fetch, inits } = recordingFetch();
    const relay = new SignalRelay(new AbortController().signal);
    const sdk = new AbortController();
    void relayingFetch(fetch)('http://127.0.0.1/x', { ...relay.fetchOptions, signal: sdk.signal });
    sdk.abort(new Error('sdk timeout'));
    expect(inits[0]?.signal?.aborted).toBe(true);
  });

  it('a request started after the abort starts aborted', () => {
    const { fetch, inits } = recordingFetch();
    const call = new AbortController();
    const relay = new SignalRelay(call.signal);
    call.abort();
    void relayingFetch(fetch)('http://127.0.0.1/x', { ...relay.fetchOptions });
    expect(inits[0]?.signal?.aborted).toBe(true);
  });

  it("a single response: an attempt's own signal goes to fetch as it is, with nothing attached to it", () => {
    const { fetch, inits } = recordingFetch();
    const attempt = new AbortController();
    const relay = SignalRelay.forCall({ signal: attempt.signal, [attemptSignalKey]: attempt.signal } as never);
    const sdk = new AbortController();
    void relayingFetch(fetch)('http://127.0.0.1/x', {
      ...relay.responseFetchOptions,
      method: 'POST',
      signal: sdk.signal,
    });
    const sent = inits[0] as RequestInit;
    expect(sent.method).toBe('POST');
    expect(sent.signal).toBe(attempt.signal);
    expect(Object.getOwnPropertySymbols(sent)).toEqual([]);
    expect(getEventListeners(attempt.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(sdk.signal, 'abort')).toHaveLength(0);
    expect(new SignalRelay(undefined).responseFetchOptions).toBeUndefined();
  });

  it("a single response: a caller's own signal is relayed, so fetch keeps no listener on it", () => {
    const { fetch, inits } = recordingFetch();
    const caller = new AbortController();
    const relay = new SignalRelay(caller.signal);
    void relayingFetch(fetch)('http://127.0.0.1/x', {
      ...relay.responseFetchOptions,
      signal: new AbortController().signal,
    });
    const sent = inits[0] as RequestInit;
    expect(sent.signal).not.toBe(caller.signal);
    caller.abort(new Error('stop'));
    expect(sent.signal?.aborted).toBe(true);
    relay.release();
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });

  it('passes a request without a relay through untouched', () => {
    const { fetch, inits } = recordingFetch();
    const init = { method: 'GET', signal: new AbortController().signal };
    void relayingFetch(fetch)('http://127.0.0.1/x', init);
    expect(inits[0]).toBe(init);
    expect(new SignalRelay(undefined).fetchOptions).toBeUndefined();
  });

  it('leaves no listener on a long-lived caller signal once each call is released', () => {
    const { fetch, inits } = recordingFetch();
    const longLived = new AbortController();
    const relayed = relayingFetch(fetch);
    for (let call = 0; call < 1_000; call++) {
      const relay = new SignalRelay(longLived.signal);
      void relayed('http://127.0.0.1/x', { ...relay.fetchOptions });
      expect(getEventListeners(longLived.signal, 'abort').length).toBe(1);
      relay.release();
    }
    expect(getEventListeners(longLived.signal, 'abort').length).toBe(0);
    longLived.abort();
    // Released calls are not aborted by a later abort of the caller's signal: they were over.
    expect(inits.some((init) => init.signal?.aborted)).toBe(false);
  });
});
