import { inspect } from 'node:util';
import type {
  CallOptions,
  LiveTranscriptionEvent,
  LiveTranscriptionRequest,
  LiveTranscriptionSession,
  TranscriptionResult,
} from '@patchbay/core';
import { defineCredentials, PatchbayError } from '@patchbay/core/adapter';
import { expectNoSecretIn } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type OpenLiveContext, type TranscribeContext, TranscriberAdapter } from './transcriber-adapter.js';
import type { VendorErrorContext } from './vendor-call.js';

// Keys too short for the process-wide known-secrets list (6 characters and up): only the skeleton can cut them.
const shortKey = 'Qx7k';
const shortSecret = 'Wj4z';

function expectNoTraceOfTheKeys(error: unknown): void {
  expect(PatchbayError.isInstance(error)).toBe(true);
  expectNoSecretIn(error, [shortKey, shortSecret]);
}

type Settings = { apiKey?: string | undefined; apiSecret?: string | undefined };
type Credentials = { apiKey: string; apiSecret: string };

const echoedPatchbayError = (echo: string) =>
  new PatchbayError({
    code: 'auth',
    message: `refused key ${echo}`,
    vendorCode: 'bad_key',
    details: { sent: echo, nested: { header: `Key ${echo}`, list: [echo] } },
    cause: Object.assign(new Error(`vendor body: ${echo}`), { cause: new Error(`socket said ${echo}`) }),
  });
const echoedPlainError = (echo: string) => Object.assign(new Error(`refused key ${echo}`), { body: { sent: echo } });

type Failing = 'transcribe' | 'open' | 'events' | 'finish' | 'send' | 'check';

/** A live session that fails the way it is told to. */
class FailingSession implements LiveTranscriptionSession {
  readonly provider = 'echo';
  readonly vendor = 'echo';
  readonly model = 'm';
  readonly audioSeconds = 0;
  readonly #failing: Failing;
  readonly #failure: () => unknown;

  constructor(failing: Failing, failure: () => unknown) {
    this.#failing = failing;
    this.#failure = failure;
  }

  get events(): AsyncIterable<LiveTranscriptionEvent> {
    const failing = this.#failing;
    const failure = this.#failure;
    return (async function* () {
      yield { type: 'speech-started', timestamp: 0 } as unknown as LiveTranscriptionEvent;
      if (failing === 'events') throw failure();
    })();
  }

  send(): void {
    if (this.#failing === 'send') throw this.#failure();
  }

  async finish(): Promise<void> {
    if (this.#failing === 'finish') throw this.#failure();
  }

  close(): void {}
}

/**
 * A custom transcriber (two secret credential fields) whose vendor calls fail with what `fail` makes of the
 * call's credentials, and whose `mapError` carelessly copies the vendor's text into message, details and cause.
 */
class EchoingTranscriber extends TranscriberAdapter<Settings, Credentials> {
  readonly capabilities = {
    live: true,
    urlInput: false,
    diarization: false,
    liveEncodings: ['pcm_s16le' as const],
  };
  readonly #failing: Failing;
  readonly #fail: (echo: string) => unknown;

  constructor(failing: Failing, fail: (echo: string) => unknown) {
    super({
      id: 'echo',
      vendor: 'echo',
      schema: z.object({ apiKey: z.string().optional(), apiSecret: z.string().optional() }),
      settings: { apiKey: shortKey, apiSecret: shortSecret },
      credentials: defineCredentials({
        fields: { apiKey: z.string(), apiSecret: z.string() },
        env: {},
        secret: ['apiKey', 'apiSecret'],
      }),
      runtime: { env: false },
    });
    this.#failing = failing;
    this.#fail = fail;
  }

  protected mapError(error: unknown, context: VendorErrorContext): PatchbayError {
    if (PatchbayError.isInstance(error)) return error;
    const text = error instanceof Error ? error.message : String(error);
    return new PatchbayError({
      code: 'unavailable',
      message: `vendor said: ${text}`,
      provider: context.provider,
      details: { text },
      cause: error,
    });
  }

  #echo(credentials: { values: Credentials }): string {
    return `${credentials.values.apiKey}:${credentials.values.apiSecret}`;
  }

  protected async doTranscribe(
    _request: unknown,
    context: TranscribeContext<Settings, Credentials>,
  ): Promise<TranscriptionResult> {
    throw this.#fail(this.#echo(await context.call.credentials()));
  }

  transcribeLive(request: LiveTranscriptionRequest, options: CallOptions = {}): Promise<LiveTranscriptionSession> {
    return this.openLive(request, options);
  }

  protected override async doOpenLive(
    _request: LiveTranscriptionRequest,
    context: OpenLiveContext<Settings, Credentials>,
  ): Promise<LiveTranscriptionSession> {
    const echo = this.#echo(await context.call.credentials());
    if (this.#failing === 'open') throw this.#fail(echo);
    return new FailingSession(this.#failing, () => this.#fail(echo));
  }

  protected checkConnection(context: { credentials: { values: Credentials }; signal: AbortSignal | undefined }) {
    return this.vendorCall(
      context.signal,
      async () => context.credentials as never,
      async (call) => {
        throw this.#fail(this.#echo(await call.credentials()));
      },
    );
  }
}

const audio = { audio: new Uint8Array([1, 2, 3, 4]), mimeType: 'audio/wav' };
const live: LiveTranscriptionRequest = { encoding: 'pcm_s16le', sampleRate: 16_000 };

describe("TranscriberAdapter scrubs every error it throws of the call's credential values", () => {
  const failures = [
    ['a PatchbayError', echoedPatchbayError],
    ['a plain Error', echoedPlainError],
  ] as const;
  for (const [name, fail] of failures) {
    it(`transcribe(): ${name} echoing two short keys in message, details and cause`, async () => {
      const error = await new EchoingTranscriber('transcribe', fail)
        .transcribe(audio)
        .catch((caught: unknown) => caught);
      expect((error as PatchbayError).message).toContain('[redacted]:[redacted]');
      expectNoTraceOfTheKeys(error);
    });

    it(`transcribeLive(): ${name} while the session opens`, async () => {
      const error = await new EchoingTranscriber('open', fail).transcribeLive(live).catch((caught: unknown) => caught);
      expectNoTraceOfTheKeys(error);
    });

    it(`transcribeLive(): ${name} from the session's events`, async () => {
      const session = await new EchoingTranscriber('events', fail).transcribeLive(live);
      const events: LiveTranscriptionEvent[] = [];
      const error = await (async () => {
        for await (const event of session.events) events.push(event);
      })().catch((caught: unknown) => caught);
      expect(events).toHaveLength(1);
      expectNoTraceOfTheKeys(error);
    });

    it(`transcribeLive(): ${name} from send() and finish()`, async () => {
      const sending = await new EchoingTranscriber('send', fail).transcribeLive(live);
      let sent: unknown;
      try {
        sending.send(new Uint8Array(2));
      } catch (caught) {
        sent = caught;
      }
      expectNoTraceOfTheKeys(sent);
      const finishing = await new EchoingTranscriber('finish', fail).transcribeLive(live);
      expectNoTraceOfTheKeys(await finishing.finish().catch((caught: unknown) => caught));
    });

    it(`test(): ${name} from the connection check`, async () => {
      const health = await new EchoingTranscriber('check', fail).test();
      expect(health.healthy).toBe(false);
      const text = `${JSON.stringify(health)} ${inspect(health, { depth: Number.POSITIVE_INFINITY })}`;
      expect(text).not.toContain(shortKey);
      expect(text).not.toContain(shortSecret);
    });
  }

  it('hands a session that fails with nothing of the call on unchanged', async () => {
    const thrown = new PatchbayError({ code: 'stream_cut', message: 'socket closed', provider: 'echo' });
    const session = await new EchoingTranscriber('finish', () => thrown).transcribeLive(live);
    expect(session).toMatchObject({ provider: 'echo', vendor: 'echo', model: 'm', audioSeconds: 0 });
    expect(await session.finish().catch((caught: unknown) => caught)).toBe(thrown);
  });
});
