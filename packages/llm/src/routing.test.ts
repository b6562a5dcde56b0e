import { createPatchbay, type Patchbay, type UsageRecord } from '@patchbay/core';
import { createAnthropicSimulator } from '@patchbay/testing/simulators/anthropic';
import { createAzureOpenAISimulator } from '@patchbay/testing/simulators/azure-openai';
import { createBedrockSimulator } from '@patchbay/testing/simulators/bedrock';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anthropicLanguageModelFactory } from './anthropic/index.js';
import { azureOpenaiLanguageModelFactory } from './azure-openai/index.js';
import { bedrockLanguageModelFactory } from './bedrock/index.js';
import { openaiLanguageModelFactory } from './openai/index.js';
import { collect, serveSimulators, user } from './shared/test-support.js';

const openai = createOpenAISimulator();
const anthropic = createAnthropicSimulator();

/** OpenAI as `a`, Anthropic as `b`, on the simulators. */
const providers = () => ({
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
});

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
      providers: providers(),
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
  it.each([
    ['OpenAI', 'a', 'b', () => openai, '/v1/chat/completions'],
    ['Anthropic', 'b', 'a', () => anthropic, '/v1/messages'],
  ] as const)(
    'an attempt timeout ends the hung %s request on the wire, then fails over',
    async (_vendor, first, second, simulatorOf, path) => {
      const simulator = simulatorOf();
      const timed = createPatchbay({
        config: {
          providers: providers(),
          routes: { llm: { providers: [first, second], attemptTimeoutMs: 250 } },
        },
        factories: [openaiLanguageModelFactory, anthropicLanguageModelFactory],
        env: {},
      });
      try {
        // One served call first: the SDK's first import and the client then lie outside the timed attempt, which on
        // a slow machine could otherwise time out before its request reached the simulator at all.
        expect((await timed.llm.generate({ messages: user })).provider).toBe(first);
        simulator.inject({ type: 'hang' }, { times: 1, path });
        // The hung request's response closes only when the client gives up on it: the attempt's signal reached fetch.
        const abandoned = new Promise<void>((resolve) =>
          simulator.server.once('request', (_request, response) => response.once('close', () => resolve())),
        );
        const result = await timed.llm.generate({ messages: user });
        expect(result.provider).toBe(second);
        await abandoned;
      } finally {
        timed.close();
      }
    },
  );

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

describe('new vendors behind the router (Azure OpenAI, Bedrock)', () => {
  const azure = createAzureOpenAISimulator({ apiKeys: ['azure-key'] });
  const bedrock = createBedrockSimulator({
    accessKeyIds: ['AKIDROUTING'],
    secretAccessKeys: { AKIDROUTING: 'routing-secret-access-key' },
    region: 'eu-central-1',
  });
  let mixed: Patchbay;
  let mixedRecords: UsageRecord[];

  serveSimulators(azure, bedrock);
  beforeEach(() => {
    azure.reset();
    bedrock.reset();
    azure.respondWith({ text: 'from azure', usage: { inputTokens: 40, outputTokens: 5 } });
    bedrock.respondWith({
      text: 'from bedrock',
      usage: { inputTokens: 2000, outputTokens: 100, cachedInputTokens: 500 },
    });
    mixedRecords = [];
    mixed = createPatchbay({
      config: {
        providers: {
          oa: {
            kind: 'llm',
            vendor: 'openai',
            settings: { baseURL: `${openai.url}/v1`, apiKey: 'test-key', model: 'gpt-4o-mini' },
          },
          br: {
            kind: 'llm',
            vendor: 'bedrock',
            settings: {
              endpoint: bedrock.url,
              region: 'eu-central-1',
              accessKeyId: 'AKIDROUTING',
              secretAccessKey: 'routing-secret-access-key',
              model: 'anthropic.claude-3-5-haiku-20241022-v1:0',
            },
          },
          az: {
            kind: 'llm',
            vendor: 'azure-openai',
            settings: { endpoint: azure.url, apiKey: 'azure-key', deployment: 'gpt-4o-mini' },
          },
          an: {
            kind: 'llm',
            vendor: 'anthropic',
            settings: { baseURL: anthropic.url, apiKey: 'test-key', model: 'claude-sonnet-5-5' },
          },
        },
        routes: {
          toBedrock: { providers: ['oa', 'br'], retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 1 } },
          fromAzure: { providers: ['az', 'an'], retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 1 } },
        },
        pricing: [
          { vendor: 'bedrock', unit: 'input_tokens', price: 0.8, per: 1_000_000 },
          { vendor: 'bedrock', unit: 'cached_input_tokens', price: 0.08, per: 1_000_000 },
          { vendor: 'bedrock', unit: 'output_tokens', price: 4, per: 1_000_000 },
          { vendor: 'azure-openai', unit: 'input_tokens', price: 0.15, per: 1_000_000 },
          { vendor: 'azure-openai', unit: 'output_tokens', price: 0.6, per: 1_000_000 },
          { vendor: 'anthropic', unit: 'input_tokens', price: 3, per: 1_000_000 },
          { vendor: 'anthropic', unit: 'output_tokens', price: 15, per: 1_000_000 },
        ],
      },
      factories: [
        openaiLanguageModelFactory,
        bedrockLanguageModelFactory,
        azureOpenaiLanguageModelFactory,
        anthropicLanguageModelFactory,
      ],
      env: {},
      usageSinks: [(record) => mixedRecords.push(record)],
    });
  });
  afterEach(() => mixed.close());

  const llm = (instance: Patchbay, route: string) => instance.route(route) as Patchbay['llm'];
  const quantities = (provider: string) =>
    mixedRecords
      .filter((record) => record.provider === provider && record.outcome === 'success')
      .map((record) => [record.unit, record.quantity, record.cost === null ? null : Number(record.cost.toFixed(9))]);

  it('fails over from OpenAI (503) to Bedrock, metering cached and uncached input apart with cost', async () => {
    openai.inject({ type: 'status', status: 503 }, { times: 1, path: '/v1/chat/completions' });
    const result = await llm(mixed, 'toBedrock').generate({ messages: user });
    expect(result).toMatchObject({ text: 'from bedrock', provider: 'br', vendor: 'bedrock' });
    expect(bedrock.requestsTo(/\/converse$/)).toHaveLength(1);
    expect(mixedRecords.some((record) => record.provider === 'oa' && record.errorCode === 'unavailable')).toBe(true);
    expect(quantities('br')).toEqual(
      expect.arrayContaining([
        ['input_tokens', 1500, 0.0012],
        ['cached_input_tokens', 500, 0.00004],
        ['output_tokens', 100, 0.0004],
      ]),
    );
  });

  it('fails a stream over from OpenAI to Bedrock before its first part, metering the finished stream', async () => {
    openai.inject({ type: 'stream-cut', afterChunks: 0 }, { times: 1, path: '/v1/chat/completions' });
    const result = await llm(mixed, 'toBedrock').stream({ messages: user });
    expect(result.provider).toBe('br');
    const parts = await collect(result.stream);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', usage: { inputTokens: 2000, outputTokens: 100 } });
    expect(bedrock.requestsTo(/\/converse-stream$/)).toHaveLength(1);
    expect(quantities('br')).toEqual(expect.arrayContaining([['output_tokens', 100, 0.0004]]));
  });

  it('fails over from Azure OpenAI (500) to Anthropic, and streams Azure when healthy', async () => {
    azure.inject({ type: 'status', status: 500 }, { times: 1 });
    const result = await llm(mixed, 'fromAzure').generate({ messages: user });
    expect(result).toMatchObject({ text: 'from anthropic', provider: 'an', vendor: 'anthropic' });
    expect(mixedRecords.some((record) => record.provider === 'az' && record.errorCode === 'unavailable')).toBe(true);
    expect(quantities('an')).toEqual(expect.arrayContaining([['input_tokens', 1000, 0.003]]));

    const stream = await llm(mixed, 'fromAzure').stream({ messages: user });
    expect(stream.provider).toBe('az');
    expect((await collect(stream.stream)).at(-1)).toMatchObject({ type: 'finish' });
    expect(quantities('az')).toEqual(
      expect.arrayContaining([
        ['input_tokens', 40, 0.000006],
        ['output_tokens', 5, 0.000003],
      ]),
    );
  });

  it('a Bedrock stream broken by an in-stream exception after its first part is stream_cut, metered as such', async () => {
    bedrock.respondWith({ text: 'one two three four', streamErrorAfter: 3 });
    bedrock.failStreamWith('modelStreamErrorException');
    openai.inject({ type: 'status', status: 503 }, { times: 1, path: '/v1/chat/completions' });
    const result = await llm(mixed, 'toBedrock').stream({ messages: user });
    await expect(collect(result.stream)).rejects.toMatchObject({ code: 'stream_cut', provider: 'br' });
    expect(mixedRecords.some((record) => record.provider === 'br' && record.outcome === 'stream_cut')).toBe(true);
  });
});
