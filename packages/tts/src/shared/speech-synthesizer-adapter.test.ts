import type { SpeechRequest } from '@patchbay/core';
import { defineCredentials, PatchbayError } from '@patchbay/core/adapter';
import { expectNoSecretIn } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { VendorAudioResponse } from '../audio-stream.js';
import { type SpeechErrorContext, SpeechSynthesizerAdapter } from './speech-synthesizer-adapter.js';

// Keys too short for the process-wide known-secrets list (6 characters and up): only the skeleton can cut them.
const apiKey = 'Qx7k';
const apiSecret = 'Wj4z';

type Settings = { voice: string; format: { encoding: 'mp3' }; apiKey?: string; apiSecret?: string };
type Credentials = { apiKey: string | undefined; apiSecret: string | undefined };

function expectNoTrace(error: unknown): void {
  expect(PatchbayError.isInstance(error)).toBe(true);
  expectNoSecretIn(error, [apiKey, apiSecret]);
}

/** A custom adapter whose vendor call throws what it is given, echoing the call's credentials. */
class EchoingSynthesizer extends SpeechSynthesizerAdapter<Settings, Credentials> {
  readonly capabilities = {
    streaming: true,
    listVoices: false,
    formats: [{ encoding: 'mp3' as const, sampleRates: [] }],
  };
  protected readonly formats = { mp3: { sampleRates: [] } };
  readonly #fail: (secrets: string) => unknown;

  constructor(fail: (secrets: string) => unknown) {
    super({
      id: 'echo',
      vendor: 'echo',
      schema: z.object({
        voice: z.string(),
        format: z.object({ encoding: z.literal('mp3') }),
        apiKey: z.string().optional(),
        apiSecret: z.string().optional(),
      }),
      settings: { voice: 'v', format: { encoding: 'mp3' }, apiKey, apiSecret },
      credentials: defineCredentials({
        fields: { apiKey: z.string().optional(), apiSecret: z.string().optional() },
        env: {},
        secret: ['apiKey', 'apiSecret'],
      }),
      runtime: { env: false },
    });
    this.#fail = fail;
  }

  protected modelFor(): string {
    return 'm';
  }

  protected mapError(error: unknown, _context: SpeechErrorContext): PatchbayError | undefined {
    // A careless mapping: the vendor's text, verbatim, in the message and the details.
    const text = error instanceof Error ? error.message : String(error);
    return new PatchbayError({
      code: 'unavailable',
      message: `vendor said: ${text}`,
      details: { vendor: text },
      cause: error,
    });
  }

  protected async doSynthesize(call: { credentials: { values: Credentials } }): Promise<VendorAudioResponse> {
    throw this.#fail(`${call.credentials.values.apiKey}:${call.credentials.values.apiSecret}`);
  }

  protected async checkConnection() {
    return {};
  }
}

const patchbayError = (echo: string) =>
  new PatchbayError({
    code: 'auth',
    message: `refused key ${echo}`,
    details: { sent: echo, nested: { header: `Key ${echo}` } },
    cause: new Error(`vendor body: ${echo}`),
  });
const plainError = (echo: string) => Object.assign(new Error(`refused key ${echo}`), { details: { sent: echo } });
const request: SpeechRequest = { text: 'Hello' };

describe("SpeechSynthesizerAdapter scrubs every error it throws of the call's secret values", () => {
  const failures = [
    ['a PatchbayError', patchbayError],
    ['a plain Error', plainError],
  ] as const;
  for (const [name, fail] of failures) {
    for (const method of ['synthesize', 'stream'] as const) {
      it(`${method}(): ${name} echoing two short keys: the message carries neither`, async () => {
        const error = await new EchoingSynthesizer(fail)[method](request).catch((caught: unknown) => caught);
        expect(PatchbayError.isInstance(error)).toBe(true);
        const { message } = error as PatchbayError;
        expect(message).toContain('[redacted]:[redacted]');
        for (const text of [message, String((error as Error).stack), (error as PatchbayError).toJSON().message]) {
          expect(text).not.toContain(apiKey);
          expect(text).not.toContain(apiSecret);
        }
      });

      it(`${method}(): ${name} echoing two short keys: details and cause carry neither`, async () => {
        const error = await new EchoingSynthesizer(fail)[method](request).catch((caught: unknown) => caught);
        expectNoTrace(error);
      });
    }
  }
});
