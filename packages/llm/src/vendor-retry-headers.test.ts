// README (packages/llm/README.md, error table): `x-should-retry: true/false` (OpenAI, Anthropic) overrides
// `retryable`, and `retryAfterMs` is read from `retry-after-ms` too. With SDK retries off, a vendor asking
// for a retry still gets exactly one request per call: the router is the only retry owner.
import { createAnthropicSimulator } from '@patchbay/testing/simulators/anthropic';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAnthropicLanguageModel } from './anthropic/index.js';
import { createOpenAILanguageModel } from './openai/index.js';
import { failure, serveSimulators, user } from './shared/test-support.js';

const openai = createOpenAISimulator();
const anthropic = createAnthropicSimulator();
serveSimulators(openai, anthropic);
beforeEach(() => {
  openai.reset();
  anthropic.reset();
});

const vendors = [
  {
    name: 'OpenAI',
    simulator: openai,
    path: '/v1/chat/completions',
    model: () =>
      createOpenAILanguageModel({
        id: 'openai-main',
        apiKey: 'test-key',
        baseURL: `${openai.url}/v1`,
        model: 'gpt-4o-mini',
        env: {},
      }),
  },
  {
    name: 'Anthropic',
    simulator: anthropic,
    path: '/v1/messages',
    model: () =>
      createAnthropicLanguageModel({
        id: 'claude',
        apiKey: 'test-key',
        baseURL: anthropic.url,
        model: 'claude-sonnet-5-5',
        env: {},
      }),
  },
];

describe.each(vendors)('$name retry headers', ({ simulator, path, model }) => {
  it('x-should-retry: false makes a 503 not retryable', async () => {
    simulator.inject({ type: 'status', status: 503, headers: { 'x-should-retry': 'false' } });
    const error = await failure(model().generate({ messages: user }));
    expect(error).toMatchObject({ code: 'unavailable', status: 503, retryable: false });
    expect(simulator.requestsTo(path)).toHaveLength(1);
  });

  it('x-should-retry: true makes a 400 retryable, and the SDK still sends one request', async () => {
    simulator.inject({ type: 'status', status: 400, headers: { 'x-should-retry': 'true' } });
    const error = await failure(model().generate({ messages: user }));
    expect(error).toMatchObject({ code: 'invalid_request', status: 400, retryable: true });
    expect(simulator.requestsTo(path)).toHaveLength(1);
  });

  it('reads retryAfterMs from retry-after-ms', async () => {
    simulator.inject({ type: 'status', status: 429, headers: { 'retry-after-ms': '1500' } });
    const error = await failure(model().generate({ messages: user }));
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 1500 });
    expect(simulator.requestsTo(path)).toHaveLength(1);
  });
});
