import type { Fault } from '@patchbay/testing/simulators/framework';
import { createGeminiSimulator, geminiErrorBody } from '@patchbay/testing/simulators/gemini';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  abortAfter,
  abortMidStream,
  breakOutEarly,
  collect,
  collectUntilFailure,
  failure,
  serveSimulator,
  user,
} from '../shared/test-support.js';
import { tool } from '../tool.js';
import { createGeminiLanguageModel } from './index.js';

const simulator = createGeminiSimulator();
const generatePath = '/v1beta/models/gemini-2.5-flash:generateContent';
const streamPath = '/v1beta/models/gemini-2.5-flash:streamGenerateContent';

function model(overrides: Record<string, unknown> = {}) {
  return createGeminiLanguageModel({
    id: 'gemini-main',
    apiKey: 'test-key',
    baseURL: simulator.url,
    model: 'gemini-2.5-flash',
    env: {},
    ...overrides,
  });
}

serveSimulator(simulator, {
  text: 'Hallo mein Freund',
  usage: { inputTokens: 40, outputTokens: 3, cachedInputTokens: 8 },
});

describe('Gemini language model over the real SDK', () => {
  it('generates text with system instruction, config and usage', async () => {
    const result = await model().generate({
      messages: [{ role: 'system', content: 'Be brief' }, ...user],
      temperature: 0.1,
      maxOutputTokens: 30,
      stopSequences: ['END'],
    });
    expect(result).toMatchObject({
      text: 'Hallo mein Freund',
      finishReason: 'stop',
      provider: 'gemini-main',
      vendor: 'gemini',
      model: 'gemini-2.5-flash',
      usage: { inputTokens: 40, outputTokens: 3, cachedInputTokens: 8 },
    });
    const request = simulator.requestsTo(generatePath)[0];
    expect(request?.headers['x-goog-api-key']).toBe('test-key');
    expect(request?.json).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      systemInstruction: { parts: [{ text: 'Be brief' }] },
      generationConfig: { temperature: 0.1, maxOutputTokens: 30, stopSequences: ['END'] },
    });
  });

  it('sends function declarations and parses function calls', async () => {
    simulator.respondWith({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Lima' } }] });
    const result = await model().generate({
      messages: user,
      tools: [tool({ name: 'get_weather', description: 'Weather', parameters: z.object({ city: z.string() }) })],
      toolChoice: { type: 'tool', toolName: 'get_weather' },
    });
    expect(result.finishReason).toBe('tool-calls');
    expect(result.toolCalls).toEqual([{ toolCallId: 'call_0', toolName: 'get_weather', input: { city: 'Lima' } }]);
    const body = simulator.requestsTo(generatePath)[0]?.json as Record<string, unknown>;
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Weather',
            parametersJsonSchema: {
              type: 'object',
              properties: { city: { type: 'string' } },
              required: ['city'],
              additionalProperties: false,
            },
          },
        ],
      },
    ]);
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } });
  });

  it('maps tool results and JSON output', async () => {
    await model().generate({
      messages: [
        ...user,
        { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'f', input: { a: 1 } }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'f', output: 'done' }] },
      ],
      responseFormat: { type: 'json', schema: { type: 'object' } },
    });
    const body = simulator.requestsTo(generatePath)[0]?.json as Record<string, unknown>;
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Hi' }] },
      { role: 'model', parts: [{ functionCall: { id: 'c1', name: 'f', args: { a: 1 } } }] },
      { role: 'user', parts: [{ functionResponse: { id: 'c1', name: 'f', response: { output: 'done' } } }] },
    ]);
    expect(body.generationConfig).toMatchObject({
      responseMimeType: 'application/json',
      responseJsonSchema: { type: 'object' },
    });
  });

  it('streams over SSE: text deltas, usage, finish', async () => {
    const result = await model().stream({ messages: user });
    const parts = await collect(result.stream);
    const usage = { inputTokens: 40, outputTokens: 3, cachedInputTokens: 8 };
    expect(parts).toEqual([
      { type: 'text-delta', delta: 'Hallo ' },
      { type: 'text-delta', delta: 'mein ' },
      { type: 'text-delta', delta: 'Freund' },
      { type: 'usage', usage },
      { type: 'finish', finishReason: 'stop', usage },
    ]);
    expect(simulator.requestsTo(streamPath)[0]?.query.get('alt')).toBe('sse');
  });

  it('streams a function call as start, delta and call', async () => {
    simulator.respondWith({ toolCalls: [{ id: 'fc_1', name: 'search', arguments: { q: 'x' } }] });
    const parts = await collect((await model().stream({ messages: user })).stream);
    expect(parts.slice(0, 3)).toEqual([
      { type: 'tool-call-start', toolCallId: 'fc_1', toolName: 'search' },
      { type: 'tool-call-delta', toolCallId: 'fc_1', argumentsDelta: '{"q":"x"}' },
      { type: 'tool-call', toolCallId: 'fc_1', toolName: 'search', input: { q: 'x' } },
    ]);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('merges providerOptions.gemini into the SDK config: nested values reach the request verbatim', async () => {
    // The options join the SDK's GenerateContentConfig, so the SDK files each under its wire location.
    const gemini = {
      thinkingConfig: { thinkingBudget: 0, includeThoughts: false },
      safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }],
    };
    await model().generate({ messages: user, providerOptions: { gemini } });
    await collect((await model().stream({ messages: user, providerOptions: { gemini } })).stream);
    for (const path of [generatePath, streamPath]) {
      const body = simulator.requestsTo(path)[0]?.json as { generationConfig?: unknown; safetySettings?: unknown };
      expect(body.generationConfig).toEqual({ thinkingConfig: gemini.thinkingConfig });
      expect(body.safetySettings).toEqual(gemini.safetySettings);
    }
  });

  // providerOptions.gemini goes into the @google/genai SDK's config, whose converter places the fields it models
  // on the wire and drops any other key (the README says so). If a new SDK passes unknown keys on, this fails and
  // the README's sentence is out of date.
  it('a providerOptions.gemini key the SDK does not model does not reach the request', async () => {
    await model().generate({ messages: user, providerOptions: { gemini: { futureField: { nested: { a: 1 } } } } });
    expect(simulator.requestsTo(generatePath)[0]?.json).not.toHaveProperty('futureField');
  });

  it('counts thinking tokens (thoughtsTokenCount) as output, generating and streaming', async () => {
    // On the wire: candidatesTokenCount 3, thoughtsTokenCount 20.
    simulator.respondWith({
      text: 'Hallo mein Freund',
      usage: { inputTokens: 40, outputTokens: 23, cachedInputTokens: 8, reasoningTokens: 20 },
    });
    const usage = { inputTokens: 40, outputTokens: 23, cachedInputTokens: 8 };
    expect((await model().generate({ messages: user })).usage).toEqual(usage);
    const parts = await collect((await model().stream({ messages: user })).stream);
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'stop', usage });
  });

  it('automatic function calling stays off even when providerOptions.gemini switches it on', async () => {
    let calls = 0;
    // A callable tool: with automatic function calling on, the SDK would run it and send a second request.
    const callable = {
      tool: async () => ({ functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: { type: 'object' } }] }),
      callTool: async () => {
        calls++;
        return [{ functionResponse: { name: 'get_weather', response: { output: 'sunny' } } }];
      },
    };
    const gemini = { tools: [callable], automaticFunctionCalling: { disable: false, maximumRemoteCalls: 3 } };
    simulator.enqueue(
      { toolCalls: [{ id: 'fc_1', name: 'get_weather', arguments: { city: 'Oslo' } }] },
      { toolCalls: [{ id: 'fc_2', name: 'get_weather', arguments: { city: 'Oslo' } }] },
    );
    const result = await model().generate({ messages: user, providerOptions: { gemini } });
    expect(result.toolCalls).toEqual([{ toolCallId: 'fc_1', toolName: 'get_weather', input: { city: 'Oslo' } }]);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        type: 'unsupported-setting',
        setting: 'providerOptions.gemini.automaticFunctionCalling',
      }),
    ]);
    const parts = await collect((await model().stream({ messages: user, providerOptions: { gemini } })).stream);
    expect(parts).toContainEqual({
      type: 'tool-call',
      toolCallId: 'fc_2',
      toolName: 'get_weather',
      input: { city: 'Oslo' },
    });
    expect(calls).toBe(0);
    expect(simulator.requestsTo(generatePath)).toHaveLength(1);
    expect(simulator.requestsTo(streamPath)).toHaveLength(1);
  });

  it('automatic continuation stays off even when providerOptions.gemini switches it on', async () => {
    // A resumable answer: with automatic continuation on, the SDK would request the rest with the token.
    const resumable = { text: 'part one', finishReason: 'CONTINUATION', continuationToken: 'ct_1' };
    simulator.respondWith({ text: 'part two' });
    const gemini = { automaticContinuation: true };
    simulator.enqueue(resumable);
    const result = await model().generate({ messages: user, providerOptions: { gemini } });
    expect(result).toMatchObject({ text: 'part one', finishReason: 'other' });
    expect(result.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'providerOptions.gemini.automaticContinuation' }),
    ]);
    simulator.enqueue(resumable);
    const parts = await collect((await model().stream({ messages: user, providerOptions: { gemini } })).stream);
    expect(
      parts
        .filter((part) => part.type === 'text-delta')
        .map((part) => part.delta)
        .join(''),
    ).toBe('part one');
    expect(simulator.requestsTo(generatePath)).toHaveLength(1);
    expect(simulator.requestsTo(streamPath)).toHaveLength(1);
  });

  it('maps a SAFETY finish to content-filter and MAX_TOKENS to length', async () => {
    simulator.enqueue({ text: '', finishReason: 'SAFETY' }, { text: 'cut', finishReason: 'MAX_TOKENS' });
    expect((await model().generate({ messages: user })).finishReason).toBe('content-filter');
    expect(await model().generate({ messages: user })).toMatchObject({ text: 'cut', finishReason: 'length' });
  });

  it('a wrong key (400 API_KEY_INVALID) is auth', async () => {
    const error = await failure(model({ apiKey: 'bad-key-value' }).generate({ messages: user }));
    expect(error).toMatchObject({ code: 'auth', status: 400, vendorCode: 'API_KEY_INVALID' });
  });

  it('reads GEMINI_API_KEY, then GOOGLE_API_KEY', async () => {
    expect(
      (await model({ apiKey: undefined, env: { GOOGLE_API_KEY: 'test-key' } }).generate({ messages: user })).text,
    ).toBe('Hallo mein Freund');
    expect(
      (
        await failure(
          model({ apiKey: undefined, env: { GEMINI_API_KEY: 'nope', GOOGLE_API_KEY: 'test-key' } }).generate({
            messages: user,
          }),
        )
      ).code,
    ).toBe('auth');
  });
});

describe('Gemini error mapping', () => {
  const cases: Array<[string, Fault, string, number | undefined, string | undefined]> = [
    ['401', { type: 'status', status: 401 }, 'auth', 401, 'UNAUTHENTICATED'],
    ['403', { type: 'status', status: 403 }, 'auth', 403, 'PERMISSION_DENIED'],
    ['400', { type: 'status', status: 400 }, 'invalid_request', 400, 'INVALID_ARGUMENT'],
    ['500', { type: 'status', status: 500 }, 'unavailable', 500, 'INTERNAL'],
    ['503', { type: 'status', status: 503 }, 'unavailable', 503, 'UNAVAILABLE'],
    ['reset', { type: 'reset' }, 'connection', undefined, undefined],
    ['malformed', { type: 'malformed' }, 'unavailable', undefined, undefined],
  ];
  for (const [name, fault, code, status, vendorCode] of cases) {
    it(`${name} → ${code}`, async () => {
      simulator.inject(fault);
      const error = await failure(model().generate({ messages: user }));
      expect(error).toMatchObject({ code, provider: 'gemini-main', vendor: 'gemini', status, vendorCode });
      expect(simulator.requestsTo(generatePath)).toHaveLength(1);
    });
  }

  it('429 → rate_limited with retryAfterMs from Retry-After or RetryInfo', async () => {
    simulator.inject({ type: 'status', status: 429, retryAfterSeconds: 2 });
    expect(await failure(model().generate({ messages: user }))).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 2000,
    });
    simulator.enqueue({
      error: {
        status: 429,
        body: geminiErrorBody(429, 'Resource exhausted', [
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' },
        ]),
      },
    });
    expect(await failure(model().generate({ messages: user }))).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 7000,
    });
  });

  it('token limit → context_length', async () => {
    simulator.enqueue({
      error: {
        status: 400,
        body: geminiErrorBody(
          400,
          'The input token count (2000000) exceeds the maximum number of tokens allowed (1048576).',
        ),
      },
    });
    expect((await failure(model().generate({ messages: user }))).code).toBe('context_length');
  });

  it('a blocked prompt (200, promptFeedback.blockReason, no candidate) → content_policy', async () => {
    simulator.respondWith({ promptBlockReason: 'PROHIBITED_CONTENT' });
    const expected = { code: 'content_policy', provider: 'gemini-main', vendorCode: 'PROHIBITED_CONTENT' };
    expect(await failure(model().generate({ messages: user }))).toMatchObject(expected);
    expect(await failure(model().stream({ messages: user }))).toMatchObject(expected);
  });

  it('an in-stream DEADLINE_EXCEEDED before any part keeps timeout; after a part it is stream_cut', async () => {
    simulator.enqueue({ text: 'one two three', streamErrorAfter: 0, streamErrorStatus: 504 });
    expect(await failure(model().stream({ messages: user }))).toMatchObject({
      code: 'timeout',
      vendorCode: 'DEADLINE_EXCEEDED',
    });

    simulator.enqueue({ text: 'one two three', streamErrorAfter: 2, streamErrorStatus: 504 });
    const { parts, error } = await collectUntilFailure((await model().stream({ messages: user })).stream);
    expect(parts.map((part) => part.type)).toEqual(['text-delta', 'text-delta']);
    expect(error).toMatchObject({ code: 'stream_cut', provider: 'gemini-main', vendorCode: 'DEADLINE_EXCEEDED' });
    expect(error.cause).toMatchObject({ code: 'timeout', vendorCode: 'DEADLINE_EXCEEDED' });
  });

  it('hang + abort → aborted', async () => {
    simulator.inject({ type: 'hang' });
    expect((await failure(model().generate({ messages: user }, { signal: abortAfter(30) }))).code).toBe('aborted');
  });

  it('stream cut mid-way → stream_cut', async () => {
    simulator.respondWith({ text: 'one two three four five' });
    simulator.inject({ type: 'stream-cut', afterChunks: 2 });
    const { parts, error } = await collectUntilFailure((await model().stream({ messages: user })).stream);
    expect(error).toMatchObject({ code: 'stream_cut', provider: 'gemini-main' });
    expect(parts.filter((part) => part.type === 'text-delta')).toHaveLength(2);
  });

  it('stream() rejects with the vendor code before any part', async () => {
    simulator.inject({ type: 'status', status: 503 });
    expect((await failure(model().stream({ messages: user }))).code).toBe('unavailable');
  });

  it('abort mid-stream → aborted', async () => {
    simulator.respondWith({ text: 'one two three four five six', intervalMs: 30 });
    expect((await abortMidStream(model())).code).toBe('aborted');
  });
});

describe('Gemini stream release', () => {
  it('stops downloading the answer as soon as the consumer stops reading', async () => {
    expect(await breakOutEarly(model(), simulator)).toBe(true);
  });
});
