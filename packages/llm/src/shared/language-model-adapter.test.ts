import { type LanguageModelRequest, PatchbayError } from '@patchbay/core';
import { defineCredentials } from '@patchbay/core/adapter';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LanguageModelAdapter, type VendorResult } from './language-model-adapter.js';
import { user } from './test-support.js';

const answer: VendorResult = {
  text: 'ok',
  toolCalls: [],
  finishReason: 'stop',
  usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 },
  model: 'm',
};

/** A custom adapter whose vendor call is the given function, typed loosely as plain JavaScript would write it. */
class PlainAdapter extends LanguageModelAdapter<
  { model: string; apiKey?: string | undefined },
  { apiKey: string | undefined }
> {
  readonly capabilities = { streaming: false, tools: false, images: false, jsonOutput: false };
  readonly #send: () => unknown;

  constructor(send: () => unknown) {
    super({
      id: 'plain',
      vendor: 'plain',
      schema: z.object({ model: z.string(), apiKey: z.string().optional() }),
      settings: { model: 'm', apiKey: 'plain-secret-key' },
      credentials: defineCredentials({ fields: { apiKey: z.string().optional() }, env: {}, secret: ['apiKey'] }),
      runtime: { env: false },
    });
    this.#send = send;
  }

  protected mapError(error: unknown): PatchbayError {
    return new PatchbayError({ code: 'unavailable', message: 'vendor failed', provider: this.id, cause: error });
  }

  protected doGenerate(_request: LanguageModelRequest): Promise<VendorResult> {
    return this.#send() as Promise<VendorResult>;
  }

  protected doStream(): never {
    throw new Error('not used');
  }

  protected async checkConnection() {
    return {};
  }
}

describe('LanguageModelAdapter.generate', () => {
  it('takes an answer given as a value rather than a promise, as `await` did', async () => {
    const result = await new PlainAdapter(() => answer).generate({ messages: user });
    expect(result).toMatchObject({ text: 'ok', provider: 'plain', vendor: 'plain', warnings: [] });
  });

  it('maps a vendor call that throws before returning a promise, like one that rejects', async () => {
    const thrown = await new PlainAdapter(() => {
      throw new Error('boom');
    })
      .generate({ messages: user })
      .catch((error: unknown) => error);
    const rejected = await new PlainAdapter(() => Promise.reject(new Error('boom')))
      .generate({ messages: user })
      .catch((error: unknown) => error);
    expect(thrown).toMatchObject({ code: 'unavailable', provider: 'plain' });
    expect(rejected).toMatchObject({ code: 'unavailable', provider: 'plain' });
  });

  it('refuses an invalid request with invalid_request before the vendor is called', async () => {
    let sent = 0;
    const error = await new PlainAdapter(() => {
      sent++;
      return answer;
    })
      .generate({ messages: [] } as never)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'invalid_request' });
    expect(sent).toBe(0);
  });
});
