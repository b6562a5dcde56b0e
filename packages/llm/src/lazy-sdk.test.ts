import { createAnthropicSimulator } from '@patchbay/testing/simulators/anthropic';
import { createAzureOpenAISimulator } from '@patchbay/testing/simulators/azure-openai';
import { createBedrockSimulator } from '@patchbay/testing/simulators/bedrock';
import { createGeminiSimulator } from '@patchbay/testing/simulators/gemini';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { describe, expect, it, vi } from 'vitest';
import { serveSimulators, user } from './shared/test-support.js';

// Records when each vendor SDK module is evaluated; the real SDK is returned unchanged.
const loads = vi.hoisted(() => [] as string[]);
vi.mock('openai', async (importOriginal) => {
  loads.push('openai');
  return importOriginal();
});
vi.mock('@anthropic-ai/sdk', async (importOriginal) => {
  loads.push('@anthropic-ai/sdk');
  return importOriginal();
});
vi.mock('@google/genai', async (importOriginal) => {
  loads.push('@google/genai');
  return importOriginal();
});
vi.mock('@aws-sdk/client-bedrock-runtime', async (importOriginal) => {
  loads.push('@aws-sdk/client-bedrock-runtime');
  return importOriginal();
});

const openai = createOpenAISimulator();
const anthropic = createAnthropicSimulator();
const gemini = createGeminiSimulator();
const azure = createAzureOpenAISimulator();
const bedrock = createBedrockSimulator();

serveSimulators(openai, anthropic, gemini, azure, bedrock);

describe('vendor SDKs load lazily', () => {
  it('importing the package and every subpath, and constructing adapters, loads no SDK', async () => {
    const root = await import('./index.js');
    const openaiEntry = await import('./openai/index.js');
    const compatibleEntry = await import('./openai-compatible/index.js');
    const anthropicEntry = await import('./anthropic/index.js');
    const geminiEntry = await import('./gemini/index.js');
    const azureEntry = await import('./azure-openai/index.js');
    const bedrockEntry = await import('./bedrock/index.js');
    expect(typeof root.tool).toBe('function');
    const models = {
      openai: openaiEntry.createOpenAILanguageModel({
        apiKey: 'test-key',
        baseURL: `${openai.url}/v1`,
        model: 'm',
        env: {},
      }),
      compatible: compatibleEntry.createOpenAICompatibleLanguageModel({
        baseURL: `${openai.url}/v1`,
        apiKey: 'test-key',
        model: 'm',
        env: {},
      }),
      anthropic: anthropicEntry.createAnthropicLanguageModel({
        apiKey: 'test-key',
        baseURL: anthropic.url,
        model: 'm',
        env: {},
      }),
      gemini: geminiEntry.createGeminiLanguageModel({ apiKey: 'test-key', baseURL: gemini.url, model: 'm', env: {} }),
      azure: azureEntry.createAzureOpenAILanguageModel({
        apiKey: 'test-key',
        endpoint: azure.url,
        deployment: 'gpt-4o-mini',
        env: {},
      }),
      bedrock: bedrockEntry.createBedrockLanguageModel({
        accessKeyId: 'AKIDSIMULATOR',
        secretAccessKey: 'simulator-secret',
        region: 'us-east-1',
        endpoint: bedrock.url,
        model: 'm',
        env: {},
      }),
    };
    expect(loads).toEqual([]);

    await models.openai.generate({ messages: user });
    expect(loads).toEqual(['openai']);
    await models.compatible.generate({ messages: user });
    await models.anthropic.generate({ messages: user });
    await models.gemini.generate({ messages: user });
    await models.azure.generate({ messages: user });
    expect(loads).toEqual(['openai', '@anthropic-ai/sdk', '@google/genai']);
    await models.bedrock.generate({ messages: user });
    // Each SDK is loaded once, on its adapter's first call (Azure OpenAI shares the openai SDK).
    expect(loads).toEqual(['openai', '@anthropic-ai/sdk', '@google/genai', '@aws-sdk/client-bedrock-runtime']);
  });
});
