// Per-call overhead of a routed call over calling the same in-memory provider directly.
// Run after a build: `pnpm bench` (or `node packages/core/bench/routing-overhead.bench.mjs`).
import { Bench } from 'tinybench';
import { createPatchbay, defineProviderFactory } from '../dist/index.js';

const result = {
  text: 'ok',
  toolCalls: [],
  finishReason: 'stop',
  usage: { inputTokens: 12, outputTokens: 3, cachedInputTokens: 0 },
  provider: 'fast',
  vendor: 'bench',
  model: 'bench-model',
  warnings: [],
};

function fastModel(id) {
  return {
    specificationVersion: 'v1',
    id,
    kind: 'llm',
    vendor: 'bench',
    capabilities: { streaming: false, tools: false, images: false, jsonOutput: false },
    generate: async () => result,
    stream: async () => {
      throw new Error('not used');
    },
    test: async () => ({
      status: 'connected',
      healthy: true,
      message: 'ok',
      latencyMs: 0,
      checkedAt: new Date().toISOString(),
    }),
    getConfig: () => ({ id }),
    updateConfig: async () => {},
  };
}

const factory = defineProviderFactory({ kind: 'llm', vendor: 'bench', create: ({ id }) => fastModel(id) });
const patchbay = createPatchbay({
  config: {
    providers: { fast: { kind: 'llm', vendor: 'bench' }, spare: { kind: 'llm', vendor: 'bench' } },
    routes: { llm: { providers: ['fast', 'spare'] } },
    pricing: [{ vendor: 'bench', unit: 'input_tokens', price: 1, per: 1_000_000 }],
  },
  factories: [factory],
});
const direct = patchbay.provider('fast');
const routed = patchbay.llm;
const request = { messages: [{ role: 'user', content: 'hi' }] };

const bench = new Bench({ time: Number(process.env.BENCH_TIME_MS ?? 2000), warmupTime: 500 });
bench
  .add('direct provider.generate()', async () => {
    await direct.generate(request);
  })
  .add('routed patchbay.llm.generate() (breaker + retries + metering)', async () => {
    await routed.generate(request);
  });
await bench.run();
patchbay.close();

const rows = bench.tasks.map((task) => ({
  task: task.name,
  'mean µs': (task.result.latency?.mean ?? task.result.mean) * 1000,
  'p99 µs': (task.result.latency?.p99 ?? task.result.p99) * 1000,
  samples: task.result.latency?.samples?.length ?? task.result.samples?.length,
}));
console.table(
  rows.map((row) => ({ ...row, 'mean µs': row['mean µs'].toFixed(2), 'p99 µs': row['p99 µs'].toFixed(2) })),
);
const added = rows[1]['mean µs'] - rows[0]['mean µs'];
console.log(`routing overhead: ${added.toFixed(2)} µs per call (target < 5 µs), usage rows: ${patchbay.usage.size}`);
