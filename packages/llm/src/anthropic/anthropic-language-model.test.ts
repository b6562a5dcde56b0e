import { createAnthropicSimulator } from '@patchbay/testing/simulators/anthropic';
import type { Fault } from '@patchbay/testing/simulators/framework';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  abortAfter,
  abortMidStream,
  breakOutEarly,
  collect,
  collectUntilFailure,
  failure,
  failureOnSuccessBody,
  oddSuccessBodies,
  serveSimulator,
  user,
} from '../shared/test-support.js';
import { tool } from '../tool.js';
import { createAnthropicLanguageModel } from './index.js';

const simulator = createAnthropicSimulator();

function model(overrides: Record<string, unknown> = {}) {
  return createAnthropicLanguageModel({
    id: 'claude',
    apiKey: 'test-key',
    baseURL: simulator.url,
    model: 'claude-sonnet-5-5',
    env: {},
    ...overrides,
  });
}

serveSimulator(simulator, {
  text: 'Bonjour mon ami',
  usage: { inputTokens: 30, outputTokens: 3, cachedInputTokens: 10 },
});

describe('Anthropic language model over the real SDK', () => {
  it('generates text with system prompt, max_tokens and usage incl. cache reads', async () => {
    const result = await model().generate({
      messages: [{ role: 'system', content: 'Be kind' }, ...user],
      stopSequences: ['END'],
    });
    expect(result).toMatchObject({
      text: 'Bonjour mon ami',
      finishReason: 'stop',
      provider: 'claude',
      vendor: 'anthropic',
      model: 'claude-sonnet-5-5',
      usage: { inputTokens: 30, outputTokens: 3, cachedInputTokens: 10 },
      responseId: expect.stringMatching(/^msg_/),
    });
    const request = simulator.requestsTo('/v1/messages')[0];
    // SDK 1.x sends the key as a bearer token; the API accepts it like x-api-key.
    expect(request?.headers.authorization).toBe('Bearer test-key');
    expect(request?.headers['x-stainless-retry-count']).toBe('0');
    expect(request?.json).toEqual({
      model: 'claude-sonnet-5-5',
      system: 'Be kind',
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 4096,
      stop_sequences: ['END'],
      stream: false,
    });
  });

  it('adds cache writes, like cache reads, into inputTokens; cachedInputTokens stays the reads', async () => {
    // On the wire: input_tokens 12, cache_read_input_tokens 10, cache_creation_input_tokens 8.
    simulator.respondWith({
      text: 'Bonjour mon ami',
      usage: { inputTokens: 30, outputTokens: 3, cachedInputTokens: 10, cacheWriteInputTokens: 8 },
    });
    const usage = { inputTokens: 30, outputTokens: 3, cachedInputTokens: 10 };
    expect((await model().generate({ messages: user })).usage).toEqual(usage);
    const parts = await collect((await model().stream({ messages: user })).stream);
    expect(parts.filter((part) => part.type === 'usage' || part.type === 'finish')).toEqual([
      { type: 'usage', usage },
      { type: 'finish', finishReason: 'stop', usage },
    ]);
  });

  it('drops topP with a warning, like temperature', async () => {
    const result = await model().generate({ messages: user, topP: 0.9 });
    expect(result.warnings).toEqual([expect.objectContaining({ type: 'unsupported-setting', setting: 'topP' })]);
    expect(simulator.requestsTo('/v1/messages')[0]?.json).not.toHaveProperty('top_p');
  });

  it('JSON output without a schema is a warning, and no output_config is sent', async () => {
    const result = await model().generate({ messages: user, responseFormat: { type: 'json' } });
    expect(result.text).toBe('Bonjour mon ami');
    expect(result.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'responseFormat' }),
    ]);
    expect(simulator.requestsTo('/v1/messages')[0]?.json).not.toHaveProperty('output_config');
  });

  it('drops temperature with a warning instead of failing', async () => {
    const result = await model().generate({ messages: user, temperature: 0.3, maxOutputTokens: 64 });
    expect(result.warnings).toEqual([expect.objectContaining({ type: 'unsupported-setting', setting: 'temperature' })]);
    const body = simulator.requestsTo('/v1/messages')[0]?.json as Record<string, unknown>;
    expect(body.temperature).toBeUndefined();
    expect(body.max_tokens).toBe(64);
  });

  it('sends tools and tool results, and parses tool_use blocks', async () => {
    simulator.respondWith({
      text: 'Let me check.',
      toolCalls: [{ id: 'toolu_1', name: 'get_weather', arguments: { city: 'Oslo' } }],
    });
    const result = await model().generate({
      messages: [
        ...user,
        {
          role: 'assistant',
          content: [{ type: 'tool-call', toolCallId: 'toolu_0', toolName: 'get_weather', input: { city: 'Rome' } }],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'toolu_0', toolName: 'get_weather', output: 'sunny', isError: false },
          ],
        },
      ],
      tools: [tool({ name: 'get_weather', description: 'Weather', parameters: z.object({ city: z.string() }) })],
      toolChoice: 'required',
    });
    expect(result.finishReason).toBe('tool-calls');
    expect(result.text).toBe('Let me check.');
    expect(result.toolCalls).toEqual([{ toolCallId: 'toolu_1', toolName: 'get_weather', input: { city: 'Oslo' } }]);
    const body = simulator.requestsTo('/v1/messages')[0]?.json as Record<string, unknown>;
    expect(body.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Weather',
        input_schema: {
          type: 'object',
          properties: { city: { type: 'string' } },
          required: ['city'],
          additionalProperties: false,
        },
      },
    ]);
    expect(body.tool_choice).toEqual({ type: 'any' });
    expect(body.messages).toEqual([
      { role: 'user', content: 'Hi' },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'toolu_0', name: 'get_weather', input: { city: 'Rome' } }],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_0', content: 'sunny' }] },
    ]);
  });

  it('sends structured output as output_config.format', async () => {
    await model().generate({ messages: user, responseFormat: { type: 'json', schema: { type: 'object' } } });
    expect(simulator.requestsTo('/v1/messages')[0]?.json).toMatchObject({
      output_config: { format: { type: 'json_schema', schema: { type: 'object' } } },
    });
  });

  it('streams text deltas, usage and finish in order', async () => {
    const result = await model().stream({ messages: user });
    const parts = await collect(result.stream);
    const usage = { inputTokens: 30, outputTokens: 3, cachedInputTokens: 10 };
    expect(parts).toEqual([
      { type: 'text-delta', delta: 'Bonjour ' },
      { type: 'text-delta', delta: 'mon ' },
      { type: 'text-delta', delta: 'ami' },
      { type: 'usage', usage },
      { type: 'finish', finishReason: 'stop', usage },
    ]);
  });

  it('streams tool calls from input_json_delta events', async () => {
    simulator.respondWith({ toolCalls: [{ id: 'toolu_7', name: 'search', arguments: { query: 'circuit breakers' } }] });
    const parts = await collect((await model().stream({ messages: user })).stream);
    expect(parts[0]).toEqual({ type: 'tool-call-start', toolCallId: 'toolu_7', toolName: 'search' });
    expect(parts).toContainEqual({
      type: 'tool-call',
      toolCallId: 'toolu_7',
      toolName: 'search',
      input: { query: 'circuit breakers' },
    });
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('merges providerOptions.anthropic verbatim into the request body, generating and streaming', async () => {
    const anthropic = {
      metadata: { user_id: 'user-7' },
      thinking: { type: 'enabled', budget_tokens: 2048 },
      service_tier: 'standard_only',
    };
    await model().generate({ messages: user, providerOptions: { anthropic } });
    await collect((await model().stream({ messages: user, providerOptions: { anthropic } })).stream);
    const [generated, streamed] = simulator.requestsTo('/v1/messages');
    for (const request of [generated, streamed]) {
      const body = request?.json as Record<string, unknown>;
      expect(body.metadata).toEqual(anthropic.metadata);
      expect(body.thinking).toEqual(anthropic.thinking);
      expect(body.service_tier).toBe('standard_only');
    }
    expect(streamed?.json).toMatchObject({ stream: true });
  });

  it('reads ANTHROPIC_API_KEY lazily', async () => {
    const llm = model({ apiKey: undefined, env: { ANTHROPIC_API_KEY: 'test-key' } });
    expect((await llm.generate({ messages: user })).text).toBe('Bonjour mon ami');
    expect((await failure(model({ apiKey: undefined }).generate({ messages: user }))).code).toBe('not_configured');
  });
});

describe('Anthropic error mapping', () => {
  const cases: Array<[string, Fault, string, number | undefined, string | undefined]> = [
    ['401', { type: 'status', status: 401 }, 'auth', 401, 'authentication_error'],
    ['403', { type: 'status', status: 403 }, 'auth', 403, 'permission_error'],
    ['400', { type: 'status', status: 400 }, 'invalid_request', 400, 'invalid_request_error'],
    ['500', { type: 'status', status: 500 }, 'unavailable', 500, 'api_error'],
    ['503', { type: 'status', status: 503 }, 'unavailable', 503, 'api_error'],
    ['529 overloaded', { type: 'status', status: 529 }, 'unavailable', 529, 'overloaded_error'],
    ['reset', { type: 'reset' }, 'connection', undefined, undefined],
    ['malformed', { type: 'malformed' }, 'unavailable', undefined, undefined],
  ];
  for (const [name, fault, code, status, vendorCode] of cases) {
    it(`${name} → ${code}`, async () => {
      simulator.inject(fault);
      const error = await failure(model().generate({ messages: user }));
      expect(error).toMatchObject({ code, provider: 'claude', vendor: 'anthropic', status, vendorCode });
      expect(simulator.requestsTo('/v1/messages')).toHaveLength(1);
    });
  }

  // The adapter reads a 200's body itself (not through the SDK's parse): whatever it holds, the failure is the
  // vendor's (`unavailable`, counted by the breaker), never a TypeError taken for our own bug.
  it.each(oddSuccessBodies)('a 200 carrying %s → unavailable', async (_, contentType, body) => {
    const error = await failureOnSuccessBody(contentType, body, (url) =>
      model({ baseURL: url }).generate({ messages: user }),
    );
    expect(error).toMatchObject({ code: 'unavailable', provider: 'claude', vendor: 'anthropic' });
  });

  it('429 → rate_limited with retryAfterMs', async () => {
    simulator.inject({ type: 'status', status: 429, retryAfterSeconds: 3 });
    expect(await failure(model().generate({ messages: user }))).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 3000,
    });
  });

  it('prompt too long → context_length; billing → quota_exceeded', async () => {
    simulator.enqueue(
      {
        error: {
          status: 400,
          body: {
            type: 'error',
            error: { type: 'invalid_request_error', message: 'prompt is too long: 250000 tokens > 200000 maximum' },
          },
        },
      },
      {
        error: {
          status: 402,
          body: { type: 'error', error: { type: 'billing_error', message: 'credit balance too low' } },
        },
      },
    );
    expect((await failure(model().generate({ messages: user }))).code).toBe('context_length');
    expect((await failure(model().generate({ messages: user }))).code).toBe('quota_exceeded');
  });

  it('413 request_too_large → context_length', async () => {
    simulator.inject({ type: 'status', status: 413 });
    expect(await failure(model().generate({ messages: user }))).toMatchObject({
      code: 'context_length',
      status: 413,
      vendorCode: 'request_too_large',
    });
  });

  it('hang + abort → aborted', async () => {
    simulator.inject({ type: 'hang' });
    const error = await failure(model().generate({ messages: user }, { signal: AbortSignal.timeout(50) }));
    // AbortSignal.timeout reads as a timeout, which is what it is.
    expect(error.code).toBe('timeout');
    simulator.inject({ type: 'hang' });
    expect((await failure(model().generate({ messages: user }, { signal: abortAfter(30) }))).code).toBe('aborted');
  });

  it('stream cut mid-way → stream_cut', async () => {
    simulator.inject({ type: 'stream-cut', afterChunks: 5 });
    const { parts, error } = await collectUntilFailure((await model().stream({ messages: user })).stream);
    expect(error).toMatchObject({ code: 'stream_cut', provider: 'claude' });
    expect(parts.some((part) => part.type === 'finish')).toBe(false);
  });

  it('a stream missing only message_stop → stream_cut', async () => {
    simulator.respondWith({ text: 'a b' });
    // message_start, block start, ping, 2 deltas, block stop, message_delta: cut before message_stop.
    simulator.inject({ type: 'stream-cut', afterChunks: 7 });
    const { error } = await collectUntilFailure((await model().stream({ messages: user })).stream);
    expect(error.code).toBe('stream_cut');
  });

  it('an overloaded error event before any part keeps its code; after parts it is stream_cut', async () => {
    // message_start, content_block_start, ping: no part yet.
    simulator.enqueue({ text: 'a b c', streamErrorAfter: 3 });
    const early = await failure(model().stream({ messages: user }));
    expect(early).toMatchObject({ code: 'unavailable', vendorCode: 'overloaded_error', retryable: true });

    simulator.enqueue({ text: 'a b c', streamErrorAfter: 5 });
    const { parts, error } = await collectUntilFailure((await model().stream({ messages: user })).stream);
    expect(parts.map((part) => part.type)).toEqual(['text-delta', 'text-delta']);
    expect(error).toMatchObject({ code: 'stream_cut', vendorCode: 'overloaded_error' });
  });

  it('a timeout_error event before any part keeps timeout; after a part it is stream_cut, vendor code kept', async () => {
    simulator.enqueue({ text: 'a b c', streamErrorAfter: 3, streamErrorStatus: 504 });
    expect(await failure(model().stream({ messages: user }))).toMatchObject({
      code: 'timeout',
      vendorCode: 'timeout_error',
    });

    simulator.enqueue({ text: 'a b c', streamErrorAfter: 5, streamErrorStatus: 504 });
    const { parts, error } = await collectUntilFailure((await model().stream({ messages: user })).stream);
    expect(parts.map((part) => part.type)).toEqual(['text-delta', 'text-delta']);
    expect(error).toMatchObject({ code: 'stream_cut', provider: 'claude', vendorCode: 'timeout_error' });
    expect(error.cause).toMatchObject({ code: 'timeout', vendorCode: 'timeout_error' });
  });

  it("a caller's AbortSignal.timeout firing mid-stream stays timeout", async () => {
    simulator.respondWith({ text: 'one two three four five six seven eight', intervalMs: 40 });
    const result = await model().stream({ messages: user }, { signal: AbortSignal.timeout(150) });
    const { parts, error } = await collectUntilFailure(result.stream);
    expect(parts.some((part) => part.type === 'text-delta')).toBe(true);
    expect(error.code).toBe('timeout');
  });

  it('abort mid-stream → aborted', async () => {
    simulator.respondWith({ text: 'one two three four five six', intervalMs: 30 });
    expect((await abortMidStream(model())).code).toBe('aborted');
  });
});

describe('Anthropic stream release', () => {
  it('breaking out of the stream closes the request before the answer is sent in full', async () => {
    expect(await breakOutEarly(model(), simulator)).toBe(true);
    expect(simulator.requestsTo('/v1/messages')).toHaveLength(1);
  });
});
