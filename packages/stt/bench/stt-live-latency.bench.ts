/**
 * Live transcription latency, through the Patchbay router vs the Deepgram SDK
 * used directly, against the same local Deepgram simulator.
 *
 * Each iteration opens a session, sends 2.5 s of 16 kHz PCM (5 words: the
 * simulator's whole utterance), and waits for the final result. tinybench
 * reports the whole cycle; the afterAll hook prints the figure that matters
 * for a voice agent: from sending the last audio chunk to receiving the final
 * result. Run: pnpm exec vitest bench --run packages/stt/bench
 */
import { createPatchbay, type Patchbay } from '@patchbay/core';
import { deepgramTranscriberFactory } from '@patchbay/stt/deepgram';
import { createDeepgramSimulator, type DeepgramSimulator } from '@patchbay/testing/simulators/deepgram';
import { afterAll, beforeAll, bench, describe } from 'vitest';

const chunk = new Uint8Array(16_000); // 0.5 s of 16 kHz 16-bit mono: one simulated word
const chunks = 5;
const lastChunkToFinal: Record<string, number[]> = { router: [], sdk: [] };

let simulator: DeepgramSimulator;
let patchbay: Patchbay;

beforeAll(async () => {
  simulator = await createDeepgramSimulator().start();
  patchbay = createPatchbay({
    config: {
      providers: {
        deepgram: { kind: 'stt', vendor: 'deepgram', settings: { apiKey: 'test-key', baseURL: simulator.url } },
      },
    },
    factories: [deepgramTranscriberFactory],
    env: false,
  });
});

afterAll(async () => {
  patchbay.close();
  await simulator.close();
  for (const [name, samples] of Object.entries(lastChunkToFinal)) {
    const sorted = [...samples].sort((a, b) => a - b);
    const at = (quantile: number) => sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] ?? NaN;
    console.info(
      `${name}: last chunk → final result over ${sorted.length} sessions: ` +
        `p50 ${at(0.5).toFixed(3)} ms, p90 ${at(0.9).toFixed(3)} ms, p99 ${at(0.99).toFixed(3)} ms`,
    );
  }
});

describe('live session: open, send 2.5 s, final result', () => {
  bench(
    'through the Patchbay router',
    async () => {
      const session = await patchbay.stt.transcribeLive({ encoding: 'pcm_s16le', sampleRate: 16_000 });
      const iterator = session.events[Symbol.asyncIterator]();
      for (let index = 0; index < chunks - 1; index++) session.send(chunk);
      const sent = performance.now();
      session.send(chunk);
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        if (next.value.type === 'transcript' && next.value.isFinal) break;
      }
      lastChunkToFinal.router?.push(performance.now() - sent);
      await session.finish();
      await iterator.return?.();
    },
    { time: 2_000, iterations: 50 },
  );

  bench(
    'Deepgram SDK directly',
    async () => {
      const { DeepgramClient } = await import('@deepgram/sdk');
      const client = new DeepgramClient({
        apiKey: 'test-key',
        environment: {
          base: simulator.url,
          production: simulator.wsURL,
          agent: simulator.wsURL,
          agentRest: simulator.url,
        },
        reconnect: false,
      });
      const socket = await client.listen.v1.connect({
        model: 'nova-3',
        encoding: 'linear16',
        sample_rate: 16_000,
        interim_results: 'true',
        reconnectAttempts: 0,
      } as never);
      let sent = 0;
      const final = new Promise<void>((resolve) => {
        socket.on('message', (message) => {
          if (message.type === 'Results' && message.is_final) {
            lastChunkToFinal.sdk?.push(performance.now() - sent);
            resolve();
          }
        });
      });
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.connect();
      await socket.waitForOpen();
      for (let index = 0; index < chunks - 1; index++) socket.sendMedia(chunk);
      sent = performance.now();
      socket.sendMedia(chunk);
      await final;
      socket.sendCloseStream({ type: 'CloseStream' });
      await closed;
    },
    { time: 2_000, iterations: 50 },
  );
});
