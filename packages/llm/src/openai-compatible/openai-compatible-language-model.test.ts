import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { beforeEach, describe, expect, it } from 'vitest';
import { collect, failure, serveSimulators, user } from '../shared/test-support.js';
import { createOpenAICompatibleLanguageModel, openaiCompatibleLanguageModelFactory } from './index.js';

// A local server (Ollama, vLLM) that takes no key, and a hosted one (Groq-style) that does.
const local = createOpenAISimulator({ requireKey: false, models: ['llama3.2'] });
const hosted = createOpenAISimulator({ apiKeys: ['gsk-test'] });

serveSimulators(local, hosted);
beforeEach(() => {
  local.reset();
  hosted.reset();
});

describe('OpenAI-compatible language model', () => {
  it('talks to a key-less server without an Authorization header', async () => {
    local.respondWith({ text: 'local answer', usage: { inputTokens: 4, outputTokens: 2 } });
    const llm = createOpenAICompatibleLanguageModel({ baseURL: `${local.url}/v1`, model: 'llama3.2', env: {} });
    const result = await llm.generate({ messages: user, maxOutputTokens: 20 });
    expect(result).toMatchObject({
      text: 'local answer',
      provider: 'openai-compatible',
      vendor: 'openai-compatible',
      model: 'llama3.2',
      usage: { inputTokens: 4, outputTokens: 2, cachedInputTokens: 0 },
    });
    const request = local.requestsTo('/v1/chat/completions')[0];
    expect(request?.headers.authorization).toBeUndefined();
    // Compatible servers get the classic field name.
    expect(request?.json).toMatchObject({ max_tokens: 20 });
    expect(request?.json).not.toHaveProperty('max_completion_tokens');
  });

  it('sends a key from OPENAI_COMPATIBLE_API_KEY when the server needs one', async () => {
    const llm = createOpenAICompatibleLanguageModel({
      baseURL: `${hosted.url}/v1`,
      model: 'llama-3.3-70b',
      env: { OPENAI_COMPATIBLE_API_KEY: 'gsk-test' },
    });
    expect((await llm.generate({ messages: user })).text).toBe('Hello from the simulator.');
    expect(hosted.requestsTo('/v1/chat/completions')[0]?.headers.authorization).toBe('Bearer gsk-test');
    const wrong = createOpenAICompatibleLanguageModel({
      baseURL: `${hosted.url}/v1`,
      model: 'x',
      apiKey: 'nope',
      env: {},
    });
    expect((await failure(wrong.generate({ messages: user }))).code).toBe('auth');
  });

  it('streams and accepts a server that sends no usage chunk', async () => {
    const llm = createOpenAICompatibleLanguageModel({ baseURL: `${local.url}/v1`, model: 'llama3.2', env: {} });
    local.respondWith({ text: 'a b c' });
    const parts = await collect((await llm.stream({ messages: user })).stream);
    expect(parts.filter((part) => part.type === 'text-delta').map((part) => part.delta)).toEqual(['a ', 'b ', 'c']);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
  });

  it('a cut stream is still stream_cut', async () => {
    const llm = createOpenAICompatibleLanguageModel({ baseURL: `${local.url}/v1`, model: 'llama3.2', env: {} });
    local.respondWith({ text: 'one two three four' });
    local.inject({ type: 'stream-cut', afterChunks: 2 });
    const result = await llm.stream({ messages: user });
    const error = await failure(collect(result.stream));
    expect(error).toMatchObject({ code: 'stream_cut', vendor: 'openai-compatible' });
  });

  it('requires baseURL, and the factory builds it from configuration', async () => {
    expect(() =>
      openaiCompatibleLanguageModelFactory.create({ id: 'x', settings: { model: 'm' }, runtime: { env: false } }),
    ).toThrow(/baseURL/);
    const built = openaiCompatibleLanguageModelFactory.create({
      id: 'ollama',
      settings: { baseURL: `${local.url}/v1`, model: 'llama3.2' },
      runtime: { env: false },
    });
    expect(await built.test()).toMatchObject({ status: 'connected' });
    expect(local.requestsTo('/v1/models')).toHaveLength(1);
  });
});
