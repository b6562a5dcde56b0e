// What the core benches call: a fake language model whose `generate` each bench supplies (answer at once, after a
// timer, fail every fifth call…), the answer it gives, and the price table of the realistic configuration.

/** A successful generation, as an adapter returns it. */
export const benchResult = Object.freeze({
  text: 'ok',
  toolCalls: [],
  finishReason: 'stop',
  usage: { inputTokens: 12, outputTokens: 3, cachedInputTokens: 0 },
  provider: 'fast',
  vendor: 'bench',
  model: 'bench-model',
  warnings: [],
});

/** A language model with the bench's `generate`; everything else answers trivially. */
export function benchLanguageModel(id, generate) {
  return {
    specificationVersion: 'v1',
    id,
    kind: 'llm',
    vendor: 'bench',
    capabilities: { streaming: false, tools: false, images: false, jsonOutput: false },
    generate,
    stream: async () => {
      throw new Error('not used');
    },
    test: async () => ({ status: 'connected', healthy: true, message: 'ok', latencyMs: 0, checkedAt: '' }),
    getConfig: () => ({ id }),
    updateConfig: async () => {},
  };
}

/** Prices of the realistic configuration (per million tokens). */
export const benchPricing = [
  { vendor: 'bench', unit: 'input_tokens', price: 2.5, per: 1_000_000 },
  { vendor: 'bench', unit: 'output_tokens', price: 10, per: 1_000_000 },
];
