// Helpers for this package's tests only (not exported, not bundled: no entry imports it).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The SDK starts a timer per request and clears it only when fetch resolves; both kinds hand it core's
// `fernFetch`, so neither an abort nor a refused connection leaves that timer (a day long) running.

export const activeTimers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

/** A port nothing listens on: connections are refused at once. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Lets the closing socket and the SDK's promise chain run out (no clock involved). */
async function settle(): Promise<void> {
  for (let round = 0; round < 20; round += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** A vendor simulator as these checks use it: it can hang a request and counts what it received. */
interface HangingSimulator {
  url: string;
  requests: readonly unknown[];
  inject(fault: { type: 'hang' }): void;
  close(): Promise<void>;
}

/** Makes a provider of one kind against `baseURL` and returns one call of it. */
export type FernCallFactory = (baseURL: string) => (signal?: AbortSignal) => Promise<unknown>;

/**
 * Checks, for each kind, that neither a refused connection nor an aborted hung request leaves an SDK
 * timer running. `title` names the vendor in the test names, `vendor` is the id on its errors.
 */
export function describeFernTimerChecks(
  title: string,
  vendor: string,
  startSimulator: () => Promise<HangingSimulator>,
  kinds: Record<string, FernCallFactory>,
): void {
  let simulator: HangingSimulator;
  beforeAll(async () => {
    simulator = await startSimulator();
  });
  afterAll(() => simulator.close());

  describe.each(Object.entries(kinds))(`${title} %s leaves no SDK timer behind`, (_kind, create) => {
    it('after a refused connection', async () => {
      const call = create(`http://127.0.0.1:${await closedPort()}`);
      // The first call loads the SDK, so its module-level state is not counted.
      await call().catch(() => {});
      const before = activeTimers();
      const error = await call().catch((caught: unknown) => caught);
      // The real transport failure, read back from the SDK error through `transportFailureOf`.
      expect(error).toMatchObject({ code: 'connection', vendor });
      await settle();
      expect(activeTimers()).toBeLessThanOrEqual(before);
    });

    it('after the caller aborts a hung request', async () => {
      const call = create(simulator.url);
      await call().catch(() => {});
      simulator.inject({ type: 'hang' });
      const before = activeTimers();
      const received = simulator.requests.length;
      const controller = new AbortController();
      const pending = call(controller.signal).catch((caught: unknown) => caught);
      while (simulator.requests.length === received) await new Promise((resolve) => setImmediate(resolve));
      controller.abort();
      expect(await pending).toMatchObject({ code: 'aborted' });
      await settle();
      expect(activeTimers()).toBeLessThanOrEqual(before);
    });
  });
}
