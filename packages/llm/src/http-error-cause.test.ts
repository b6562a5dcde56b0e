import type { LanguageModel } from '@patchbay/core';
import { createAnthropicSimulator } from '@patchbay/testing/simulators/anthropic';
import { createAzureOpenAISimulator } from '@patchbay/testing/simulators/azure-openai';
import { createBedrockSimulator } from '@patchbay/testing/simulators/bedrock';
import { createGeminiSimulator } from '@patchbay/testing/simulators/gemini';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAnthropicLanguageModel } from './anthropic/index.js';
import { createAzureOpenAILanguageModel } from './azure-openai/index.js';
import { createBedrockLanguageModel } from './bedrock/index.js';
import { createGeminiLanguageModel } from './gemini/index.js';
import { createOpenAILanguageModel } from './openai/index.js';
import { createOpenAICompatibleLanguageModel } from './openai-compatible/index.js';
import { failure, serveSimulators, user } from './shared/test-support.js';

const openai = createOpenAISimulator();
const anthropic = createAnthropicSimulator();
const gemini = createGeminiSimulator();
const azure = createAzureOpenAISimulator();
const bedrock = createBedrockSimulator();
const simulators = [openai, anthropic, gemini, azure, bedrock];

serveSimulators(...simulators);
beforeEach(() => {
  for (const simulator of simulators) simulator.reset();
});

const adapters: Array<[string, { inject: (typeof openai)['inject'] }, () => LanguageModel]> = [
  [
    'openai',
    openai,
    () => createOpenAILanguageModel({ apiKey: 'test-key', baseURL: `${openai.url}/v1`, model: 'm', env: {} }),
  ],
  [
    'openai-compatible',
    openai,
    () => createOpenAICompatibleLanguageModel({ apiKey: 'test-key', baseURL: `${openai.url}/v1`, model: 'm', env: {} }),
  ],
  [
    'anthropic',
    anthropic,
    () => createAnthropicLanguageModel({ apiKey: 'test-key', baseURL: anthropic.url, model: 'm', env: {} }),
  ],
  ['gemini', gemini, () => createGeminiLanguageModel({ apiKey: 'test-key', baseURL: gemini.url, model: 'm', env: {} })],
  [
    'azure-openai',
    azure,
    () =>
      createAzureOpenAILanguageModel({ apiKey: 'test-key', endpoint: azure.url, deployment: 'gpt-4o-mini', env: {} }),
  ],
  [
    'bedrock',
    bedrock,
    () =>
      createBedrockLanguageModel({
        accessKeyId: 'AKIDSIMULATOR',
        secretAccessKey: 'simulator-secret',
        region: 'us-east-1',
        endpoint: bedrock.url,
        model: 'm',
        env: {},
      }),
  ],
];

describe('HTTP failures carry no raw SDK error as cause', () => {
  for (const [vendor, simulator, create] of adapters) {
    for (const status of [401, 429, 500]) {
      it(`${vendor}: an HTTP ${status} answer, generating and streaming`, async () => {
        const llm = create();
        for (const call of [() => llm.generate({ messages: user }), () => llm.stream({ messages: user })]) {
          simulator.inject({ type: 'status', status });
          const error = await failure(call());
          expect(error).toMatchObject({ vendor, status });
          expect(error.cause).toBeUndefined();
        }
      });
    }
  }
});
