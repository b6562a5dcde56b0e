// Per-call overhead of a routed call over calling the same zero-latency in-memory provider directly.
// Method: three variants measured side by side in one process — the provider called directly, the router with
// the cheapest configuration (no timeouts), and the router as production runs it (attemptTimeoutMs, deadlineMs,
// default retries and breaker, a price table and the usage aggregator, as in the core README). Each round runs
// every variant for BENCH_CALLS sequential awaited calls, in a new order each round (interleaved, so drift and GC hit
// all alike); after BENCH_WARMUP_ROUNDS warm-up rounds (~20k calls per variant) the median of the measured
// rounds is reported, and the added cost is routed median − direct median. Bounded: stops by itself.
// To compare with an earlier build in the same run, point BENCH_BASELINE_DIST at its dist/index.js: its two
// routed variants join the same interleaved rounds.
// Run after a build: `pnpm bench core` (or `node packages/core/bench/routing-overhead.bench.mjs`).
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { roundOrder } from '../../../scripts/round-order.mjs';
import { defineProviderFactory } from '../dist/adapter/index.js';
import { createPatchbay } from '../dist/index.js';
import { benchLanguageModel, benchPricing, benchResult } from './fake-language-model.mjs';

const baselineUrl = process.env.BENCH_BASELINE_DIST && pathToFileURL(process.env.BENCH_BASELINE_DIST).href;
const baseline = baselineUrl && {
  ...(await import(baselineUrl)),
  ...(await import(new URL('adapter/index.js', baselineUrl).href)),
};

const callsPerRound = Number(process.env.BENCH_CALLS ?? 2_000);
const warmupRounds = Number(process.env.BENCH_WARMUP_ROUNDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 30);

// Reads the signal like a real adapter would hand it to its SDK.
const fastModel = (id) =>
  benchLanguageModel(id, async (_request, options) => {
    options?.signal;
    return benchResult;
  });

const factory = defineProviderFactory({ kind: 'llm', vendor: 'bench', create: ({ id }) => fastModel(id) });
const baselineFactory = baseline?.defineProviderFactory({
  kind: 'llm',
  vendor: 'bench',
  create: ({ id }) => fastModel(id),
});
const providers = { fast: { kind: 'llm', vendor: 'bench' }, spare: { kind: 'llm', vendor: 'bench' } };
const cheapest = createPatchbay({
  config: { providers, routes: { llm: { providers: ['fast', 'spare'] } } },
  factories: [factory],
});
const realistic = createPatchbay({
  config: {
    providers,
    routes: { llm: { providers: ['fast', 'spare'], attemptTimeoutMs: 10_000, deadlineMs: 30_000 } },
    pricing: benchPricing,
  },
  factories: [factory],
});
const realisticConfig = {
  providers,
  routes: { llm: { providers: ['fast', 'spare'], attemptTimeoutMs: 10_000, deadlineMs: 30_000 } },
  pricing: benchPricing,
};
// The realistic config plus a per-tenant request limit and a per-tenant token budget (in-memory store):
// two reserves per call and a settle of the token budget after it.
const limited = createPatchbay({
  config: {
    ...realisticConfig,
    limits: {
      rpm: { tenant: '*', metric: 'requests', max: 1e12, window: 'minute' },
      tokens: { tenant: '*', metric: 'tokens', max: 1e12, window: 'day' },
    },
  },
  factories: [factory],
});
const before = baseline && {
  cheapest: baseline.createPatchbay({
    config: { providers, routes: { llm: { providers: ['fast', 'spare'] } } },
    factories: [baselineFactory],
  }),
  realistic: baseline.createPatchbay({ config: realisticConfig, factories: [baselineFactory] }),
};
const direct = cheapest.provider('fast');
const request = { messages: [{ role: 'user', content: 'hi' }] };

const variants = {
  'direct provider.generate()': () => direct.generate(request),
  'routed, cheapest config': () => cheapest.llm.generate(request),
  'routed, realistic config (timeouts, deadline, retries, breaker, prices, aggregator)': () =>
    realistic.llm.generate(request),
  'routed, realistic config + two per-tenant limits': () => limited.llm.generate(request, { tenant: 'acme' }),
  ...(before && {
    'baseline build: routed, cheapest config': () => before.cheapest.llm.generate(request),
    'baseline build: routed, realistic config': () => before.realistic.llm.generate(request),
  }),
};
const names = Object.keys(variants);
const samples = Object.fromEntries(names.map((name) => [name, []]));

for (let round = 0; round < warmupRounds + rounds; round++) {
  for (const name of roundOrder(names, round)) {
    const run = variants[name];
    const started = performance.now();
    for (let call = 0; call < callsPerRound; call++) await run();
    const perCallUs = ((performance.now() - started) * 1000) / callsPerRound;
    if (round >= warmupRounds) samples[name].push(perCallUs);
  }
}
cheapest.close();
realistic.close();
limited.close();
before?.cheapest.close();
before?.realistic.close();

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const directMedian = median(samples[names[0]]);
console.log(
  `routing overhead: ${rounds} interleaved rounds × ${callsPerRound} calls per variant after ${warmupRounds} warm-up rounds; medians`,
);
console.table(
  names.map((name) => ({
    variant: name,
    'median µs/call': median(samples[name]).toFixed(2),
    'added µs': (median(samples[name]) - directMedian).toFixed(2),
  })),
);
console.log(
  `added with the realistic config: ${(median(samples[names[2]]) - directMedian).toFixed(2)} µs per call (target ≤ 3 µs)`,
);
