import { getEventListeners } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
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
  withLoopbackServer,
} from '../shared/test-support.js';
import { tool } from '../tool.js';
import { createOpenAILanguageModel } from './index.js';

const simulator = createOpenAISimulator();

function model(overrides: Record<string, unknown> = {}) {
  return createOpenAILanguageModel({
    id: 'openai-main',
    apiKey: 'test-key',
    baseURL: `${simulator.url}/v1`,
    model: 'gpt-4o-mini',
    env: {},
    ...overrides,
  });
}

serveSimulator(simulator, {
  text: 'Hello there friend',
  usage: { inputTokens: 21, outputTokens: 3, cachedInputTokens: 5 },
});

describe('OpenAI language model over the real SDK', () => {
  it('generates text and reports provider, model and usage', async () => {
    const result = await model().generate({
      messages: [{ role: 'system', content: 'Be brief' }, ...user],
      temperature: 0.2,
      maxOutputTokens: 50,
      stopSequences: ['END'],
    });
    expect(result).toMatchObject({
      text: 'Hello there friend',
      finishReason: 'stop',
      provider: 'openai-main',
      vendor: 'openai',
      model: 'gpt-4o-mini',
      usage: { inputTokens: 21, outputTokens: 3, cachedInputTokens: 5 },
      warnings: [],
    });
    const [request] = simulator.requestsTo('/v1/chat/completions');
    expect(request?.headers.authorization).toBe('Bearer test-key');
    expect(request?.json).toMatchObject({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief' },
        { role: 'user', content: 'Hi' },
      ],
      temperature: 0.2,
      max_completion_tokens: 50,
      stop: ['END'],
    });
    expect(request?.headers['x-stainless-retry-count']).toBe('0');
  });

  it('sends tools and parses the tool calls it gets back', async () => {
    simulator.respondWith({ toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] });
    const result = await model().generate({
      messages: user,
      tools: [tool({ name: 'get_weather', description: 'Weather', parameters: z.object({ city: z.string() }) })],
      toolChoice: { type: 'tool', toolName: 'get_weather' },
    });
    expect(result.finishReason).toBe('tool-calls');
    expect(result.toolCalls).toEqual([{ toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' } }]);
    const body = simulator.requestsTo('/v1/chat/completions')[0]?.json as Record<string, unknown>;
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather',
          parameters: {
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
            additionalProperties: false,
          },
        },
      },
    ]);
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
  });

  it('maps tool results, assistant tool calls, images and JSON output to the wire format', async () => {
    await model().generate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look' },
            { type: 'image', image: new Uint8Array([1, 2]), mimeType: 'image/jpeg' },
          ],
        },
        { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'f', input: { a: 1 } }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'f', output: { ok: true } }] },
      ],
      responseFormat: { type: 'json', schema: { type: 'object' }, name: 'answer' },
    });
    const body = simulator.requestsTo('/v1/chat/completions')[0]?.json as Record<string, unknown>;
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look' },
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AQI=' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: '{"ok":true}' },
    ]);
    expect(body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'answer', schema: { type: 'object' } },
    });
  });

  it('streams parts in order with usage and finish', async () => {
    const result = await model().stream({ messages: user });
    expect(result).toMatchObject({ provider: 'openai-main', vendor: 'openai', model: 'gpt-4o-mini' });
    const parts = await collect(result.stream);
    expect(parts).toEqual([
      { type: 'text-delta', delta: 'Hello ' },
      { type: 'text-delta', delta: 'there ' },
      { type: 'text-delta', delta: 'friend' },
      { type: 'usage', usage: { inputTokens: 21, outputTokens: 3, cachedInputTokens: 5 } },
      { type: 'finish', finishReason: 'stop', usage: { inputTokens: 21, outputTokens: 3, cachedInputTokens: 5 } },
    ]);
    expect(simulator.requestsTo('/v1/chat/completions')[0]?.json).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('streams tool calls as start, argument deltas and the parsed call', async () => {
    simulator.respondWith({ toolCalls: [{ id: 'call_9', name: 'lookup', arguments: { query: 'patchbay routers' } }] });
    const parts = await collect((await model().stream({ messages: user })).stream);
    const types = parts.map((part) => part.type);
    expect(types[0]).toBe('tool-call-start');
    expect(types.filter((type) => type === 'tool-call-delta').length).toBeGreaterThan(1);
    expect(parts).toContainEqual({
      type: 'tool-call',
      toolCallId: 'call_9',
      toolName: 'lookup',
      input: { query: 'patchbay routers' },
    });
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
    const joined = parts
      .filter((part) => part.type === 'tool-call-delta')
      .map((part) => part.argumentsDelta)
      .join('');
    expect(JSON.parse(joined)).toEqual({ query: 'patchbay routers' });
  });

  it('merges providerOptions.openai verbatim into the request body, generating and streaming', async () => {
    const openai = {
      metadata: { run: 'r-42', team: 'blue' },
      prediction: { type: 'content', content: [{ type: 'text', text: 'Hello there' }] },
      reasoning_effort: 'low',
    };
    await model().generate({ messages: user, providerOptions: { openai } });
    await collect((await model().stream({ messages: user, providerOptions: { openai } })).stream);
    const [generated, streamed] = simulator.requestsTo('/v1/chat/completions');
    for (const request of [generated, streamed]) {
      const body = request?.json as Record<string, unknown>;
      expect(body.metadata).toEqual(openai.metadata);
      expect(body.prediction).toEqual(openai.prediction);
      expect(body.reasoning_effort).toBe('low');
    }
    expect(streamed?.json).toMatchObject({ stream: true });
  });

  it('applies providerOptions.openai last: a key there overrides what the adapter set, except stream', async () => {
    const openai = { max_completion_tokens: 7, stream: true };
    await model().generate({ messages: user, maxOutputTokens: 100, providerOptions: { openai } });
    expect(simulator.requestsTo('/v1/chat/completions')[0]?.json).toMatchObject({
      max_completion_tokens: 7,
      stream: false,
    });
  });

  it('when streaming, stream and stream_options stay forced whatever providerOptions.openai says', async () => {
    const openai = { stream: false, stream_options: { include_usage: false }, max_completion_tokens: 7 };
    await collect((await model().stream({ messages: user, providerOptions: { openai } })).stream);
    expect(simulator.requestsTo('/v1/chat/completions')[0]?.json).toMatchObject({
      max_completion_tokens: 7,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('resolves credentials lazily, from the environment when settings have none', async () => {
    const fromEnv = model({ apiKey: undefined, env: { OPENAI_API_KEY: 'test-key' } });
    expect((await fromEnv.generate({ messages: user })).text).toBe('Hello there friend');
    const missing = model({ apiKey: undefined, env: {} });
    expect((await failure(missing.generate({ messages: user }))).code).toBe('not_configured');
  });

  it('applies a rotated key on the next call', async () => {
    const llm = model({ apiKey: 'old-key' });
    expect((await failure(llm.generate({ messages: user }))).code).toBe('auth');
    await llm.updateConfig({ apiKey: 'test-key' });
    expect((await llm.generate({ messages: user })).text).toBe('Hello there friend');
  });
});

describe('OpenAI error mapping', () => {
  const cases: Array<[string, Parameters<typeof simulator.inject>[0], string, number | undefined]> = [
    ['401', { type: 'status', status: 401 }, 'auth', 401],
    ['403', { type: 'status', status: 403 }, 'auth', 403],
    ['400', { type: 'status', status: 400 }, 'invalid_request', 400],
    ['500', { type: 'status', status: 500 }, 'unavailable', 500],
    ['503', { type: 'status', status: 503 }, 'unavailable', 503],
    ['reset', { type: 'reset' }, 'connection', undefined],
    ['malformed', { type: 'malformed' }, 'unavailable', undefined],
  ];
  for (const [name, fault, code, status] of cases) {
    it(`${name} → ${code}`, async () => {
      simulator.inject(fault);
      const error = await failure(model().generate({ messages: user }));
      expect(error).toMatchObject({ code, provider: 'openai-main', vendor: 'openai', status });
      expect(simulator.requestsTo('/v1/chat/completions')).toHaveLength(1);
    });
  }

  // The adapter reads a 200's body itself (not through the SDK's parse): whatever it holds, the failure is the
  // vendor's (`unavailable`, counted by the breaker), never a TypeError taken for our own bug.
  it.each(oddSuccessBodies)('a 200 carrying %s → unavailable', async (_, contentType, body) => {
    const error = await failureOnSuccessBody(contentType, body, (url) =>
      model({ baseURL: `${url}/v1` }).generate({ messages: user }),
    );
    expect(error).toMatchObject({ code: 'unavailable', provider: 'openai-main', vendor: 'openai' });
  });

  it('an abort while the answer is arriving → aborted, and the connection is closed', async () => {
    let closed: Promise<void> | undefined;
    await withLoopbackServer(
      (request, response) => {
        closed = new Promise((resolve) => request.socket.once('close', () => resolve()));
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"id":"chatcmpl-1",');
      },
      async (url) => {
        const controller = new AbortController();
        const pending = failure(
          model({ baseURL: `${url}/v1` }).generate({ messages: user }, { signal: controller.signal }),
        );
        await expect.poll(() => closed !== undefined).toBe(true);
        controller.abort();
        expect((await pending).code).toBe('aborted');
        await closed;
      },
    );
  });

  it('429 → rate_limited with retryAfterMs from Retry-After', async () => {
    simulator.inject({ type: 'status', status: 429, retryAfterSeconds: 2 });
    const error = await failure(model().generate({ messages: user }));
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 2000, status: 429 });
  });

  it('429 insufficient_quota → quota_exceeded, not retryable', async () => {
    simulator.enqueue({
      error: {
        status: 429,
        body: {
          error: {
            message: 'You exceeded your current quota',
            type: 'insufficient_quota',
            param: null,
            code: 'insufficient_quota',
          },
        },
      },
    });
    const error = await failure(model().generate({ messages: user }));
    expect(error).toMatchObject({ code: 'quota_exceeded', retryable: false, vendorCode: 'insufficient_quota' });
  });

  it('context_length_exceeded → context_length; content policy → content_policy', async () => {
    simulator.enqueue(
      {
        error: {
          status: 400,
          body: {
            error: {
              message: 'too long',
              type: 'invalid_request_error',
              param: 'messages',
              code: 'context_length_exceeded',
            },
          },
        },
      },
      {
        error: {
          status: 400,
          body: {
            error: {
              message: 'rejected',
              type: 'invalid_request_error',
              param: null,
              code: 'content_policy_violation',
            },
          },
        },
      },
    );
    expect((await failure(model().generate({ messages: user }))).code).toBe('context_length');
    expect((await failure(model().generate({ messages: user }))).code).toBe('content_policy');
  });

  it('hang + abort → aborted', async () => {
    simulator.inject({ type: 'hang' });
    const error = await failure(model().generate({ messages: user }, { signal: abortAfter(50) }));
    expect(error.code).toBe('aborted');
  });

  it("a caller's abort closes the in-flight HTTP request, not only the call", async () => {
    // A server that never answers and reports when the client hangs up.
    const requests: IncomingMessage[] = [];
    const closed: Promise<void>[] = [];
    await withLoopbackServer(
      (request) => {
        requests.push(request);
        closed.push(new Promise((resolve) => request.socket.once('close', () => resolve())));
      },
      async (url) => {
        const hung = model({ baseURL: `${url}/v1` });
        const controller = new AbortController();
        const pending = failure(hung.generate({ messages: user }, { signal: controller.signal }));
        await expect.poll(() => requests.length).toBe(1);
        controller.abort();
        expect((await pending).code).toBe('aborted');
        await closed[0];
      },
    );
  });

  it('a long-lived caller signal keeps no listener once its calls are over', async () => {
    const longLived = new AbortController();
    for (let call = 0; call < 50; call++) await model().generate({ messages: user }, { signal: longLived.signal });
    const result = await model().stream({ messages: user }, { signal: longLived.signal });
    await collect(result.stream);
    expect(getEventListeners(longLived.signal, 'abort')).toHaveLength(0);
  });

  it('a stream cut mid-way → stream_cut, never a short success', async () => {
    simulator.inject({ type: 'stream-cut', afterChunks: 3 });
    const result = await model().stream({ messages: user });
    const error = await failure(collect(result.stream));
    expect(error).toMatchObject({ code: 'stream_cut', provider: 'openai-main', retryable: true });
  });

  it('a stream that ends at an event boundary without its finish → stream_cut', async () => {
    simulator.respondWith({ text: 'one two three four five' });
    simulator.inject({ type: 'stream-cut', afterChunks: 4 });
    const { parts, error } = await collectUntilFailure((await model().stream({ messages: user })).stream);
    expect(error.code).toBe('stream_cut');
    expect(parts.some((part) => part.type === 'finish')).toBe(false);
  });

  it('a stream cut after the finish chunk but before usage → stream_cut', async () => {
    simulator.respondWith({ text: 'a b' });
    // role, 'a ', 'b', finish: cut before the usage chunk.
    simulator.inject({ type: 'stream-cut', afterChunks: 4 });
    const error = await failure((async () => collect((await model().stream({ messages: user })).stream))());
    expect(error.code).toBe('stream_cut');
  });

  it('stream() rejects with the vendor code when the request fails', async () => {
    simulator.inject({ type: 'status', status: 503 });
    expect((await failure(model().stream({ messages: user }))).code).toBe('unavailable');
  });

  it('abort mid-stream → aborted', async () => {
    simulator.respondWith({ text: 'one two three four five six seven eight', intervalMs: 30 });
    expect((await abortMidStream(model())).code).toBe('aborted');
  });
});

describe('OpenAI stream release', () => {
  it('breaking out of the stream closes the request before the answer is sent in full', async () => {
    expect(await breakOutEarly(model(), simulator)).toBe(true);
    expect(simulator.requestsTo('/v1/chat/completions')).toHaveLength(1);
  });
});

describe('OpenAI settings', () => {
  it('redacts credential-looking headers in getConfig and validates updates atomically', async () => {
    const llm = model({ headers: { Authorization: 'Bearer gateway-secret', 'x-team': 'blue' } });
    expect(llm.getConfig()).toMatchObject({ headers: { Authorization: '[redacted]', 'x-team': 'blue' } });
    await expect(llm.updateConfig({ baseURL: 'not a url' })).rejects.toMatchObject({ code: 'invalid_request' });
    expect(llm.getConfig()).toMatchObject({ baseURL: `${simulator.url}/v1` });
  });
});
