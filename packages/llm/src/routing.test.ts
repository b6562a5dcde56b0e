import { createPatchbay, type Patchbay, type UsageRecord } from '@patchbay/core';
import { createAnthropicSimulator } from '@patchbay/testing/simulators/anthropic';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anthropicLanguageModelFactory } from './anthropic/index.js';
import { openaiLanguageModelFactory } from './openai/index.js';
import { collect, serveSimulators, user } from './shared/test-support.js';

const openai = createOpenAISimulator();
const anthropic = createAnthropicSimulator();

let records: UsageRecord[];
let patchbay: Patchbay;

serveSimulators(openai, anthropic);
beforeEach(() => {
  openai.reset();
  anthropic.reset();
  openai.respondWith({ text: 'from openai', usage: { inputTokens: 10, outputTokens: 2 } });
  anthropic.respondWith({ text: 'from anthropic', usage: { inputTokens: 1000, outputTokens: 200 } });
  records = [];
  patchbay = createPatchbay({
    config: {
      providers: {
        a: {
          kind: 'llm',
          vendor: 'openai',
          settings: { baseURL: `${openai.url}/v1`, apiKey: 'test-key', model: 'gpt-4o-mini' },
        },
        b: {
          kind: 'llm',
          vendor: 'anthropic',
          settings: { baseURL: anthropic.url, apiKey: 'test-key', model: 'claude-sonnet-5-5' },
        },
      },
      routes: { llm: { providers: ['a', 'b'], retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 1 } } },
      pricing: [
        { vendor: 'anthropic', unit: 'input_tokens', price: 3, per: 1_000_000 },
        { vendor: 'anthropic', unit: 'output_tokens', price: 15, per: 1_000_000 },
      ],
    },
    factories: [openaiLanguageModelFactory, anthropicLanguageModelFactory],
    env: {},
    usageSinks: [(record) => records.push(record)],
  });
});
afterEach(() => patchbay.close());

describe('LLM adapters behind the router', () => {
  it('fails over from OpenAI answering 503 to Anthropic, metering every attempt with cost', async () => {
    openai.inject({ type: 'status', status: 503 }, { times: 1, path: '/v1/chat/completions' });
    const result = await patchbay.llm.generate({ messages: user }, { correlationId: 'c-1' });
    expect(result).toMatchObject({ text: 'from anthropic', provider: 'b', vendor: 'anthropic' });
    // A healthy fallback is tried at once (the failover rule); the adapter itself never retries.
    expect(openai.requestsTo('/v1/chat/completions')).toHaveLength(1);
    expect(anthropic.requestsTo('/v1/messages')).toHaveLength(1);

    const failed = records.filter((record) => record.provider === 'a');
    expect(failed.every((record) => record.outcome === 'error' && record.errorCode === 'unavailable')).toBe(true);
    const served = records.filter((record) => record.provider === 'b');
    expect(served).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          unit: 'input_tokens',
          quantity: 1000,
          cost: 0.003,
          currency: 'USD',
          outcome: 'success',
        }),
        expect.objectContaining({
          unit: 'output_tokens',
          quantity: 200,
          cost: 0.003,
          currency: 'USD',
          outcome: 'success',
        }),
      ]),
    );
    expect(served.every((record) => record.correlationId === 'c-1' && record.model === 'claude-sonnet-5-5')).toBe(true);
  });

  it('streams through the router and meters the tokens of the finished stream', async () => {
    const result = await patchbay.llm.stream({ messages: user });
    const parts = await collect(result.stream);
    expect(result.provider).toBe('a');
    expect(parts.at(-1)).toMatchObject({ type: 'finish', usage: { inputTokens: 10, outputTokens: 2 } });
    const success = records.filter((record) => record.outcome === 'success');
    expect(success.map((record) => [record.unit, record.quantity, record.cost])).toEqual([
      ['input_tokens', 10, null],
      ['output_tokens', 2, null],
    ]);
  });

  it('fails a stream over before its first part, and reports a cut after it as stream_cut', async () => {
    openai.inject({ type: 'stream-cut', afterChunks: 0 }, { times: 1 });
    const first = await patchbay.llm.stream({ messages: user });
    expect(first.provider).toBe('b');
    expect((await collect(first.stream)).at(-1)).toMatchObject({ type: 'finish' });

    openai.respondWith({ text: 'one two three four five' });
    openai.inject({ type: 'stream-cut', afterChunks: 3 });
    const cut = await patchbay.llm.stream({ messages: user });
    await expect(collect(cut.stream)).rejects.toMatchObject({ code: 'stream_cut', provider: 'a' });
    expect(records.some((record) => record.provider === 'a' && record.outcome === 'stream_cut')).toBe(true);
  });
});
