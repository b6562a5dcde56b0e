import { failureOf as failure } from '@patchbay/testing/conformance';

export { failure };

// Helpers for this package's tests only (not exported, not bundled: no entry imports it).
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LanguageModel, LanguageModelStreamPart, PatchbayError } from '@patchbay/core';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** The one-message conversation most tests send. */
export const user = [{ role: 'user' as const, content: 'Hi' }];

/** Starts the file's simulators before its tests and closes them after, so no server outlives the file. */
export function serveSimulators(...simulators: Array<{ start(): Promise<unknown>; close(): Promise<unknown> }>): void {
  beforeAll(async () => {
    await Promise.all(simulators.map((simulator) => simulator.start()));
  });
  afterAll(async () => {
    await Promise.all(simulators.map((simulator) => simulator.close()));
  });
}

/**
 * Serves one vendor simulator for the file, and before every test clears its
 * recorded requests and faults and sets the answer the tests expect by default.
 */
export function serveSimulator<R>(
  simulator: { start(): Promise<unknown>; close(): Promise<unknown>; reset(): void; respondWith(response: R): void },
  response: R,
): void {
  serveSimulators(simulator);
  beforeEach(() => {
    simulator.reset();
    simulator.respondWith(response);
  });
}

/** A caller's signal (an abort, not a timeout) that fires after `ms`. */
export function abortAfter(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  return controller.signal;
}

/** Streams `user`, aborts the call at the first text delta, and returns the failure the stream ends with. */
export async function abortMidStream(llm: LanguageModel): Promise<PatchbayError> {
  const controller = new AbortController();
  const result = await llm.stream({ messages: user }, { signal: controller.signal });
  return failure(
    (async () => {
      for await (const part of result.stream) if (part.type === 'text-delta') controller.abort();
    })(),
  );
}

export async function collect(stream: AsyncIterable<LanguageModelStreamPart>): Promise<LanguageModelStreamPart[]> {
  const parts: LanguageModelStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

/** Consumes a stream, keeping the parts that arrived before it failed. */
export async function collectUntilFailure(
  stream: AsyncIterable<LanguageModelStreamPart>,
): Promise<{ parts: LanguageModelStreamPart[]; error: PatchbayError }> {
  const parts: LanguageModelStreamPart[] = [];
  const error = await failure(
    (async () => {
      for await (const part of stream) parts.push(part);
    })(),
  );
  return { parts, error };
}

/**
 * Streams a long, slow answer from `simulator` and breaks out after the first text part: answers whether the
 * server's response closed before it had written the whole answer (the vendor connection was released).
 */
export async function breakOutEarly(
  llm: LanguageModel,
  simulator: {
    server: Server;
    respondWith(response: { text: string; chunkSize: number; intervalMs: number }): unknown;
  },
): Promise<boolean> {
  const closedEarly = new Promise<boolean>((resolve) => {
    simulator.server.once('request', (_request, response) => {
      response.once('close', () => resolve(!response.writableFinished));
    });
  });
  simulator.respondWith({ text: 'word '.repeat(200), chunkSize: 5, intervalMs: 5 });
  const result = await llm.stream({ messages: user });
  for await (const part of result.stream) if (part.type === 'text-delta') break;
  return closedEarly;
}

/**
 * Runs `use` against a loopback server answering with `listener` (for answers no simulator gives: odd 200 bodies, a
 * body that stops halfway), then closes it and every connection it holds.
 */
export async function withLoopbackServer<T>(
  listener: RequestListener,
  use: (baseUrl: string) => Promise<T>,
): Promise<T> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** 200 answers whose body is no completion: each must fail as the vendor's (`unavailable`), never as our bug. */
export const oddSuccessBodies: ReadonlyArray<[string, string, string]> = [
  ['JSON null', 'application/json', 'null'],
  ['an empty JSON object', 'application/json', '{}'],
  ['an HTML page', 'text/html', '<html>bad gateway</html>'],
  ['an empty body', 'application/json', ''],
];

/** Serves one 200 with `body` and answers the failure `call` meets against it (given the server's base URL). */
export function failureOnSuccessBody(
  contentType: string,
  body: string,
  call: (baseUrl: string) => Promise<unknown>,
): Promise<PatchbayError> {
  return withLoopbackServer(
    (_request, response) => {
      response.writeHead(200, { 'content-type': contentType });
      response.end(body);
    },
    (baseUrl) => failure(call(baseUrl)),
  );
}
