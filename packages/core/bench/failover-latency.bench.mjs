// Failover latency when the primary is unreachable, with the DEFAULT configuration (default retry policy and
// breaker). Method: the primary fetches a 127.0.0.1 port nobody listens on (a refused connection: nothing is
// sent); the fallback answers at once. Each sample builds a fresh Patchbay (so the primary's breaker is closed
// and the failover itself is measured), then times, interleaved in a new order each round: the routed call
// (refused primary → fallback), a bare refused fetch, and a direct call to the fallback. Added cost = median(routed) −
// median(refused fetch) − median(direct fallback). Target (issue 10): ≤ 2 ms. Bounded: stops by itself.
// Run after a build: `pnpm bench core` (or `node packages/core/bench/failover-latency.bench.mjs`).
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { roundOrder } from '../../../scripts/round-order.mjs';
import { benchLanguageModel } from './fake-language-model.mjs';

// BENCH_DIST runs the same bench against another build (e.g. the code before a change) for comparison.
const dist = process.env.BENCH_DIST
  ? pathToFileURL(process.env.BENCH_DIST).href
  : new URL('../dist/index.js', import.meta.url).href;
const { createPatchbay, PatchbayError } = await import(dist);
const { defineProviderFactory, toPatchbayError } = await import(new URL('adapter/index.js', dist).href);

const samples = Number(process.env.BENCH_SAMPLES ?? 200);
const warmup = Number(process.env.BENCH_WARMUP ?? 20);

// A port that was free a moment ago: connecting to it is refused.
const closedPort = await new Promise((resolve) => {
  const server = createServer();
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
const refusedUrl = `http://127.0.0.1:${closedPort}/v1/chat/completions`;

const answer = {
  text: 'ok',
  toolCalls: [],
  finishReason: 'stop',
  usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 },
  provider: 'fallback',
  vendor: 'bench',
  model: 'bench-model',
  warnings: [],
};

const refusedCall = async (options) => {
  try {
    await fetch(refusedUrl, { method: 'POST', body: '{}', signal: options?.signal });
  } catch (error) {
    throw toPatchbayError(error, { provider: 'primary', vendor: 'bench' });
  }
  throw new PatchbayError({ code: 'unknown', message: 'expected a refused connection' });
};

const factory = defineProviderFactory({
  kind: 'llm',
  vendor: 'bench',
  create: ({ id }) =>
    benchLanguageModel(id, id === 'primary' ? (_request, options) => refusedCall(options) : async () => answer),
});
const request = { messages: [{ role: 'user', content: 'hi' }] };
const config = {
  providers: { primary: { kind: 'llm', vendor: 'bench' }, fallback: { kind: 'llm', vendor: 'bench' } },
  routes: { llm: { providers: ['primary', 'fallback'] } },
};

const times = { routed: [], refused: [], direct: [] };
const runners = {
  routed: async () => {
    const patchbay = createPatchbay({ config, factories: [factory] });
    const started = performance.now();
    const result = await patchbay.llm.generate(request);
    const elapsed = performance.now() - started;
    patchbay.close();
    if (result.provider !== 'fallback') throw new Error('did not fail over');
    return elapsed;
  },
  refused: async () => {
    const started = performance.now();
    await refusedCall().catch(() => {});
    return performance.now() - started;
  },
  direct: async () => {
    const patchbay = createPatchbay({ config, factories: [factory] });
    const started = performance.now();
    await patchbay.provider('fallback').generate(request);
    const elapsed = performance.now() - started;
    patchbay.close();
    return elapsed;
  },
};
const names = Object.keys(runners);
for (let round = 0; round < warmup + samples; round++) {
  for (const name of roundOrder(names, round)) {
    const elapsed = await runners[name]();
    if (round >= warmup) times[name].push(elapsed);
  }
}

const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))];
console.log(
  `failover latency, default config: ${samples} interleaved samples after ${warmup} warm-up (fresh Patchbay per sample)`,
);
console.table(
  names.map((name) => ({
    measured: {
      routed: 'routed: refused primary → fallback',
      refused: 'bare refused fetch',
      direct: 'fallback called directly',
    }[name],
    'p50 ms': quantile(times[name], 0.5).toFixed(3),
    'p90 ms': quantile(times[name], 0.9).toFixed(3),
  })),
);
const added = quantile(times.routed, 0.5) - quantile(times.refused, 0.5) - quantile(times.direct, 0.5);
console.log(`failover adds ${added.toFixed(3)} ms at p50 over the refused connection itself (target ≤ 2 ms)`);
