// Per-call overhead of Patchbay with the configuration production runs (attempt timeout, deadline,
// retries, circuit breaker, price table, usage aggregator, a tenant) against the Vercel AI SDK's
// `generateText` and LangChain's `withFallbacks`, all over the same zero-latency fake model.
// Run after a build: `./run bench benchmarks` (or `node benchmarks/peer-overhead.bench.mjs`).
// Options (env): BENCH_WARMUP_CALLS (default 25000 per variant), BENCH_ROUNDS (default 25),
// BENCH_BATCH (calls per variant per round, default 2000).
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage } from '@langchain/core/messages';
import { createPatchbay } from '@patchbay/core';
import { defineProviderFactory } from '@patchbay/core/adapter';
import { generateText } from 'ai';
import { benchLanguageModel, benchResult } from '../packages/core/bench/fake-language-model.mjs';
import { roundOrder } from '../scripts/round-order.mjs';

const warmupCalls = Number(process.env.BENCH_WARMUP_CALLS ?? 25_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 25);
const batch = Number(process.env.BENCH_BATCH ?? 2_000);

// ---- The fake: answers "ok" at once, the same work for every library. ----------------------------

// The core benches' fake (`packages/core/bench/fake-language-model.mjs`), answering at once.
const fakePatchbayModel = (id) => benchLanguageModel(id, async () => benchResult);

// A hand-made LanguageModelV4 rather than `MockLanguageModelV4` from `ai/test`, which records
// every call in an array (memory growing over 100k calls would tax the AI SDK unfairly).
const aiSdkResult = {
  content: [{ type: 'text', text: 'ok' }],
  finishReason: { unified: 'stop', raw: 'stop' },
  usage: {
    inputTokens: { total: 12, noCache: 12, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 3, text: 3, reasoning: 0 },
  },
  warnings: [],
};
const aiSdkModel = {
  specificationVersion: 'v4',
  provider: 'bench',
  modelId: 'bench-model',
  supportedUrls: {},
  doGenerate: async () => aiSdkResult,
  doStream: async () => {
    throw new Error('not used');
  },
};

class FakeChatModel extends BaseChatModel {
  _llmType() {
    return 'bench';
  }
  async _generate() {
    return {
      generations: [{ text: 'ok', message: new AIMessage('ok') }],
      llmOutput: { tokenUsage: { promptTokens: 12, completionTokens: 3, totalTokens: 15 } },
    };
  }
}

// ---- Each library configured the way its documentation shows for production. ----------------------

const factory = defineProviderFactory({ kind: 'llm', vendor: 'bench', create: ({ id }) => fakePatchbayModel(id) });
const realistic = createPatchbay({
  factories: [factory],
  config: {
    providers: { fast: { kind: 'llm', vendor: 'bench' }, spare: { kind: 'llm', vendor: 'bench' } },
    // As the core README's example: a priority route with an attempt timeout and a deadline; retries
    // (2) and the circuit breaker are on by default.
    routes: {
      llm: { strategy: 'priority', providers: ['fast', 'spare'], attemptTimeoutMs: 10_000, deadlineMs: 25_000 },
    },
    pricing: [
      { vendor: 'bench', model: 'bench-model', unit: 'input_tokens', price: 0.15, per: 1_000_000 },
      { vendor: 'bench', model: 'bench-model', unit: 'output_tokens', price: 0.6, per: 1_000_000 },
    ],
  },
});
const minimal = createPatchbay({
  factories: [factory],
  config: {
    providers: { fast: { kind: 'llm', vendor: 'bench' }, spare: { kind: 'llm', vendor: 'bench' } },
    routes: { llm: { providers: ['fast', 'spare'] } },
  },
});
const tenantView = realistic.tenant('acme');
const direct = realistic.provider('fast');
const patchbayRequest = { messages: [{ role: 'user', content: 'hi' }] };

const langchain = new FakeChatModel({}).withFallbacks([new FakeChatModel({})]);
const langchainInput = [{ role: 'user', content: 'hi' }];

const variants = {
  'fake model called directly (baseline)': () => direct.generate(patchbayRequest),
  'Patchbay, realistic config (timeouts, deadline, retries, breaker, prices, usage, tenant)': () =>
    tenantView.llm.generate(patchbayRequest),
  'Patchbay, cheapest config (no timeouts, no prices)': () => minimal.llm.generate(patchbayRequest),
  'Vercel AI SDK generateText (maxRetries 2, timeout total + step)': () =>
    generateText({ model: aiSdkModel, prompt: 'hi', maxRetries: 2, timeout: { totalMs: 25_000, stepMs: 10_000 } }),
  'LangChain withFallbacks (timeout)': () => langchain.invoke(langchainInput, { timeout: 10_000 }),
};
const realisticName = Object.keys(variants)[1];

async function runBatch(call, count) {
  const started = process.hrtime.bigint();
  for (let index = 0; index < count; index++) await call();
  return Number(process.hrtime.bigint() - started) / 1_000 / count; // µs per call
}

// Sanity: every variant really answers "ok".
const answers = await Promise.all([
  variants[realisticName](),
  generateText({ model: aiSdkModel, prompt: 'hi' }),
  langchain.invoke(langchainInput),
]);
if (answers[0].text !== 'ok' || answers[1].text !== 'ok' || answers[2].content !== 'ok') {
  throw new Error('a variant did not answer "ok"');
}

const started = performance.now();
for (const call of Object.values(variants)) await runBatch(call, warmupCalls);
const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
const names = Object.keys(variants);
for (let round = 0; round < rounds; round++) {
  // Interleaved: each round runs one batch of every variant, in a new order.
  for (const name of roundOrder(names, round)) {
    samples[name].push(await runBatch(variants[name], batch));
  }
}
realistic.close();
minimal.close();

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const baseline = median(samples[names[0]]);
const realisticAdded = median(samples[realisticName]) - baseline;
console.log(
  `Per-call overhead over a zero-latency fake model, Node ${process.version}: ${warmupCalls} warm-up calls per ` +
    `variant, then ${rounds} interleaved rounds (a new order each round) of ${batch} sequential awaited calls per variant; ` +
    `medians of the per-round means. Took ${((performance.now() - started) / 1000).toFixed(0)} s.`,
);
console.table(
  names.map((name) => {
    const perCall = median(samples[name]);
    const added = perCall - baseline;
    return {
      variant: name,
      'µs per call': perCall.toFixed(2),
      'µs added over the fake': name === names[0] ? '' : added.toFixed(2),
      '× Patchbay realistic (added)': name === names[0] ? '' : (added / realisticAdded).toFixed(1),
    };
  }),
);
console.log(
  `Patchbay realistic config adds ${realisticAdded.toFixed(2)} µs per call (target ≤ 3 µs); usage rows kept: ${realistic.usage.size}`,
);
