// Streamed time-to-first-token and throughput: the `openai` SDK used directly, the
// Patchbay OpenAI adapter alone, and the adapter behind the router (`createPatchbay`),
// all against the same OpenAI simulator on 127.0.0.1. Bounded: stops by itself.
// Run after a build: `pnpm bench llm` (or `node packages/llm/bench/streaming.bench.mjs`).
// Options (env): BENCH_ITERATIONS (default 200), BENCH_WORDS (default 64).
import { performance } from 'node:perf_hooks';
import { createPatchbay } from '@patchbay/core';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import OpenAI from 'openai';
import { roundOrder } from '../../../scripts/round-order.mjs';
import { createOpenAILanguageModel, openaiLanguageModelFactory } from '../dist/openai/index.js';

const iterations = Number(process.env.BENCH_ITERATIONS ?? 200);
const warmup = Math.min(20, Math.ceil(iterations / 10));
const words = Number(process.env.BENCH_WORDS ?? 64);
const text = Array.from({ length: words }, (_, index) => `word${index}`).join(' ');
const messages = [{ role: 'user', content: 'Stream something.' }];

const simulator = createOpenAISimulator({ response: { text, usage: { inputTokens: 12, outputTokens: words } } });
await simulator.start();
const baseURL = `${simulator.url}/v1`;

const sdk = new OpenAI({ apiKey: 'test-key', baseURL, maxRetries: 0, organization: null, project: null });
const adapter = createOpenAILanguageModel({ apiKey: 'test-key', baseURL, model: 'gpt-4o-mini', env: {} });
const patchbay = createPatchbay({
  config: {
    providers: {
      main: { kind: 'llm', vendor: 'openai', settings: { apiKey: 'test-key', baseURL, model: 'gpt-4o-mini' } },
    },
  },
  factories: [openaiLanguageModelFactory],
  env: {},
});

/** Each runner streams one answer and returns [time to first text, total time, text deltas] in ms. */
const runners = {
  'openai SDK directly': async () => {
    const started = performance.now();
    let first;
    let deltas = 0;
    const stream = await sdk.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta?.content) {
        first ??= performance.now() - started;
        deltas++;
      }
    }
    return [first, performance.now() - started, deltas];
  },
  'Patchbay adapter': async () => streamParts(() => adapter.stream({ messages })),
  'Patchbay router (createPatchbay)': async () => streamParts(() => patchbay.llm.stream({ messages })),
};

async function streamParts(open) {
  const started = performance.now();
  let first;
  let deltas = 0;
  const result = await open();
  for await (const part of result.stream) {
    if (part.type === 'text-delta') {
      first ??= performance.now() - started;
      deltas++;
    }
  }
  return [first, performance.now() - started, deltas];
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const samples = Object.fromEntries(Object.keys(runners).map((name) => [name, { first: [], total: [], deltas: 0 }]));
try {
  for (let round = 0; round < warmup + iterations; round++) {
    // Interleaved, in a new order each round, so drift (GC, CPU contention, connection reuse) hits every
    // runner alike.
    for (const name of roundOrder(Object.keys(runners), round)) {
      const run = runners[name];
      const [first, total, deltas] = await run();
      if (deltas !== words) throw new Error(`${name}: expected ${words} deltas, got ${deltas}`);
      if (round < warmup) continue;
      samples[name].first.push(first);
      samples[name].total.push(total);
      samples[name].deltas += deltas;
    }
  }
} finally {
  patchbay.close();
  await simulator.close();
}

const rows = Object.entries(samples).map(([name, sample]) => {
  const seconds = sample.total.reduce((sum, value) => sum + value, 0) / 1000;
  return {
    runner: name,
    'TTFT p50 (ms)': percentile(sample.first, 50).toFixed(3),
    'TTFT p95 (ms)': percentile(sample.first, 95).toFixed(3),
    'stream p50 (ms)': percentile(sample.total, 50).toFixed(3),
    'deltas/s': Math.round(sample.deltas / seconds),
    'stream p50 × SDK': (percentile(sample.total, 50) / percentile(samples['openai SDK directly'].total, 50)).toFixed(
      2,
    ),
  };
});
console.log(
  `Streaming ${words} text deltas per answer over loopback, Node ${process.version}: ${warmup} warm-up rounds, then ` +
    `${iterations} interleaved rounds (a new order each round), one stream per runner each; percentiles over rounds.`,
);
console.table(rows);
const direct = percentile(samples['openai SDK directly'].first, 50);
const routed = percentile(samples['Patchbay router (createPatchbay)'].first, 50);
console.log(`Router TTFT overhead over the SDK (p50): ${(routed - direct).toFixed(3)} ms`);
