import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { failure, user } from './shared/test-support.js';

// Every vendor SDK is made unimportable, as when the optional peer is not installed.
vi.mock('openai', () => {
  throw new Error("Cannot find package 'openai'");
});
vi.mock('@anthropic-ai/sdk', () => {
  throw new Error("Cannot find package '@anthropic-ai/sdk'");
});
vi.mock('@google/genai', () => {
  throw new Error("Cannot find package '@google/genai'");
});
vi.mock('@aws-sdk/client-bedrock-runtime', () => {
  throw new Error("Cannot find package '@aws-sdk/client-bedrock-runtime'");
});

// No request is made: the SDK is missing before any. A fetch that fails the test if it is reached.
const fetch = async (): Promise<Response> => {
  throw new Error('no request may be made without the SDK');
};

describe('a missing vendor SDK', () => {
  it('is a not_configured error naming the package, on the first call (importing and constructing succeed)', async () => {
    const { createOpenAILanguageModel } = await import('./openai/index.js');
    const { createOpenAICompatibleLanguageModel } = await import('./openai-compatible/index.js');
    const { createAnthropicLanguageModel } = await import('./anthropic/index.js');
    const { createGeminiLanguageModel } = await import('./gemini/index.js');
    const { createAzureOpenAILanguageModel } = await import('./azure-openai/index.js');
    const { createBedrockLanguageModel } = await import('./bedrock/index.js');
    const common = { apiKey: 'test-key', model: 'm', env: {}, fetch };
    const cases = [
      ['openai', createOpenAILanguageModel(common)],
      ['openai', createOpenAICompatibleLanguageModel({ ...common, baseURL: 'http://127.0.0.1:9/v1' })],
      ['@anthropic-ai/sdk', createAnthropicLanguageModel(common)],
      ['@google/genai', createGeminiLanguageModel(common)],
      [
        'openai',
        createAzureOpenAILanguageModel({
          apiKey: 'k',
          endpoint: 'http://127.0.0.1:9',
          deployment: 'd',
          env: {},
          fetch,
        }),
      ],
      [
        '@aws-sdk/client-bedrock-runtime',
        createBedrockLanguageModel({
          accessKeyId: 'AKID',
          secretAccessKey: 'secret',
          region: 'us-east-1',
          model: 'm',
          env: {},
          fetch,
        }),
      ],
    ] as const;
    for (const [packageName, llm] of cases) {
      for (const call of [() => llm.generate({ messages: user }), () => llm.stream({ messages: user })]) {
        const error = await failure(call());
        expect(error).toMatchObject({ code: 'not_configured', provider: llm.id, details: { package: packageName } });
        expect(error.message).toContain(`"${packageName}"`);
      }
    }
  });
});

describe('the vendor SDKs', () => {
  it('are exactly the optional peer dependencies the README lists', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    const sdks = ['openai', '@anthropic-ai/sdk', '@google/genai', '@aws-sdk/client-bedrock-runtime'];
    const optional = Object.keys(manifest.peerDependenciesMeta).filter(
      (name) => manifest.peerDependenciesMeta[name]?.optional === true,
    );
    expect(optional.sort()).toEqual([...sdks].sort());
    for (const sdk of sdks) expect(manifest.peerDependencies).toHaveProperty([sdk]);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const line = readme.split('\n').find((text) => text.includes('are optional peer dependencies'));
    for (const sdk of sdks) expect(line).toContain(`\`${sdk}\``);
  });
});
