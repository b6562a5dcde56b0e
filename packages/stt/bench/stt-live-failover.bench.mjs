// What a failover costs a routed live session, against local simulators (so: the library's overhead, not the
// network's). Two measures, each as interleaved rounds of the plain and the failing variant:
//  - at connect: time to an open session on a healthy route vs a route whose primary refuses the upgrade (503)
//    and whose second member opens; the difference is the added time of a failover at connect.
//  - mid-session: from the vendor's reset to the first transcript of the next member (reconnect + replay +
//    recognition of the first replayed word), vs the same first-transcript latency of a fresh session.
// Run after a build: `./run bench stt-live-failover` (or `node packages/stt/bench/stt-live-failover.bench.mjs`).
// Options (env): BENCH_ROUNDS (default 60 per variant).
import { createPatchbay } from '@patchbay/core';
import { deepgramTranscriberFactory } from '@patchbay/stt/deepgram';
import { createDeepgramSimulator } from '@patchbay/testing/simulators/deepgram';
import { roundOrder } from '../../../scripts/round-order.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 60);
const warmupRounds = 5;
const word = new Uint8Array(16_000); // 0.5 s of 16 kHz 16-bit mono: one simulated word

const simulator = await createDeepgramSimulator().start();
const settings = { apiKey: 'test-key', baseURL: simulator.url };
const patchbay = createPatchbay({
  config: {
    providers: {
      primary: { kind: 'stt', vendor: 'deepgram', settings },
      secondary: { kind: 'stt', vendor: 'deepgram', settings },
    },
    routes: {
      single: { providers: ['secondary'], attemptTimeoutMs: 10_000 },
      pair: { providers: ['primary', 'secondary'], attemptTimeoutMs: 10_000, retry: { maxRetries: 0 } },
    },
    // Every primary refusal would otherwise open its breaker and skip the failover being measured.
    defaults: { breaker: { enabled: false } },
  },
  factories: [deepgramTranscriberFactory],
  env: false,
});
const request = { encoding: 'pcm_s16le', sampleRate: 16_000 };

async function openOn(route, refuse) {
  if (refuse) simulator.injectLive({ type: 'status', status: 503 });
  const started = performance.now();
  const session = await patchbay.route(route).transcribeLive(request);
  const elapsed = performance.now() - started;
  session.close();
  return elapsed;
}

/** Sends words until the first transcript; with `cut`, the primary resets at its first result. */
async function firstTranscriptAfter(cut) {
  if (cut) simulator.injectLive({ type: 'cut', afterResults: 0 });
  const session = await patchbay.route(cut ? 'pair' : 'single').transcribeLive(request);
  const iterator = session.events[Symbol.asyncIterator]();
  const started = performance.now();
  session.send(word);
  let next = await iterator.next();
  while (!next.done && next.value.type !== 'transcript') next = await iterator.next();
  const elapsed = performance.now() - started;
  session.close();
  await iterator.return?.();
  if (next.done) throw new Error('no transcript');
  return elapsed;
}

const variants = {
  'open, healthy route': () => openOn('single', false),
  'open, primary refuses (503) → failover': () => openOn('pair', true),
  'first transcript, fresh session': () => firstTranscriptAfter(false),
  'first transcript after a mid-session reset': () => firstTranscriptAfter(true),
};
const names = Object.keys(variants);
const samples = Object.fromEntries(names.map((name) => [name, []]));
try {
  for (let round = 0; round < warmupRounds + rounds; round++) {
    for (const name of roundOrder(names, round)) {
      const elapsed = await variants[name]();
      if (round >= warmupRounds) samples[name].push(elapsed);
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
console.log(
  `Routed live failover on loopback (Deepgram simulator), Node ${process.version}: ${warmupRounds} warm-up rounds, ` +
    `then ${rounds} interleaved rounds (a new order each round).`,
);
console.table(
  names.map((name) => ({
    variant: name,
    'p50 ms': quantile(samples[name], 0.5).toFixed(2),
    'p95 ms': quantile(samples[name], 0.95).toFixed(2),
  })),
);
const added = (failing, plain) =>
  `${(quantile(samples[failing], 0.5) - quantile(samples[plain], 0.5)).toFixed(2)} ms (p50)`;
console.log(`failover at connect adds ${added(names[1], names[0])}`);
console.log(`a mid-session reset delays the next transcript by ${added(names[3], names[2])}`);
