import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { errorCodeForStatus, httpError, parseRetryAfter } from './http-errors.js';
import { isNetworkTypeError, toPatchbayError } from './normalize-error.js';
import { AllProvidersFailedError, PatchbayError } from './patchbay-error.js';

describe('PatchbayError', () => {
  it('decides retryability from the code unless the vendor says otherwise', () => {
    expect(new PatchbayError({ code: 'rate_limited', message: 'x' }).retryable).toBe(true);
    expect(new PatchbayError({ code: 'auth', message: 'x' }).retryable).toBe(false);
    expect(new PatchbayError({ code: 'invalid_request', message: 'x' }).retryable).toBe(false);
    expect(new PatchbayError({ code: 'unavailable', message: 'x', retryable: false }).retryable).toBe(false);
  });

  it('is recognised across copies by its global brand, not by instanceof', () => {
    const foreign = Object.assign(new Error('from another install'), { [Symbol.for('patchbay.error')]: true });
    expect(PatchbayError.isInstance(foreign)).toBe(true);
    expect(PatchbayError.isInstance(new Error('plain'))).toBe(false);
    expect(PatchbayError.isInstance(null)).toBe(false);
  });

  it('serialises without its cause', () => {
    const error = new PatchbayError({ code: 'auth', message: 'bad key', provider: 'p', cause: new Error('sk-secret') });
    const json = JSON.stringify(error);
    expect(json).toContain('"code":"auth"');
    expect(json).not.toContain('sk-secret');
  });

  it('keeps every attempt when all providers fail', () => {
    const last = new PatchbayError({ code: 'unavailable', message: 'down', provider: 'b' });
    const error = new AllProvidersFailedError({
      route: 'llm',
      attempts: [
        { provider: 'a', vendor: 'x', code: 'timeout', message: 't', durationMs: 5, attempt: 1 },
        { provider: 'b', vendor: 'y', code: 'unavailable', message: 'down', durationMs: 3, attempt: 1 },
      ],
      last,
    });
    expect(error.code).toBe('unavailable');
    expect(error.attempts.map((attempt) => attempt.provider)).toEqual(['a', 'b']);
    expect(error.message).toContain('a: timeout');
    expect(PatchbayError.isInstance(error)).toBe(true);
  });
});

describe('PatchbayError redaction', () => {
  const key = 'sk-CANARY-cause-0123456789';
  // The shape of an HTTP-client error (axios, SDKs): the request's headers and the vendor's echo ride along.
  function clientError(): Error {
    const socket = Object.assign(new Error(`socket hang up while sending ${key}`), { code: 'ECONNRESET' });
    return Object.assign(new Error(`Request failed: Incorrect API key provided: ${key}`, { cause: socket }), {
      name: 'AxiosError',
      code: 'ERR_BAD_REQUEST',
      status: 401,
      config: { headers: { Authorization: `Bearer ${key}`, 'X-Api-Key': 'plain-gateway-secret' } },
      response: { data: { error: { message: `Incorrect API key provided: ${key}` } } },
    });
  }

  it('inspects and serialises a cause that echoes request headers without the secret', () => {
    const error = new PatchbayError({ code: 'auth', message: 'Rejected', provider: 'p', cause: clientError() });
    const shown = [
      inspect(error, { depth: 10 }),
      inspect(error.cause, { depth: 10, showHidden: true }),
      JSON.stringify(error),
      JSON.stringify(error.cause),
      String(error.stack),
      inspect(new AllProvidersFailedError({ route: 'r', attempts: [], last: error }), { depth: 10 }),
    ].join('\n');
    expect(shown).not.toContain(key);
    expect(shown).not.toContain('plain-gateway-secret');
    expect(shown).not.toContain('config');
    // What support needs survives: the cause's name, code and status, and the nested socket code.
    expect(error.cause).toMatchObject({ name: 'AxiosError', code: 'ERR_BAD_REQUEST', status: 401 });
    expect((error.cause as Error).cause).toMatchObject({ code: 'ECONNRESET' });
    expect(shown).toContain('Incorrect API key provided: [redacted]');
  });

  it('keeps the redacted cause when copied to another provider', () => {
    const error = new PatchbayError({ code: 'auth', message: 'Rejected', cause: clientError() }).withProvider('q');
    expect(inspect(error, { depth: 10 })).not.toContain(key);
    expect(error.cause).toMatchObject({ code: 'ERR_BAD_REQUEST' });
  });

  it('scrubs messages, details and attempt messages', () => {
    const error = new PatchbayError({
      code: 'auth',
      message: `Vendor said: Incorrect API key provided: ${key}`,
      details: { body: `{"error":"bad key ${key}"}`, headers: { authorization: 'Bearer abc' }, apiKey: 'plain' },
    });
    const routed = new AllProvidersFailedError({
      route: 'r',
      attempts: [{ provider: 'a', vendor: 'v', code: 'auth', message: `bad ${key}`, durationMs: 1, attempt: 1 }],
      last: error,
    });
    for (const shown of [
      error.message,
      String(error.stack),
      JSON.stringify(error),
      JSON.stringify(routed),
      inspect(routed),
    ]) {
      expect(shown).not.toContain(key);
      expect(shown).not.toContain('Bearer abc');
      expect(shown).not.toContain('plain');
    }
    expect(routed.attempts[0]?.message).toBe('bad [redacted]');
  });

  it('survives a cause whose properties throw', () => {
    const hostile = new Proxy(new Error('x'), {
      get() {
        throw new Error('no');
      },
    });
    const error = new PatchbayError({ code: 'unknown', message: 'Unexpected failure', cause: hostile });
    expect(error.cause).toBe('[unreadable cause]');
  });

  it('keeps the socket code through normalisation', () => {
    const error = toPatchbayError(clientError());
    expect(error.code).toBe('connection');
    expect(inspect(error, { depth: 10 })).not.toContain(key);
  });
});

describe('HTTP mapping', () => {
  it('maps statuses to codes', () => {
    expect(errorCodeForStatus(401)).toBe('auth');
    expect(errorCodeForStatus(403)).toBe('auth');
    expect(errorCodeForStatus(402)).toBe('quota_exceeded');
    expect(errorCodeForStatus(408)).toBe('timeout');
    expect(errorCodeForStatus(429)).toBe('rate_limited');
    expect(errorCodeForStatus(400)).toBe('invalid_request');
    expect(errorCodeForStatus(503)).toBe('unavailable');
  });

  it('reads Retry-After as seconds, as a date and as retry-after-ms', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(parseRetryAfter({ 'retry-after-ms': '150' })).toBe(150);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }, now)).toBe(3000);
    expect(parseRetryAfter({ 'retry-after': 'soon' })).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it('builds an error with status, retry delay and request id', () => {
    const error = httpError({ status: 429, headers: { 'retry-after': '1', 'x-request-id': 'req_1' }, provider: 'p' });
    expect(error).toMatchObject({
      code: 'rate_limited',
      status: 429,
      retryAfterMs: 1000,
      requestId: 'req_1',
      retryable: true,
    });
  });
});

describe('toPatchbayError', () => {
  it('classifies a caller abort and a timeout', () => {
    const aborted = new AbortController();
    aborted.abort();
    expect(toPatchbayError(new Error('x'), { signal: aborted.signal }).code).toBe('aborted');
    const timedOut = new AbortController();
    timedOut.abort(new DOMException('late', 'TimeoutError'));
    expect(toPatchbayError(new Error('x'), { signal: timedOut.signal }).code).toBe('timeout');
  });

  it('classifies socket failures as connection, also when nested in a cause', () => {
    const socket = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(toPatchbayError(new TypeError('fetch failed', { cause: socket })).code).toBe('connection');
  });

  it('attributes an existing PatchbayError to the provider without changing its code', () => {
    const original = new PatchbayError({ code: 'auth', message: 'no' });
    const attributed = toPatchbayError(original, { provider: 'openai-main' });
    expect(attributed.code).toBe('auth');
    expect(attributed.provider).toBe('openai-main');
  });

  it('never copies an unknown error message (it may hold a secret)', () => {
    const error = toPatchbayError(new Error('Bearer sk-live-123'));
    expect(error.code).toBe('unknown');
    expect(error.message).not.toContain('sk-live');
  });
});

describe('network TypeErrors', () => {
  const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });

  it('classifies a property read whose name mentions a socket or network as unknown, not connection', () => {
    for (const message of [
      "Cannot read properties of undefined (reading 'socket')",
      "Cannot read properties of undefined (reading 'networkId')",
      'network.send is not a function',
      'fetch failed to parse the options', // Not a runtime's wording: only whole messages count.
    ]) {
      const error = toPatchbayError(new TypeError(message));
      expect(error.code, message).toBe('unknown');
      expect(isNetworkTypeError(new TypeError(message)), message).toBe(false);
    }
  });

  it('classifies the runtimes’ failed-request TypeErrors as connection, with or without a socket cause', () => {
    expect(toPatchbayError(new TypeError('fetch failed', { cause: refused() }))).toMatchObject({
      code: 'connection',
      message: 'Connection failed (ECONNREFUSED)',
    });
    for (const message of [
      'fetch failed',
      'terminated',
      'Failed to fetch',
      'Load failed',
      'NetworkError when attempting to fetch resource.',
      'Network request failed',
      '  FETCH FAILED ',
    ]) {
      expect(toPatchbayError(new TypeError(message)).code, message).toBe('connection');
      expect(isNetworkTypeError(new TypeError(message)), message).toBe(true);
    }
  });

  it('reads the name, not the class: a redacted summary named TypeError is judged by its message and causes', () => {
    const summary = (message: string, cause?: unknown) =>
      Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { name: 'TypeError' });
    expect(isNetworkTypeError(summary('fetch failed'))).toBe(true);
    expect(isNetworkTypeError(summary("Cannot read properties of undefined (reading 'socket')"))).toBe(false);
    // A socket code anywhere in the cause chain makes any TypeError a network failure.
    expect(isNetworkTypeError(summary('request aborted', new Error('wrapped', { cause: refused() })))).toBe(true);
    // Only TypeErrors: a plain Error saying `fetch failed` is not judged here.
    expect(isNetworkTypeError(new Error('fetch failed'))).toBe(false);
    expect(isNetworkTypeError(undefined)).toBe(false);
    expect(isNetworkTypeError('fetch failed')).toBe(false);
  });
});
