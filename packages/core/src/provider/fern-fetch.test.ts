import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createFakeClock } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { activeTimers, closedPort } from '../vendors/fern-timers.test-support.js';
import { fernFetch, fernHttpFailure, transportFailureOf, transportFailureStatus } from './fern-fetch.js';

/**
 * What a Fern SDK's request layer does with the fetch it is given (its
 * `makeRequest` and `toRawResponse`): a timeout timer per request, cleared only
 * once fetch resolves, and an error that keeps the response's own `Headers`.
 */
async function fernRequest(fetch: typeof globalThis.fetch, url: string, signal?: AbortSignal) {
  const timer = setTimeout(() => {}, 60_000);
  const response = await fetch(url, { signal });
  clearTimeout(timer);
  if (response.ok) return response;
  throw Object.assign(new Error(`Status code: ${response.status}`), {
    statusCode: response.status,
    body: await response.text(),
    rawResponse: { headers: response.headers, status: response.status, statusText: response.statusText },
  });
}

const caught = (pending: Promise<unknown>) =>
  pending.then(
    () => expect.unreachable('the request should fail'),
    (error: unknown) => error,
  );

describe('fernFetch', () => {
  it('turns a transport failure into a synthetic 599 whose real failure the SDK error carries', async () => {
    const refused = new TypeError('fetch failed');
    const fetch = fernFetch(async () => {
      throw refused;
    });
    const error = await caught(fernRequest(fetch, 'http://127.0.0.1:1/'));
    expect(error).toMatchObject({ statusCode: transportFailureStatus });
    expect(transportFailureOf(error)).toBe(refused);
    expect(fernHttpFailure(error)).toBeUndefined();
  });

  it('leaves real HTTP answers alone, a vendor 599 included', async () => {
    const fetch = fernFetch(async () => new Response('{"detail":"down"}', { status: 599 }));
    const error = await caught(fernRequest(fetch, 'http://vendor/'));
    expect(transportFailureOf(error)).toBeUndefined();
    expect(fernHttpFailure(error)).toMatchObject({ status: 599, body: '{"detail":"down"}' });
  });

  it('gives each of many concurrent calls on one shared fetch its own failure', async () => {
    // One fetch for every call, as a client cached per key is: failures settle in reverse order of the requests.
    const failures = Array.from({ length: 50 }, (_, index) => new Error(`failure ${index}`));
    const gates = failures.map(() => {
      let resolve = () => {};
      const promise = new Promise<void>((done) => {
        resolve = done;
      });
      return { promise, resolve };
    });
    const fetch = fernFetch(async (input) => {
      const index = Number(new URL(String(input)).pathname.slice(1));
      await gates[index]?.promise;
      if (index % 2 === 0) throw failures[index];
      return new Response('nope', { status: 503 });
    });
    const pending = failures.map((_, index) => caught(fernRequest(fetch, `http://vendor/${index}`)));
    for (const gate of [...gates].reverse()) gate.resolve();
    const errors = await Promise.all(pending);
    errors.forEach((error, index) => {
      if (index % 2 === 0) {
        expect(transportFailureOf(error)).toBe(failures[index]);
        expect(fernHttpFailure(error)).toBeUndefined();
      } else {
        expect(transportFailureOf(error)).toBeUndefined();
        expect(fernHttpFailure(error)?.status).toBe(503);
      }
    });
  });

  it('reads nothing from errors that are not Fern SDK errors', () => {
    for (const error of [
      undefined,
      null,
      'text',
      new Error('x'),
      { rawResponse: null },
      { rawResponse: { headers: 1 } },
    ]) {
      expect(transportFailureOf(error)).toBeUndefined();
    }
    expect(fernHttpFailure({ statusCode: 'x' })).toBeUndefined();
  });

  it('holds no failure once its error is gone (nothing grows with the number of failures)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let collected = 0;
    const registry = new FinalizationRegistry(() => {
      collected += 1;
    });
    const count = 2_000;
    const fetch = fernFetch(async () => {
      const failure = new Error('refused');
      registry.register(failure, undefined);
      throw failure;
    });
    for (let index = 0; index < count; index += 1) {
      // The SDK error (and with it the synthetic response) is dropped at once, as an adapter does after mapping it.
      await caught(fernRequest(fetch, 'http://vendor/'));
    }
    for (let round = 0; round < 10 && collected < count; round += 1) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    // A map that kept failures would keep every one of them; a margin spares the check from GC timing.
    expect(collected).toBeGreaterThan(count * 0.9);
  });

  describe('leaves no SDK timer behind', () => {
    it('after a refused connection', async () => {
      const url = `http://127.0.0.1:${await closedPort()}/`;
      // Real timers here: the runtime's fetch keeps timers of its own, which a fake clock would count too.
      const before = activeTimers();
      const error = await caught(fernRequest(fernFetch(), url));
      expect(transportFailureOf(error)).toMatchObject({ name: 'TypeError' });
      expect(activeTimers()).toBeLessThanOrEqual(before);
    });

    it('after an abort', async () => {
      const controller = new AbortController();
      using clock = createFakeClock({ toFake: ['setTimeout', 'clearTimeout'] });
      // A fetch that only ends when the caller aborts, as a hung vendor does.
      const hung: typeof globalThis.fetch = (_input, init) =>
        new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
      const pending = caught(fernRequest(fernFetch(hung), 'http://vendor/', controller.signal));
      expect(clock.pendingTimers()).toBe(1);
      controller.abort();
      const error = await pending;
      expect(transportFailureOf(error)).toMatchObject({ name: 'AbortError' });
      expect(clock.pendingTimers()).toBe(0);
    });

    it('but a fetch that rejects would leave it (what the workaround is for)', async () => {
      using clock = createFakeClock({ toFake: ['setTimeout', 'clearTimeout'] });
      await caught(
        fernRequest(async () => {
          throw new TypeError('fetch failed');
        }, 'http://vendor/'),
      );
      expect(clock.pendingTimers()).toBe(1);
    });
  });
});
