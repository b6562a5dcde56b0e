import { defineLanguageModelConformance, runConformance } from '@patchbay/testing';
import { createAnthropicSimulator } from '@patchbay/testing/simulators/anthropic';
import { createAzureOpenAISimulator } from '@patchbay/testing/simulators/azure-openai';
import { createBedrockSimulator } from '@patchbay/testing/simulators/bedrock';
import { createGeminiSimulator } from '@patchbay/testing/simulators/gemini';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { describe, it } from 'vitest';
import { createAnthropicLanguageModel } from './anthropic/index.js';
import { createAzureOpenAILanguageModel } from './azure-openai/index.js';
import { createBedrockLanguageModel } from './bedrock/index.js';
import { createGeminiLanguageModel } from './gemini/index.js';
import { createOpenAILanguageModel } from './openai/index.js';
import { createOpenAICompatibleLanguageModel } from './openai-compatible/index.js';
import { serveSimulators } from './shared/test-support.js';

const openai = createOpenAISimulator();
const compatible = createOpenAISimulator({ apiKeys: ['compatible-key'] });
const anthropic = createAnthropicSimulator();
const gemini = createGeminiSimulator();
const azure = createAzureOpenAISimulator({ apiKeys: ['azure-key'] });
const bedrock = createBedrockSimulator({
  accessKeyIds: ['AKIDCONFORMANCE'],
  secretAccessKeys: { AKIDCONFORMANCE: 'conformance-secret-access-key' },
});

serveSimulators(openai, compatible, anthropic, gemini, azure, bedrock);

const suites: Record<string, Parameters<typeof defineLanguageModelConformance>[0]> = {
  OpenAI: {
    simulator: () => openai,
    create: ({ baseURL, apiKey, env, id }) =>
      createOpenAILanguageModel({ id, apiKey, env, baseURL: `${baseURL}/v1`, model: 'gpt-4o-mini' }),
    validApiKey: 'test-key',
    invalidApiKey: 'wrong-key',
    faultPath: '/v1/chat/completions',
  },
  'OpenAI-compatible': {
    simulator: () => compatible,
    create: ({ baseURL, apiKey, env, id }) =>
      createOpenAICompatibleLanguageModel({ id, apiKey, env, baseURL: `${baseURL}/v1`, model: 'llama3.2' }),
    validApiKey: 'compatible-key',
    invalidApiKey: 'wrong-key',
    faultPath: '/v1/chat/completions',
    // The key is optional by design (local servers need none), so a missing key is not "not configured".
    skip: ['missing-credentials', 'test-not-configured'],
  },
  // A preset is a configuration of the same adapter, with a required key read from its own variable.
  'OpenAI-compatible (Groq preset)': {
    simulator: () => compatible,
    create: ({ baseURL, apiKey, env, id }) =>
      createOpenAICompatibleLanguageModel({ id, preset: 'groq', apiKey, env, baseURL: `${baseURL}/v1` }),
    validApiKey: 'compatible-key',
    invalidApiKey: 'wrong-key',
    apiKeyEnv: 'GROQ_API_KEY',
    faultPath: '/v1/chat/completions',
  },
  Anthropic: {
    simulator: () => anthropic,
    create: ({ baseURL, apiKey, env, id }) =>
      createAnthropicLanguageModel({ id, apiKey, env, baseURL, model: 'claude-sonnet-5-5' }),
    validApiKey: 'test-key',
    invalidApiKey: 'wrong-key',
    faultPath: '/v1/messages',
    // message_start, content_block_start and ping carry no part.
    streamCutAfterChunks: 5,
  },
  Gemini: {
    simulator: () => gemini,
    create: ({ baseURL, apiKey, env, id }) =>
      createGeminiLanguageModel({ id, apiKey, env, baseURL, model: 'gemini-2.5-flash' }),
    validApiKey: 'test-key',
    // The real Gemini API answers a bad key with 400 API_KEY_INVALID (covered in the adapter's tests);
    // the suite's auth case expects a 401, so it injects one.
    faultPath: /^\/v1beta\/models\/[^/]+:(stream)?[gG]enerateContent$/,
  },
  'Azure OpenAI': {
    simulator: () => azure,
    create: ({ baseURL, apiKey, env, id }) =>
      createAzureOpenAILanguageModel({ id, apiKey, env, endpoint: baseURL, deployment: 'gpt-4o-mini' }),
    validApiKey: 'azure-key',
    invalidApiKey: 'wrong-key',
    apiKeyEnv: 'AZURE_OPENAI_API_KEY',
    faultPath: /^\/openai\/deployments\/[^/]+\/chat\/completions$/,
    invalidPatch: { patch: { endpoint: 12345 }, field: 'endpoint' },
    // Azure's first stream chunk carries only prompt filter results.
    streamCutAfterChunks: 3,
  },
  // The suite's "API key" is the access key id: it travels in the SigV4 credential scope (the secret key
  // signs and never travels), so the simulator can accept or refuse it.
  Bedrock: {
    simulator: () => bedrock,
    create: ({ baseURL, apiKey, env, id }) =>
      createBedrockLanguageModel({
        id,
        accessKeyId: apiKey,
        secretAccessKey: 'conformance-secret-access-key',
        region: 'us-east-1',
        endpoint: baseURL,
        model: 'amazon.nova-micro-v1:0',
        env,
      }),
    validApiKey: 'AKIDCONFORMANCE',
    apiKeyEnv: 'AWS_ACCESS_KEY_ID',
    rotate: (accessKeyId) => ({ accessKeyId }),
    faultPath: /^\/model\/[^/]+\/converse(-stream)?$/,
    invalidPatch: { patch: { endpoint: 12345 }, field: 'endpoint' },
  },
};

for (const [name, options] of Object.entries(suites)) {
  describe(name, () => {
    runConformance(defineLanguageModelConformance(options), { it });
  });
}
