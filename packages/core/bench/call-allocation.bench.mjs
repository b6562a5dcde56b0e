// Memory per routed call: what a call allocates, and what a waiting call holds.
// Why: with 10,000 calls in flight, every young-generation scavenge copies what the waiting calls hold, and the
// garbage collector is most of the cost of issuing calls in a burst (see failing-soak.bench.mjs).
// Method, per configuration (cheapest: no timeouts, no prices; realistic: attemptTimeoutMs + deadlineMs and a
// price table), on a zero-latency fake model that reads `options.signal` as an adapter does:
// - allocated per call: V8's sampling heap profiler (64-byte interval, objects later collected included) over
//   20,000 sequential awaited calls after 30,000 warm-up calls; the sampled bytes divided by the calls;
// - held per waiting call: 10,000 calls issued at once against a fake that answers only when released; forced GC
//   before and after issuing (node --expose-gc); the heap difference divided by 10,000. The fake's own pending
//   promise is included in both figures.
// BENCH_BASELINE_DIST=<other build>/index.js measures that build the same way, in the same process.
// Run after a build: `pnpm bench core` (or `node packages/core/bench/call-allocation.bench.mjs`).
import { spawnSync } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { pathToFileURL } from 'node:url';
import { benchLanguageModel, benchPricing, benchResult } from './fake-language-model.mjs';

if (typeof globalThis.gc !== 'function') {
  // Re-run with the collector exposed: a held-heap figure without forced GC is noise.
  const result = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, process.argv[1]], {
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}

const builds = [['this build', new URL('../dist/index.js', import.meta.url).href]];
if (process.env.BENCH_BASELINE_DIST)
  builds.push(['baseline build', pathToFileURL(process.env.BENCH_BASELINE_DIST).href]);

const providers = { fast: { kind: 'llm', vendor: 'bench' }, spare: { kind: 'llm', vendor: 'bench' } };
const configurations = {
  cheapest: { providers, routes: { llm: { providers: ['fast', 'spare'] } } },
  realistic: {
    providers,
    routes: { llm: { providers: ['fast', 'spare'], attemptTimeoutMs: 10_000, deadlineMs: 30_000 } },
    pricing: benchPricing,
  },
};
const request = { messages: [{ role: 'user', content: 'hi' }] };

/** A fake model that reads `options.signal`; while `held.hold`, every answer waits until released. */
function fakeModel(id, held) {
  return benchLanguageModel(id, (_request, options) => {
    options?.signal;
    return held.hold
      ? new Promise((resolve) => held.waiting.push(() => resolve(benchResult)))
      : Promise.resolve(benchResult);
  });
}

async function allocatedPerCall(patchbay) {
  for (let call = 0; call < 30_000; call++) await patchbay.llm.generate(request);
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 64,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  const calls = 20_000;
  for (let call = 0; call < calls; call++) await patchbay.llm.generate(request);
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  let bytes = 0;
  const walk = (node) => {
    bytes += node.selfSize ?? 0;
    for (const child of node.children ?? []) walk(child);
  };
  walk(profile.head);
  return bytes / calls;
}

function heapUsed() {
  for (let round = 0; round < 4; round++) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

async function heldPerWaitingCall(patchbay, held) {
  const calls = 10_000;
  held.hold = true;
  const before = heapUsed();
  const pending = new Array(calls);
  for (let call = 0; call < calls; call++) pending[call] = patchbay.llm.generate(request);
  const after = heapUsed();
  for (const release of held.waiting.splice(0)) release();
  await Promise.all(pending);
  held.hold = false;
  return (after - before) / calls;
}

const rows = [];
for (const [build, url] of builds) {
  const { createPatchbay } = await import(url);
  const { defineProviderFactory } = await import(new URL('adapter/index.js', url).href);
  for (const [name, config] of Object.entries(configurations)) {
    const held = { hold: false, waiting: [] };
    const factory = defineProviderFactory({ kind: 'llm', vendor: 'bench', create: ({ id }) => fakeModel(id, held) });
    const patchbay = createPatchbay({ config, factories: [factory] });
    const allocated = await allocatedPerCall(patchbay);
    const waiting = await heldPerWaitingCall(patchbay, held);
    patchbay.close();
    rows.push({
      build,
      configuration: name,
      'allocated bytes per call': Math.round(allocated),
      'held bytes per waiting call': Math.round(waiting),
    });
  }
}
console.log(
  'Memory per routed call (zero-latency fake that reads options.signal): allocated per call (sampling heap ' +
    'profiler, 20,000 calls) and held per waiting call (10,000 in flight, forced GC before and after)',
);
console.table(rows);
