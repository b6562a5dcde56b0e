// Live transcription latency through the Patchbay router vs the Deepgram SDK used directly, against
// the same local Deepgram simulator. A session opens, sends 2.5 s of 16 kHz PCM (5 words: the
// simulator's whole utterance) and waits for the final result. Reported: the whole cycle (open → final
// → closed) and the figure that matters for a voice agent, last audio chunk → final result.
// The SDK is measured both as a direct user writes it (one client, reused) and with a new client per
// session (what the adapter does, so its share of the difference shows).
// Run after a build: `./run bench stt` (or `node packages/stt/bench/stt-live-latency.bench.mjs`).
// Options (env): BENCH_ROUNDS (default 60 sessions per variant).
import { DeepgramClient } from '@deepgram/sdk';
import { createPatchbay } from '@patchbay/core';
import { deepgramTranscriberFactory } from '@patchbay/stt/deepgram';
import { createDeepgramSimulator } from '@patchbay/testing/simulators/deepgram';
import { roundOrder } from '../../../scripts/round-order.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 60);
const warmupRounds = 5;
const chunk = new Uint8Array(16_000); // 0.5 s of 16 kHz 16-bit mono: one simulated word
const chunks = 5;

const simulator = await createDeepgramSimulator().start();
const patchbay = createPatchbay({
  config: {
    providers: {
      deepgram: { kind: 'stt', vendor: 'deepgram', settings: { apiKey: 'test-key', baseURL: simulator.url } },
    },
    routes: { stt: { providers: ['deepgram'], attemptTimeoutMs: 10_000, deadlineMs: 25_000 } },
  },
  factories: [deepgramTranscriberFactory],
  env: false,
});

function newClient() {
  return new DeepgramClient({
    apiKey: 'test-key',
    environment: { base: simulator.url, production: simulator.wsURL, agent: simulator.wsURL, agentRest: simulator.url },
    maxRetries: 0,
    reconnect: false,
  });
}
const sharedClient = newClient();

/** One session through the router: [cycle ms, last chunk → final ms]. */
async function routed() {
  const started = performance.now();
  const session = await patchbay.stt.transcribeLive({ encoding: 'pcm_s16le', sampleRate: 16_000 });
  const iterator = session.events[Symbol.asyncIterator]();
  for (let index = 0; index < chunks - 1; index++) session.send(chunk);
  const sent = performance.now();
  session.send(chunk);
  let final;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    if (next.value.type === 'transcript' && next.value.isFinal) {
      final = performance.now() - sent;
      break;
    }
  }
  await session.finish();
  await iterator.return?.();
  if (final === undefined) throw new Error('router: no final result');
  return [performance.now() - started, final];
}

/** One session with the SDK directly: [cycle ms, last chunk → final ms]. */
async function direct(client) {
  const started = performance.now();
  const socket = await client.listen.v1.connect({
    model: 'nova-3',
    encoding: 'linear16',
    sample_rate: 16_000,
    interim_results: 'true',
    reconnectAttempts: 0,
  });
  let sent = 0;
  let final;
  const finalReceived = new Promise((resolve) => {
    socket.on('message', (message) => {
      if (message.type === 'Results' && message.is_final && final === undefined) {
        final = performance.now() - sent;
        resolve();
      }
    });
  });
  const closed = new Promise((resolve) => socket.on('close', () => resolve()));
  socket.connect();
  await socket.waitForOpen();
  for (let index = 0; index < chunks - 1; index++) socket.sendMedia(chunk);
  sent = performance.now();
  socket.sendMedia(chunk);
  await finalReceived;
  socket.sendCloseStream({ type: 'CloseStream' });
  await closed;
  return [performance.now() - started, final];
}

const variants = {
  'Patchbay router (realistic route)': routed,
  'Deepgram SDK, one client reused': () => direct(sharedClient),
  'Deepgram SDK, new client per session': () => direct(newClient()),
};
const names = Object.keys(variants);
const samples = Object.fromEntries(names.map((name) => [name, { cycle: [], final: [] }]));
try {
  for (let round = 0; round < warmupRounds + rounds; round++) {
    // Interleaved, in a new order each round, so drift on a shared machine hits every variant alike.
    for (const name of roundOrder(names, round)) {
      const [cycle, final] = await variants[name]();
      if (round < warmupRounds) continue;
      samples[name].cycle.push(cycle);
      samples[name].final.push(final);
    }
  }
} finally {
  patchbay.close();
  await simulator.close();
}

const quantile = (values, share) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
};
const reference = samples[names[1]];
console.log(
  `Deepgram live session on loopback (open, 2.5 s of PCM in 5 chunks, final result, close), Node ${process.version}: ` +
    `${warmupRounds} warm-up rounds, then ${rounds} interleaved rounds (a new order each round), one session per variant each.`,
);
console.table(
  names.map((name) => ({
    variant: name,
    'cycle p50 ms': quantile(samples[name].cycle, 0.5).toFixed(2),
    'last chunk → final p50 ms': quantile(samples[name].final, 0.5).toFixed(3),
    'p90 ms': quantile(samples[name].final, 0.9).toFixed(3),
    'cycle × SDK (reused)': (quantile(samples[name].cycle, 0.5) / quantile(reference.cycle, 0.5)).toFixed(2),
  })),
);
