import type {
  AudioFormat,
  CallOptions,
  CallWarning,
  SpeechRequest,
  SpeechResult,
  SpeechStreamResult,
  SpeechSynthesizer,
  SpeechSynthesizerCapabilities,
  SpeechTextStreamOptions,
  SpeechTextStreamResult,
  Voice,
} from '@patchbay/core';
import { lazySchema, PatchbayError, raceSignal, sleep } from '@patchbay/core/adapter';
import { z } from 'zod';
import {
  type MockBaseSettings,
  MockProvider,
  type MockProviderOptions,
  mockSettingsShape,
  splitInto,
} from './mock-provider.js';
import type { MockFailureStep, MockHangStep, MockScript } from './mock-script.js';

/** Audio bytes, or a string taken as its UTF-8 bytes (so scripts stay JSON in configuration). */
export type MockAudio = Uint8Array | string;

/** A successful speech synthesis. */
export interface SpeechSynthesizerMockSuccess {
  /** Default: the UTF-8 bytes of the request text. */
  audio?: MockAudio | undefined;
  /** `stream()` chunks; default: `audio` split in 3. */
  chunks?: MockAudio[] | undefined;
  /** `stream()`: throw `stream_cut` after this many chunks (0: `stream()` itself rejects). */
  cutAfter?: number | undefined;
  chunkDelayMs?: number | undefined;
  delayMs?: number | undefined;
  durationSeconds?: number | undefined;
  warnings?: CallWarning[] | undefined;
  /**
   * `streamText()`: read this many pieces of text, then fail with this code before any audio (a vendor that
   * broke after taking some text; a route fails over and replays that text to the next member).
   */
  failAfterText?: { pieces: number; error: MockFailureStep['error'] } | undefined;
}

export type SpeechSynthesizerMockStep = SpeechSynthesizerMockSuccess | MockFailureStep | MockHangStep;

export interface MockSpeechSynthesizerOptions extends MockProviderOptions<SpeechSynthesizerMockStep, SpeechRequest> {
  script?: MockScript<SpeechSynthesizerMockStep, SpeechRequest> | undefined;
  capabilities?: Partial<SpeechSynthesizerCapabilities> | undefined;
  /** Default voice (default `mock-voice`). */
  voice?: string | undefined;
  /** Default output format (default mp3). */
  format?: AudioFormat | undefined;
  /** What `listVoices()` returns (default: the configured voice). */
  voices?: Voice[] | undefined;
}

const settingsSchema = lazySchema(() => {
  const audioFormatSchema = z.object({
    encoding: z.enum(['mp3', 'wav', 'pcm_s16le', 'mulaw', 'alaw', 'opus', 'flac', 'aac', 'webm', 'ogg']),
    sampleRate: z.number().int().positive().optional(),
    channels: z.number().int().positive().optional(),
  });
  return z.strictObject({
    ...mockSettingsShape(),
    voice: z.string().min(1).default('mock-voice'),
    format: audioFormatSchema.default({ encoding: 'mp3' }),
    voices: z
      .array(
        z.object({ id: z.string(), name: z.string(), language: z.string().optional(), gender: z.string().optional() }),
      )
      .optional(),
  });
});

interface MockSpeechSynthesizerSettings extends MockBaseSettings {
  voice: string;
  format: AudioFormat;
  voices?: Voice[] | undefined;
}

const encoder = new TextEncoder();

function bytes(audio: MockAudio): Uint8Array {
  return typeof audio === 'string' ? encoder.encode(audio) : audio;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const total = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    total.set(chunk, offset);
    offset += chunk.length;
  }
  return total;
}

/** A scriptable speech synthesizer: `synthesize` and `stream` follow the script and are recorded in `calls`. */
export class MockSpeechSynthesizer
  extends MockProvider<
    MockSpeechSynthesizerSettings,
    SpeechSynthesizerMockStep,
    SpeechRequest,
    SpeechSynthesizerCapabilities
  >
  implements SpeechSynthesizer
{
  readonly kind = 'tts' as const;

  constructor(options: MockSpeechSynthesizerOptions = {}) {
    super({
      id: options.id ?? 'mock-tts',
      vendor: options.vendor ?? 'mock',
      kind: 'tts',
      schema: settingsSchema as unknown as z.ZodType<MockSpeechSynthesizerSettings>,
      options,
      defaultStep: {},
      defaultCapabilities: {
        streaming: true,
        listVoices: true,
        formats: [
          { encoding: 'mp3', sampleRates: [] },
          { encoding: 'wav', sampleRates: [16000, 24000] },
          { encoding: 'pcm_s16le', sampleRates: [8000, 16000, 24000] },
          { encoding: 'mulaw', sampleRates: [8000] },
        ],
      },
    });
  }

  #audio(step: SpeechSynthesizerMockSuccess, request: SpeechRequest): { audio: Uint8Array; chunks: Uint8Array[] } {
    if (step.chunks) {
      const chunks = step.chunks.map(bytes);
      return { audio: step.audio === undefined ? concat(chunks) : bytes(step.audio), chunks };
    }
    const audio = step.audio === undefined ? encoder.encode(request.text) : bytes(step.audio);
    return { audio, chunks: splitInto(audio, 3) };
  }

  #describe(request: SpeechRequest, settings: MockSpeechSynthesizerSettings, step: SpeechSynthesizerMockSuccess) {
    return {
      format: request.format ?? settings.format,
      characters: request.text.length,
      provider: this.id,
      vendor: this.vendor,
      model: request.model ?? settings.model,
      voice: request.voice ?? settings.voice,
      warnings: step.warnings ?? [],
    };
  }

  synthesize(request: SpeechRequest, options?: CallOptions): Promise<SpeechResult> {
    return this.run('synthesize', request, options, ({ step, settings }) => ({
      audio: this.#audio(step, request).audio,
      durationSeconds: step.durationSeconds,
      ...this.#describe(request, settings, step),
    }));
  }

  async stream(request: SpeechRequest, options?: CallOptions): Promise<SpeechStreamResult> {
    const { call, step, settings, signal } = await this.begin('stream', request, options);
    if (step.cutAfter === 0) {
      const error = this.streamCut(0);
      this.settle(call, error);
      throw error;
    }
    const { chunks } = this.#audio(step, request);
    return {
      stream: this.relay(call, chunks, { cutAfter: step.cutAfter, chunkDelayMs: step.chunkDelayMs, signal }),
      ...this.#describe(request, settings, step),
    };
  }

  /**
   * Speaks streamed text: each piece of text becomes one audio chunk (its UTF-8 bytes), produced as the piece
   * arrives. `calls[i].request.text` grows with the text received; `cutAfter` cuts after that many chunks,
   * `failAfterText` fails before any audio after reading some text.
   */
  async streamText(
    text: AsyncIterable<string>,
    options: SpeechTextStreamOptions = {},
  ): Promise<SpeechTextStreamResult> {
    const { signal, tenant, correlationId, ...fields } = options;
    const request: SpeechRequest = { ...fields, text: '' };
    const { call, step, settings } = await this.begin('streamText', request, { signal, tenant, correlationId });
    const iterator = text[Symbol.asyncIterator]();
    let characters = 0;
    let read = 0;
    const nextPiece = async (): Promise<string | undefined> => {
      if (signal?.aborted) throw signal.reason;
      const next = await (signal ? raceSignal(iterator.next(), signal) : iterator.next());
      if (next.done) return undefined;
      read++;
      request.text += next.value;
      return next.value;
    };
    const fail = (error: unknown): PatchbayError => {
      const failure = this.toError(error, signal);
      this.settle(call, failure);
      void iterator.return?.()?.catch?.(() => {});
      return failure;
    };
    let first: string | undefined;
    try {
      if (step.failAfterText) {
        while (read < step.failAfterText.pieces && (await nextPiece()) !== undefined) {}
        throw this.failure({ error: step.failAfterText.error });
      }
      if (step.cutAfter === 0) throw this.streamCut(0);
      do first = await nextPiece();
      while (first !== undefined && first.length === 0);
    } catch (caught) {
      throw fail(caught);
    }
    if (first === undefined) {
      throw fail(new PatchbayError({ code: 'invalid_request', message: 'No text to speak', provider: this.id }));
    }
    const self = this;
    async function* audio(): AsyncGenerator<Uint8Array> {
      let piece: string | undefined = first;
      let chunks = 0;
      let finished = false;
      try {
        while (piece !== undefined) {
          if (step.cutAfter !== undefined && chunks >= step.cutAfter) throw self.streamCut(chunks);
          if (chunks > 0 && step.chunkDelayMs) await sleep(step.chunkDelayMs, signal);
          characters += piece.length;
          chunks++;
          if (piece.length > 0) yield encoder.encode(piece);
          piece = await nextPiece();
        }
        finished = true;
        self.settle(call);
      } catch (caught) {
        finished = true;
        throw fail(caught);
      } finally {
        if (!finished) {
          self.settle(call);
          await iterator.return?.()?.catch?.(() => {});
        }
      }
    }
    const described = this.#describe(request, settings, step);
    return {
      ...described,
      stream: audio(),
      get characters() {
        return characters;
      },
    };
  }

  async listVoices(options: CallOptions = {}): Promise<Voice[]> {
    if (options.signal?.aborted) throw this.toError(options.signal.reason, options.signal);
    const settings = this.settings;
    return settings.voices ?? [{ id: settings.voice, name: 'Mock voice' }];
  }
}
