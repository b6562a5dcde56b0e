import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { beforeEach, describe, expect, it } from 'vitest';
import { failure, serveSimulators, user } from '../shared/test-support.js';
import { createOpenAICompatibleLanguageModel, openaiCompatibleLanguageModelFactory } from './index.js';

const hosted = createOpenAISimulator({ apiKeys: ['preset-key'] });
const local = createOpenAISimulator({ requireKey: false, models: ['llama3.2'] });

serveSimulators(hosted, local);
beforeEach(() => {
  hosted.reset();
  local.reset();
});

const hostedPresets = [
  ['groq', 'GROQ_API_KEY', 'https://api.groq.com/openai/v1', 'llama-3.3-70b-versatile'],
  ['mistral', 'MISTRAL_API_KEY', 'https://api.mistral.ai/v1', 'mistral-small-latest'],
  ['together', 'TOGETHER_API_KEY', 'https://api.together.xyz/v1', 'meta-llama/Llama-3.3-70B-Instruct-Turbo'],
  ['deepseek', 'DEEPSEEK_API_KEY', 'https://api.deepseek.com/v1', 'deepseek-chat'],
  ['openrouter', 'OPENROUTER_API_KEY', 'https://openrouter.ai/api/v1', 'openrouter/auto'],
  [
    'fireworks',
    'FIREWORKS_API_KEY',
    'https://api.fireworks.ai/inference/v1',
    'accounts/fireworks/models/llama-v3p1-8b-instruct',
  ],
] as const;

describe('OpenAI-compatible presets', () => {
  it.each(hostedPresets)(
    '%s: key from %s as a Bearer header, default model, and its base URL',
    async (preset, env, baseURL, defaultModel) => {
      const llm = createOpenAICompatibleLanguageModel({
        preset,
        baseURL: `${hosted.url}/v1`,
        env: { [env]: 'preset-key' },
      });
      const result = await llm.generate({ messages: user });
      expect(result).toMatchObject({ provider: preset, vendor: 'openai-compatible', model: defaultModel });
      const [request] = hosted.requestsTo('/v1/chat/completions');
      expect(request?.headers.authorization).toBe('Bearer preset-key');
      expect(request?.json).toMatchObject({ model: defaultModel });

      // Without a baseURL the preset's own is used (seen through `fetch`, no network).
      const urls: string[] = [];
      const offline = createOpenAICompatibleLanguageModel({
        preset,
        env: { [env]: 'preset-key' },
        fetch: async (input: string | URL | Request) => {
          urls.push(input instanceof Request ? input.url : String(input));
          return new Response(JSON.stringify({ error: { message: 'no', type: 'invalid_request_error' } }), {
            status: 401,
          });
        },
      });
      expect((await failure(offline.generate({ messages: user }))).code).toBe('auth');
      expect(urls).toEqual([`${baseURL}/chat/completions`]);
    },
  );

  it.each(hostedPresets)('%s: a missing key is not_configured (naming %s) before any request', async (preset, env) => {
    const llm = createOpenAICompatibleLanguageModel({
      preset,
      baseURL: `${hosted.url}/v1`,
      // Another preset's variable or the generic one never stands in.
      env: {
        OPENAI_COMPATIBLE_API_KEY: 'preset-key',
        ...(env === 'GROQ_API_KEY' ? { MISTRAL_API_KEY: 'preset-key' } : { GROQ_API_KEY: 'preset-key' }),
      },
    });
    const error = await failure(llm.generate({ messages: user }));
    expect(error.code).toBe('not_configured');
    expect(JSON.stringify(error.details)).toContain(env);
    expect(hosted.requests).toHaveLength(0);
  });

  it('groq: logprobs, top_logprobs, logit_bias and n > 1 are dropped with a warning each', async () => {
    const llm = createOpenAICompatibleLanguageModel({
      preset: 'groq',
      baseURL: `${hosted.url}/v1`,
      env: { GROQ_API_KEY: 'preset-key' },
    });
    const result = await llm.generate({
      messages: user,
      temperature: 0.5,
      providerOptions: {
        'openai-compatible': { logprobs: true, top_logprobs: 2, logit_bias: { 1: 1 }, n: 2, seed: 7 },
      },
    });
    expect(result.warnings.map((warning) => warning.setting)).toEqual([
      'providerOptions.openai-compatible.logprobs',
      'providerOptions.openai-compatible.top_logprobs',
      'providerOptions.openai-compatible.logit_bias',
      'providerOptions.openai-compatible.n',
    ]);
    const body = hosted.requestsTo('/v1/chat/completions')[0]?.json as Record<string, unknown>;
    expect(body).toMatchObject({ temperature: 0.5, seed: 7 });
    for (const field of ['logprobs', 'top_logprobs', 'logit_bias', 'n']) expect(body).not.toHaveProperty(field);
  });

  it('deepseek: the reasoner gets no temperature/topP (warned), deepseek-chat keeps them', async () => {
    const llm = createOpenAICompatibleLanguageModel({
      preset: 'deepseek',
      baseURL: `${hosted.url}/v1`,
      env: { DEEPSEEK_API_KEY: 'preset-key' },
    });
    const reasoner = await llm.generate({ messages: user, model: 'deepseek-reasoner', temperature: 0, topP: 0.5 });
    expect(reasoner.warnings.map((warning) => warning.setting)).toEqual(['temperature', 'topP']);
    const chat = await llm.generate({ messages: user, temperature: 0, topP: 0.5 });
    expect(chat.warnings).toEqual([]);
    const [first, second] = hosted.requestsTo('/v1/chat/completions');
    expect(first?.json).not.toHaveProperty('temperature');
    expect(first?.json).not.toHaveProperty('top_p');
    expect(second?.json).toMatchObject({ model: 'deepseek-chat', temperature: 0, top_p: 0.5 });
  });

  it('deepseek: the reasoner also gets no penalties, logprobs or top_logprobs (warned); deepseek-chat keeps them', async () => {
    const llm = createOpenAICompatibleLanguageModel({
      preset: 'deepseek',
      baseURL: `${hosted.url}/v1`,
      env: { DEEPSEEK_API_KEY: 'preset-key' },
    });
    const fields = { presence_penalty: 0.5, frequency_penalty: 0.5, logprobs: true, top_logprobs: 2 };
    const providerOptions = { 'openai-compatible': { ...fields, seed: 7 } };
    const reasoner = await llm.generate({ messages: user, model: 'deepseek-reasoner', providerOptions });
    expect(reasoner.warnings.map((warning) => warning.setting)).toEqual(
      Object.keys(fields).map((field) => `providerOptions.openai-compatible.${field}`),
    );
    const chat = await llm.generate({ messages: user, providerOptions });
    expect(chat.warnings).toEqual([]);
    const [first, second] = hosted.requestsTo('/v1/chat/completions');
    expect(first?.json).toMatchObject({ model: 'deepseek-reasoner', seed: 7 });
    for (const field of Object.keys(fields)) expect(first?.json).not.toHaveProperty(field);
    expect(second?.json).toMatchObject({ model: 'deepseek-chat', ...fields });
  });

  it('ollama: logit_bias, user and n are dropped with a warning each', async () => {
    const llm = createOpenAICompatibleLanguageModel({ preset: 'ollama', baseURL: `${local.url}/v1`, env: {} });
    const result = await llm.generate({
      messages: user,
      providerOptions: { 'openai-compatible': { logit_bias: { 1: 1 }, user: 'user-7', n: 2, seed: 7 } },
    });
    expect(result.warnings.map((warning) => warning.setting)).toEqual([
      'providerOptions.openai-compatible.logit_bias',
      'providerOptions.openai-compatible.user',
      'providerOptions.openai-compatible.n',
    ]);
    const body = local.requestsTo('/v1/chat/completions')[0]?.json as Record<string, unknown>;
    expect(body).toMatchObject({ seed: 7 });
    for (const field of ['logit_bias', 'user', 'n']) expect(body).not.toHaveProperty(field);
  });

  it('ollama: without a baseURL, requests go to http://localhost:11434/v1 (seen through fetch, no network)', async () => {
    const urls: string[] = [];
    const llm = createOpenAICompatibleLanguageModel({
      preset: 'ollama',
      env: {},
      fetch: async (input: string | URL | Request) => {
        urls.push(input instanceof Request ? input.url : String(input));
        return new Response(JSON.stringify({ error: { message: 'no', type: 'invalid_request_error' } }), {
          status: 401,
        });
      },
    });
    expect((await failure(llm.generate({ messages: user }))).code).toBe('auth');
    expect(urls).toEqual(['http://localhost:11434/v1/chat/completions']);
  });

  it('ollama: no key needed and no Authorization header; tool_choice is dropped with a warning', async () => {
    local.respondWith({ text: 'local' });
    const llm = createOpenAICompatibleLanguageModel({ preset: 'ollama', baseURL: `${local.url}/v1`, env: {} });
    const result = await llm.generate({
      messages: user,
      tools: [{ name: 'f', parameters: { type: 'object' } }],
      toolChoice: 'required',
    });
    expect(result).toMatchObject({ text: 'local', model: 'llama3.2', provider: 'ollama' });
    expect(result.warnings).toEqual([expect.objectContaining({ type: 'unsupported-setting', setting: 'toolChoice' })]);
    const [request] = local.requestsTo('/v1/chat/completions');
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.json).toHaveProperty('tools');
    expect(request?.json).not.toHaveProperty('tool_choice');
    expect((await llm.test()).status).toBe('connected');
  });

  it('a preset is fixed for the provider, and an unknown preset is refused naming the field', async () => {
    const llm = createOpenAICompatibleLanguageModel({ preset: 'groq', env: {} });
    await expect(llm.updateConfig({ preset: 'mistral' })).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('preset'),
    });
    expect(llm.getConfig()).toMatchObject({ preset: 'groq', baseURL: 'https://api.groq.com/openai/v1' });
    const plain = createOpenAICompatibleLanguageModel({ baseURL: `${local.url}/v1`, model: 'm', env: {} });
    await expect(plain.updateConfig({ preset: 'groq' })).rejects.toMatchObject({ code: 'invalid_request' });
    expect(() => createOpenAICompatibleLanguageModel({ preset: 'grok' as never, env: {} })).toThrow(/preset/);
    expect(() => createOpenAICompatibleLanguageModel({ model: 'm', env: {} })).toThrow(/baseURL/);
  });

  it('the factory builds presets from configuration and lists them for setup screens', async () => {
    const llm = openaiCompatibleLanguageModelFactory.create({
      id: 'fast',
      settings: { preset: 'groq', baseURL: `${hosted.url}/v1`, apiKey: 'preset-key' },
      runtime: { env: {} },
    });
    expect((await llm.generate({ messages: user })).provider).toBe('fast');
    expect(Object.keys(openaiCompatibleLanguageModelFactory.presets)).toEqual([
      'groq',
      'mistral',
      'together',
      'deepseek',
      'openrouter',
      'fireworks',
      'ollama',
    ]);
    expect(openaiCompatibleLanguageModelFactory.presets.groq).toMatchObject({
      apiKeyEnv: 'GROQ_API_KEY',
      apiKeyRequired: true,
    });
  });
});

describe('OpenAI-compatible presets: documented error answers', () => {
  const cases: Array<[string, string, { status: number; body: unknown; headers?: Record<string, string> }, string]> = [
    [
      'DeepSeek 402 Insufficient Balance',
      'deepseek',
      {
        status: 402,
        body: {
          error: { message: 'Insufficient Balance', type: 'unknown_error', param: null, code: 'invalid_request_error' },
        },
      },
      'quota_exceeded',
    ],
    [
      'OpenRouter 402 out of credits (numeric code)',
      'openrouter',
      {
        status: 402,
        body: { error: { code: 402, message: 'Insufficient credits. Add more using https://openrouter.ai/credits' } },
      },
      'quota_exceeded',
    ],
    [
      'Mistral 422 extra_forbidden (body not under `error`)',
      'mistral',
      {
        status: 422,
        body: {
          object: 'error',
          message: {
            detail: [{ type: 'extra_forbidden', loc: ['body', 'foo'], msg: 'Extra inputs are not permitted' }],
          },
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      },
      'invalid_request',
    ],
    [
      'Groq 429 tokens per minute, Retry-After',
      'groq',
      {
        status: 429,
        headers: { 'retry-after': '4' },
        body: { error: { message: 'Rate limit reached for model', type: 'tokens', code: 'rate_limit_exceeded' } },
      },
      'rate_limited',
    ],
    [
      'Together 503 overloaded',
      'together',
      { status: 503, body: { error: { message: 'Service unavailable', type: 'server_error' } } },
      'unavailable',
    ],
    [
      'Fireworks 401',
      'fireworks',
      { status: 401, body: { error: { object: 'error', type: 'invalid_request_error', message: 'Unauthorized' } } },
      'auth',
    ],
  ];
  it.each(cases)('%s → its code', async (_name, preset, error, code) => {
    hosted.enqueue({ error });
    const llm = createOpenAICompatibleLanguageModel({
      preset: preset as 'groq',
      baseURL: `${hosted.url}/v1`,
      apiKey: 'preset-key',
      env: {},
    });
    const failed = await failure(llm.generate({ messages: user }));
    expect(failed).toMatchObject({ code, status: error.status, provider: preset });
    if (error.headers) expect(failed.retryAfterMs).toBe(4000);
    if (preset === 'openrouter') expect(failed.vendorCode).toBe('402');
  });
});
