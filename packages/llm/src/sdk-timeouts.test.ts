import type { LanguageModel } from '@patchbay/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAnthropicLanguageModel } from './anthropic/index.js';
import { createAzureOpenAILanguageModel } from './azure-openai/index.js';
import { createBedrockLanguageModel } from './bedrock/index.js';
import { createGeminiLanguageModel } from './gemini/index.js';
import { createOpenAILanguageModel } from './openai/index.js';
import { failure, user } from './shared/test-support.js';

// The SDKs arm their own timeout (10 minutes by default) with setTimeout around each fetch. With a
// fake clock and a request that never answers, a day passes: a live SDK timeout would have ended
// the call as `timeout`; only the caller's signal may end it. The request goes to a `fetch` that
// holds it until its signal aborts (no server: what is tested is the client, not the vendor).
function hangingFetch(started: () => void): typeof globalThis.fetch {
  return (_input, init) =>
    new Promise<Response>((_resolve, reject) => {
      started();
      const signal = init?.signal;
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
}

const adapters: Array<[string, (fetch: typeof globalThis.fetch) => LanguageModel]> = [
  ['openai', (fetch) => createOpenAILanguageModel({ apiKey: 'k', model: 'm', env: {}, fetch })],
  ['anthropic', (fetch) => createAnthropicLanguageModel({ apiKey: 'k', model: 'm', env: {}, fetch })],
  [
    'azure-openai',
    (fetch) =>
      createAzureOpenAILanguageModel({ apiKey: 'k', endpoint: 'http://127.0.0.1:9', deployment: 'd', env: {}, fetch }),
  ],
  ['gemini', (fetch) => createGeminiLanguageModel({ apiKey: 'k', model: 'm', env: {}, fetch })],
  [
    'bedrock',
    (fetch) =>
      createBedrockLanguageModel({
        accessKeyId: 'AKID',
        secretAccessKey: 'secret',
        region: 'us-east-1',
        model: 'm',
        env: {},
        fetch,
      }),
  ],
];

afterEach(() => {
  vi.useRealTimers();
});

describe('SDK timeouts are disabled: the caller’s signal bounds the call', () => {
  for (const [vendor, create] of adapters) {
    for (const mode of ['generate', 'stream'] as const) {
      it(`${vendor} ${mode}: a day without an answer is no timeout; the caller's abort ends it`, async () => {
        vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
        let sent!: () => void;
        const requestSent = new Promise<void>((resolve) => {
          sent = resolve;
        });
        const llm = create(hangingFetch(() => sent()));
        const controller = new AbortController();
        let settled = false;
        const options = { signal: controller.signal };
        const call =
          mode === 'generate' ? llm.generate({ messages: user }, options) : llm.stream({ messages: user }, options);
        const outcome = failure(call).finally(() => {
          settled = true;
        });
        await requestSent;
        await vi.advanceTimersByTimeAsync(24 * 60 * 60 * 1000);
        expect(settled).toBe(false);
        controller.abort();
        expect((await outcome).code).toBe('aborted');
      });
    }
  }
});
