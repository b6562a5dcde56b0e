import { InMemoryCredentialStore } from '@patchbay/core';
import { azureOpenaiContentFilterBody, createAzureOpenAISimulator } from '@patchbay/testing/simulators/azure-openai';
import { describe, expect, it } from 'vitest';
import { collect, failure, serveSimulator, user } from '../shared/test-support.js';
import { createAzureOpenAILanguageModel } from './index.js';

const simulator = createAzureOpenAISimulator({
  apiKeys: ['azure-key'],
  bearerTokens: ['entra-token'],
  deployments: ['chat-prod', 'chat-canary'],
});
const chatPath = /^\/openai\/deployments\/[^/]+\/chat\/completions$/;

function model(overrides: Record<string, unknown> = {}) {
  return createAzureOpenAILanguageModel({
    id: 'azure-main',
    endpoint: simulator.url,
    deployment: 'chat-prod',
    apiKey: 'azure-key',
    env: {},
    ...overrides,
  });
}

serveSimulator(simulator, {
  text: 'Hello from Azure',
  usage: { inputTokens: 9, outputTokens: 3, cachedInputTokens: 2 },
});

describe('Azure OpenAI over the openai SDK’s AzureOpenAI client', () => {
  it('posts to the deployment path with api-version and the api-key header', async () => {
    const result = await model().generate({ messages: user, maxOutputTokens: 20 });
    expect(result).toMatchObject({
      text: 'Hello from Azure',
      provider: 'azure-main',
      vendor: 'azure-openai',
      usage: { inputTokens: 9, outputTokens: 3, cachedInputTokens: 2 },
    });
    const [request] = simulator.requestsTo(chatPath);
    expect(request?.path).toBe('/openai/deployments/chat-prod/chat/completions');
    expect(request?.query.get('api-version')).toBe('2024-10-21');
    expect(request?.headers['api-key']).toBe('azure-key');
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.json).toMatchObject({ model: 'chat-prod', max_completion_tokens: 20 });
  });

  it('a request model names another deployment; apiVersion is a setting', async () => {
    await model({ apiVersion: '2025-01-01-preview' }).generate({ messages: user, model: 'chat-canary' });
    const [request] = simulator.requestsTo(chatPath);
    expect(request?.path).toBe('/openai/deployments/chat-canary/chat/completions');
    expect(request?.query.get('api-version')).toBe('2025-01-01-preview');
  });

  it('streams past Azure’s leading prompt-filter chunk, with usage', async () => {
    const parts = await collect((await model().stream({ messages: user })).stream);
    expect(parts.filter((part) => part.type === 'text-delta').map((part) => part.delta)).toEqual([
      'Hello ',
      'from ',
      'Azure',
    ]);
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      usage: { inputTokens: 9, outputTokens: 3, cachedInputTokens: 2 },
    });
  });

  it('an Entra ID token goes as Authorization: Bearer, with no api-key header, whatever the process holds', async () => {
    const previous = process.env.AZURE_OPENAI_API_KEY;
    // The SDK would take this key from the process (and refuse a token with it) if the adapter let it.
    process.env.AZURE_OPENAI_API_KEY = 'process-key';
    try {
      await model({ apiKey: undefined, bearerToken: 'entra-token' }).generate({ messages: user });
    } finally {
      if (previous === undefined) delete process.env.AZURE_OPENAI_API_KEY;
      else process.env.AZURE_OPENAI_API_KEY = previous;
    }
    const [request] = simulator.requestsTo(chatPath);
    expect(request?.headers.authorization).toBe('Bearer entra-token');
    expect(request?.headers['api-key']).toBeUndefined();
    const expired = model({ apiKey: undefined, bearerToken: 'expired-token' });
    expect(await failure(expired.generate({ messages: user }))).toMatchObject({ code: 'auth', status: 401 });
  });

  it('resolves key and endpoint from AZURE_OPENAI_API_KEY / AZURE_OPENAI_ENDPOINT; the SDK reads nothing itself', async () => {
    const previous = process.env.AZURE_OPENAI_API_KEY;
    // The process environment must not leak in: only the adapter's `env` counts.
    process.env.AZURE_OPENAI_API_KEY = 'process-key';
    try {
      const fromEnv = model({
        apiKey: undefined,
        endpoint: undefined,
        env: { AZURE_OPENAI_API_KEY: 'azure-key', AZURE_OPENAI_ENDPOINT: simulator.url },
      });
      expect((await fromEnv.generate({ messages: user })).text).toBe('Hello from Azure');
      const missing = model({ apiKey: undefined, env: {} });
      const error = await failure(missing.generate({ messages: user }));
      expect(error).toMatchObject({ code: 'not_configured', provider: 'azure-main' });
      expect(error.message).toContain('AZURE_OPENAI_API_KEY');
      const noEndpoint = model({ endpoint: undefined, env: {} });
      expect((await failure(noEndpoint.generate({ messages: user }))).message).toContain('AZURE_OPENAI_ENDPOINT');
      expect(simulator.requestsTo(chatPath)).toHaveLength(1);
    } finally {
      if (previous === undefined) delete process.env.AZURE_OPENAI_API_KEY;
      else process.env.AZURE_OPENAI_API_KEY = previous;
    }
  });

  it('a tenant’s stored key is used, but a stored endpoint never chooses the host', async () => {
    const credentialStore = new InMemoryCredentialStore({
      acme: { 'azure-main': { apiKey: 'azure-key', endpoint: 'https://attacker.example' } },
    });
    const llm = model({
      apiKey: undefined,
      endpoint: undefined,
      credentialStore,
      env: { AZURE_OPENAI_ENDPOINT: simulator.url },
    });
    expect((await llm.generate({ messages: user }, { tenant: 'acme' })).text).toBe('Hello from Azure');
    expect(simulator.requestsTo(chatPath)[0]?.headers['api-key']).toBe('azure-key');
  });

  it('a resource name becomes https://<name>.openai.azure.com', async () => {
    const seen: string[] = [];
    const llm = model({
      endpoint: undefined,
      resourceName: 'contoso-east',
      fetch: async (input: string | URL | Request) => {
        seen.push(String(input instanceof Request ? input.url : input));
        return new Response(JSON.stringify({ error: { code: '401', message: 'no' } }), { status: 401 });
      },
    });
    expect((await failure(llm.generate({ messages: user }))).code).toBe('auth');
    expect(seen[0]).toBe(
      'https://contoso-east.openai.azure.com/openai/deployments/chat-prod/chat/completions?api-version=2024-10-21',
    );
  });

  it('test() lists the resource’s models (free) and reports connected', async () => {
    const health = await model().test();
    expect(health).toMatchObject({ status: 'connected', healthy: true });
    expect(simulator.requestsTo('/openai/models')[0]?.query.get('api-version')).toBe('2024-10-21');
  });

  it('getConfig shows the deployment as the model and no secret', () => {
    const config = model({ bearerToken: 'entra-token' }).getConfig();
    expect(config).toMatchObject({ deployment: 'chat-prod', model: 'chat-prod', apiKey: '[redacted]' });
    expect(JSON.stringify(config)).not.toContain('entra-token');
  });
});

describe('Azure OpenAI error mapping (documented bodies)', () => {
  it('401 "Access denied due to invalid subscription key" → auth', async () => {
    const error = await failure(model({ apiKey: 'wrong-key' }).generate({ messages: user }));
    expect(error).toMatchObject({ code: 'auth', status: 401, retryable: false, vendorCode: '401' });
  });

  it('400 content_filter / ResponsibleAIPolicyViolation → content_policy', async () => {
    simulator.enqueue({ error: { status: 400, body: azureOpenaiContentFilterBody() } });
    const error = await failure(model().generate({ messages: user }));
    expect(error).toMatchObject({
      code: 'content_policy',
      status: 400,
      retryable: false,
      vendorCode: 'ResponsibleAIPolicyViolation',
    });
  });

  it('a completion cut by the filter finishes with content-filter', async () => {
    simulator.respondWith({ text: 'partial', finishReason: 'content_filter' });
    expect((await model().generate({ messages: user })).finishReason).toBe('content-filter');
  });

  it('429 with Retry-After → rate_limited, retryAfterMs', async () => {
    simulator.enqueue({
      error: {
        status: 429,
        headers: { 'retry-after': '7' },
        body: {
          error: {
            code: '429',
            message:
              'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 7 seconds.',
          },
        },
      },
    });
    const error = await failure(model().generate({ messages: user }));
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 7000, status: 429 });
  });

  it('404 DeploymentNotFound → invalid_request (not a health failure)', async () => {
    const error = await failure(model({ deployment: 'missing' }).generate({ messages: user }));
    expect(error).toMatchObject({ code: 'invalid_request', status: 404, vendorCode: 'DeploymentNotFound' });
  });

  it('400 OperationNotSupported → invalid_request', async () => {
    simulator.enqueue({
      error: {
        status: 400,
        body: {
          error: {
            code: 'OperationNotSupported',
            message:
              'The chatCompletion operation does not work with the specified model, text-embedding-3-small. Please choose different model and try again.',
          },
        },
      },
    });
    const error = await failure(model().generate({ messages: user }));
    expect(error).toMatchObject({
      code: 'invalid_request',
      status: 400,
      retryable: false,
      vendorCode: 'OperationNotSupported',
    });
  });

  it('400 context_length_exceeded → context_length; 500/503 → unavailable', async () => {
    simulator.enqueue({
      error: {
        status: 400,
        body: {
          error: {
            code: 'context_length_exceeded',
            message: 'too long',
            param: 'messages',
            type: 'invalid_request_error',
          },
        },
      },
    });
    expect((await failure(model().generate({ messages: user }))).code).toBe('context_length');
    simulator.inject({ type: 'status', status: 503 });
    expect((await failure(model().generate({ messages: user }))).code).toBe('unavailable');
  });
});
