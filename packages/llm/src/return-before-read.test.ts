// A caller that ends a model stream with `return()` before its first `next()` still closes the vendor response:
// the adapter already read the first part, and an async generator that has not started does not run its
// `finally` on `return()`, so the adapter (and the route) release the stream themselves.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createPatchbay, type UsageRecord } from '@patchbay/core';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAILanguageModel, openaiLanguageModelFactory } from './openai/index.js';
import { serveSimulators, user } from './shared/test-support.js';

const openai = createOpenAISimulator();
serveSimulators(openai);

/** The simulator's HTTP responses as they end: `finished` is false for one the client went away from. */
function watchResponses(server: Server) {
  const responses: Array<{ closed: boolean; finished: boolean }> = [];
  const listener = (_request: IncomingMessage, response: ServerResponse) => {
    const entry = { closed: false, finished: false };
    responses.push(entry);
    response.once('close', () => {
      entry.closed = true;
      entry.finished = response.writableFinished;
    });
  };
  server.on('request', listener);
  return { responses, stop: () => server.off('request', listener) };
}

let watched: ReturnType<typeof watchResponses>;
beforeEach(() => {
  openai.reset();
  // A long, paced answer: still being written when the caller lets it go.
  openai.respondWith({ text: 'word '.repeat(2000), intervalMs: 10 });
  watched = watchResponses(openai.server);
});
afterEach(() => watched.stop());

/** Lets the event loop turn until `done()` holds (a bounded number of turns, no clock). */
async function until(done: () => boolean): Promise<void> {
  for (let index = 0; index < 5000 && !done(); index++) await new Promise((resolve) => setImmediate(resolve));
}

const allClosed = () => watched.responses.length > 0 && watched.responses.every((response) => response.closed);

describe('return() before the first read of a model stream', () => {
  it('an adapter’s stream(): the vendor response is cancelled', async () => {
    const llm = createOpenAILanguageModel({ apiKey: 'test-key', baseURL: `${openai.url}/v1`, model: 'gpt-4o-mini' });
    const result = await llm.stream({ messages: user });
    await expect(result.stream[Symbol.asyncIterator]().return?.()).resolves.toMatchObject({ done: true });
    await until(allClosed);
    expect(watched.responses).toEqual([{ closed: true, finished: false }]);
    // The stream is over: a later read is done.
    await expect(result.stream[Symbol.asyncIterator]().next()).resolves.toMatchObject({ done: true });
  });

  it('a routed stream(): the member’s response is cancelled and the call metered as aborted', async () => {
    const records: UsageRecord[] = [];
    const patchbay = createPatchbay({
      config: {
        providers: {
          a: {
            kind: 'llm',
            vendor: 'openai',
            settings: { baseURL: `${openai.url}/v1`, apiKey: 'test-key', model: 'gpt-4o-mini' },
          },
        },
        routes: { llm: { providers: ['a'], retry: { maxRetries: 0 } } },
      },
      factories: [openaiLanguageModelFactory],
      env: {},
      usageSinks: [(record) => records.push(record)],
    });
    const result = await patchbay.llm.stream({ messages: user });
    await result.stream[Symbol.asyncIterator]().return?.();
    await until(() => allClosed() && records.length > 0);
    expect(watched.responses).toEqual([{ closed: true, finished: false }]);
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) expect(record).toMatchObject({ provider: 'a', outcome: 'aborted' });
  });
});
