import { inspect } from 'node:util';
import { type LanguageModelRequest, type LanguageModelStreamPart, PatchbayError } from '@patchbay/core';
import { defineCredentials } from '@patchbay/core/adapter';
import { expectNoSecretIn } from '@patchbay/testing';
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

// Keys too short for the process-wide known-secrets list (6 characters and up): only the skeleton can cut them.
const shortKey = 'Qx7k';
const shortSecret = 'Wj4z';

function expectNoTraceOfTheKeys(error: unknown): void {
  expect(PatchbayError.isInstance(error)).toBe(true);
  expectNoSecretIn(error, [shortKey, shortSecret]);
}

type EchoCredentials = { apiKey: string | undefined; apiSecret: string | undefined };

/** What the vendor call of an echoing adapter throws, given the credentials it was sent. */
const echoedPatchbayError = (echo: string) =>
  new PatchbayError({
    code: 'auth',
    message: `refused key ${echo}`,
    vendorCode: 'bad_key',
    details: { sent: echo, nested: { header: `Key ${echo}`, list: [echo] } },
    cause: Object.assign(new Error(`vendor body: ${echo}`), { cause: new Error(`socket said ${echo}`) }),
  });
const echoedPlainError = (echo: string) => Object.assign(new Error(`refused key ${echo}`), { body: { sent: echo } });

/**
 * A custom adapter (two secret credential fields) whose vendor calls fail with what `fail` makes of the
 * call's credentials, and whose `mapError` carelessly copies the vendor's text into message, details and cause.
 */
class EchoingAdapter extends LanguageModelAdapter<
  { model: string; apiKey?: string | undefined; apiSecret?: string | undefined },
  EchoCredentials
> {
  readonly capabilities = { streaming: true, tools: false, images: false, jsonOutput: false };
  readonly #fail: (echo: string) => unknown;
  readonly #partsBefore: number;

  constructor(fail: (echo: string) => unknown, partsBefore = 0) {
    super({
      id: 'echo',
      vendor: 'echo',
      schema: z.object({ model: z.string(), apiKey: z.string().optional(), apiSecret: z.string().optional() }),
      settings: { model: 'm', apiKey: shortKey, apiSecret: shortSecret },
      credentials: defineCredentials({
        fields: { apiKey: z.string().optional(), apiSecret: z.string().optional() },
        env: {},
        secret: ['apiKey', 'apiSecret'],
      }),
      runtime: { env: false },
    });
    this.#fail = fail;
    this.#partsBefore = partsBefore;
  }

  protected mapError(error: unknown): PatchbayError {
    const text = error instanceof Error ? error.message : String(error);
    return new PatchbayError({
      code: 'unavailable',
      message: `vendor said: ${text}`,
      provider: this.id,
      details: { text },
      cause: error,
    });
  }

  #echo(credentials: { values: EchoCredentials }): string {
    return `${credentials.values.apiKey}:${credentials.values.apiSecret}`;
  }

  protected async doGenerate(
    _request: LanguageModelRequest,
    context: { credentials: { values: EchoCredentials } },
  ): Promise<VendorResult> {
    throw this.#fail(this.#echo(context.credentials));
  }

  protected async doStream(
    _request: LanguageModelRequest,
    context: { credentials: { values: EchoCredentials } },
  ): Promise<AsyncIterable<LanguageModelStreamPart>> {
    const echo = this.#echo(context.credentials);
    const fail = this.#fail;
    const partsBefore = this.#partsBefore;
    if (partsBefore < 0) throw fail(echo);
    return (async function* () {
      for (let part = 0; part < partsBefore; part++) yield { type: 'text-delta' as const, delta: 'hi' };
      throw fail(echo);
    })();
  }

  protected async checkConnection(context: { credentials: { values: EchoCredentials } }) {
    return this.mapFailures({ credentials: context.credentials as never, signal: undefined }, async () => {
      throw this.#fail(this.#echo(context.credentials));
    });
  }
}

describe("LanguageModelAdapter scrubs every error it throws of the call's secret values", () => {
  const failures = [
    ['a PatchbayError', echoedPatchbayError],
    ['a plain Error', echoedPlainError],
  ] as const;
  for (const [name, fail] of failures) {
    it(`generate(): ${name} echoing two short keys in message, details and cause`, async () => {
      const error = await new EchoingAdapter(fail).generate({ messages: user }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ provider: 'echo' });
      expect((error as PatchbayError).message).toContain('[redacted]:[redacted]');
      expectNoTraceOfTheKeys(error);
    });

    it(`stream(): ${name} when the vendor refuses the stream`, async () => {
      const error = await new EchoingAdapter(fail, -1).stream({ messages: user }).catch((caught: unknown) => caught);
      expectNoTraceOfTheKeys(error);
    });

    it(`stream(): ${name} before the first part`, async () => {
      const error = await new EchoingAdapter(fail, 0).stream({ messages: user }).catch((caught: unknown) => caught);
      expectNoTraceOfTheKeys(error);
    });

    it(`stream(): ${name} while the stream is being read (stream_cut)`, async () => {
      const result = await new EchoingAdapter(fail, 2).stream({ messages: user });
      const parts: LanguageModelStreamPart[] = [];
      const error = await (async () => {
        for await (const part of result.stream) parts.push(part);
      })().catch((caught: unknown) => caught);
      expect(parts).toHaveLength(2);
      expect(error).toMatchObject({ code: 'stream_cut' });
      expectNoTraceOfTheKeys(error);
    });

    it(`test(): ${name} from the connection check`, async () => {
      const health = await new EchoingAdapter(fail).test();
      expect(health.healthy).toBe(false);
      const text = `${JSON.stringify(health)} ${inspect(health, { depth: Number.POSITIVE_INFINITY })}`;
      expect(text).not.toContain(shortKey);
      expect(text).not.toContain(shortSecret);
    });
  }

  it('leaves an error that carries none of the values as it was', async () => {
    const thrown = new PatchbayError({
      code: 'rate_limited',
      message: 'slow down',
      provider: 'echo',
      details: { a: 1 },
    });
    const error = await new EchoingAdapter(() => thrown)
      .generate({ messages: user })
      .catch((caught: unknown) => caught);
    expect(error).toBe(thrown);
  });
});
