import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createElevenLabsSimulator, type ElevenLabsSimulator } from '@patchbay/testing/simulators/elevenlabs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElevenLabsTranscriber } from '../../../../stt/src/elevenlabs/index.js';
import { createElevenLabsSpeechSynthesizer } from '../../../../tts/src/elevenlabs/index.js';

// The SDK starts a timer per request and clears it only when fetch resolves; both kinds hand it core's
// `fernFetch`, so neither an abort nor a refused connection leaves that timer (a day long) running.

const activeTimers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

/** A port nothing listens on: connections are refused at once. */
async function closedPort(): Promise<number> {
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

const audio = new Uint8Array(44);

const kinds = {
  speech: (baseURL: string) => {
    const provider = createElevenLabsSpeechSynthesizer({ apiKey: 'test-key', baseURL, env: {} });
    return (signal?: AbortSignal) => provider.synthesize({ text: 'hello' }, { signal });
  },
  transcription: (baseURL: string) => {
    const provider = createElevenLabsTranscriber({ apiKey: 'test-key', baseURL, env: false });
    return (signal?: AbortSignal) => provider.transcribe({ audio, mimeType: 'audio/wav' }, { signal });
  },
};

let simulator: ElevenLabsSimulator;
beforeAll(async () => {
  simulator = await createElevenLabsSimulator().start();
});
afterAll(() => simulator.close());

describe.each(Object.entries(kinds))('ElevenLabs %s leaves no SDK timer behind', (_kind, create) => {
  it('after a refused connection', async () => {
    const call = create(`http://127.0.0.1:${await closedPort()}`);
    // The first call loads the SDK, so its module-level state is not counted.
    await call().catch(() => {});
    const before = activeTimers();
    const error = await call().catch((caught: unknown) => caught);
    // The real transport failure, read back from the SDK error through `transportFailureOf`.
    expect(error).toMatchObject({ code: 'connection', vendor: 'elevenlabs' });
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
