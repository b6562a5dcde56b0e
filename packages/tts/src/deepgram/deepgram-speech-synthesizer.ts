import type { DeepgramClient } from '@deepgram/sdk';
import type { CallOptions, SpeechRequest, SpeechSynthesizerCapabilities, Voice } from '@patchbay/core';
import {
  ClientCache,
  type ConnectionCheck,
  defineProviderFactory,
  lazySdk,
  PatchbayError,
  type ProviderRuntime,
  type ResolvedCredentials,
} from '@patchbay/core/adapter';
import { deepgramErrorCode } from '@patchbay/core/vendors/deepgram';
import { formatCapabilities } from '../audio-format.js';
import type { VendorAudioResponse } from '../audio-stream.js';
import { fernClientOptions } from '../shared/fern-client-options.js';
import { openSpeechSocket, SpeechSocketRefusal } from '../shared/speech-socket.js';
import {
  type AudioCall,
  SpeechSynthesizerAdapter,
  type TextStreamCall,
  type VendorCallContext,
} from '../shared/speech-synthesizer-adapter.js';
import { stringField, vendorStatusError } from '../shared/vendor-error.js';
import { chunkTextStream } from '../text-chunker.js';
import { deepgramSpeechError } from './deepgram-error.js';
import {
  type DeepgramSpeechSynthesizerSettings,
  type DeepgramSpeechSynthesizerSettingsInput,
  deepgramCredentials,
  deepgramFormats,
  deepgramMediaParameters,
  deepgramSpeechSynthesizerSettingsSchema,
  deepgramStreamingMedia,
} from './deepgram-settings.js';

type Credentials = { apiKey: string };

/** The SDK is an optional peer: loaded on first use, never at import; a caller's abort stops the wait at once. */
const sdk = lazySdk('@deepgram/sdk', () => import('@deepgram/sdk'));

export interface DeepgramSpeechSynthesizerOptions extends DeepgramSpeechSynthesizerSettingsInput {
  /** Provider id; defaults to `deepgram`. */
  id?: string;
  fetch?: typeof globalThis.fetch;
  credentialStore?: ProviderRuntime['credentialStore'];
  env?: ProviderRuntime['env'];
}

export const deepgramSpeechCapabilities: SpeechSynthesizerCapabilities = {
  streaming: true,
  listVoices: true,
  formats: formatCapabilities(deepgramFormats),
};

/**
 * Deepgram Aura text to speech (`POST /v1/speak`) through `@deepgram/sdk`.
 * Deepgram's model id is the voice (`aura-2-thalia-en`): a request's `voice`
 * (or, failing that, its `model`) picks it, and results report it as both.
 */
export class DeepgramSpeechSynthesizer extends SpeechSynthesizerAdapter<
  DeepgramSpeechSynthesizerSettings,
  Credentials
> {
  readonly capabilities = deepgramSpeechCapabilities;
  protected readonly formats = deepgramFormats;
  readonly #clients = new ClientCache<DeepgramClient>();

  constructor(options: { id: string; settings: unknown; runtime?: ProviderRuntime }) {
    super({
      id: options.id,
      vendor: 'deepgram',
      schema: deepgramSpeechSynthesizerSettingsSchema,
      settings: options.settings,
      credentials: deepgramCredentials,
      runtime: options.runtime,
    });
  }

  /** One client per (origin, key): a rotated key gets a new one; calls in flight keep theirs. */
  async #clientFor(
    settings: DeepgramSpeechSynthesizerSettings,
    credentials: ResolvedCredentials<Credentials>,
    signal: AbortSignal | undefined,
  ): Promise<DeepgramClient> {
    const module = await sdk.load(signal);
    return this.#clients.get([settings.baseURL, credentials.values.apiKey], async () => {
      const { DeepgramClient } = module;
      return new DeepgramClient(fernClientOptions(credentials.values.apiKey, settings.baseURL, this.runtime.fetch));
    });
  }

  protected override voiceFor(request: SpeechRequest, settings: DeepgramSpeechSynthesizerSettings): string {
    return request.voice ?? request.model ?? settings.voice;
  }

  protected modelFor(_request: SpeechRequest, _settings: DeepgramSpeechSynthesizerSettings, voice: string): string {
    return voice;
  }

  protected mapError(error: unknown): PatchbayError | undefined {
    if (error instanceof SpeechSocketRefusal) {
      return vendorStatusError({
        status: error.status,
        headers: error.headers,
        vendor: 'deepgram',
        vendorLabel: 'Deepgram',
        code: deepgramErrorCode({ status: error.status, body: error.body }),
        vendorCode: stringField(error.body, 'err_code'),
        vendorMessage: stringField(error.body, 'err_msg'),
        requestId: stringField(error.body, 'request_id') ?? error.headers.get('dg-request-id') ?? undefined,
      });
    }
    return deepgramSpeechError(error);
  }

  /**
   * Aura's websocket speak API for raw formats (linear16, μ-law, A-law): each piece the chunker cuts is sent as
   * `Speak` followed by `Flush` (Aura speaks only flushed text), audio comes back as binary frames, and once the
   * text has ended and every flush is answered (`Flushed`) the session is closed with `Close`. Other formats
   * go through the REST chunker (the default).
   */
  protected override doStreamText(
    call: TextStreamCall<DeepgramSpeechSynthesizerSettings, Credentials>,
  ): AsyncIterable<Uint8Array> {
    const media = deepgramStreamingMedia(call.format);
    if (!media) return super.doStreamText(call);
    return this.#speakSocket(call, media);
  }

  async *#speakSocket(
    call: TextStreamCall<DeepgramSpeechSynthesizerSettings, Credentials>,
    media: { encoding: string; sampleRate: number },
  ): AsyncGenerator<Uint8Array> {
    if (call.language !== undefined) {
      call.warnings.push({
        type: 'unsupported-setting',
        setting: 'language',
        message: `Deepgram's voice sets the language (${call.voice}); pick a voice of the language instead`,
      });
    }
    const settings = call.settings;
    const origin = (
      settings.streamingURL ?? (settings.baseURL ?? 'https://api.deepgram.com').replace(/^http/, 'ws')
    ).replace(/\/+$/, '');
    const query = new URLSearchParams({
      model: call.voice,
      encoding: media.encoding,
      sample_rate: String(media.sampleRate),
    });
    if (call.speed !== undefined) query.set('speed', String(call.speed));
    if (settings.mipOptOut !== undefined) query.set('mip_opt_out', String(settings.mipOptOut));
    const socket = await openSpeechSocket({
      url: `${origin}/v1/speak?${query}`,
      headers: { Authorization: `Token ${call.credentials.values.apiKey}` },
      signal: call.signal,
      vendor: 'deepgram',
    });
    let sentCharacters = 0;
    let countedCharacters = 0;
    let inputDone = false;
    let closing = false;
    // Every flush answered (see `flushedPieces` below): the connection can close.
    const closeWhenDone = () => {
      if (inputDone && flushedPieces.length === 0 && !closing) {
        closing = true;
        socket.sendJson({ type: 'Close' });
      }
    };
    const pieces = chunkTextStream(call.text, this.textChunking);
    let pumpFailure: { error: unknown } | undefined;
    // Text runs at most `piecesAhead` pieces ahead of the audio the reader has taken: a piece counts from its
    // `Speak` until the reader has reached the `Flushed` answering the flush that covered it, so a piece sent
    // without a flush (past the flush limit) stays ahead until a later flush is answered. A fast source cannot
    // flood the vendor, and a reader that stops reading stops the text (frames it has not taken are not looked at).
    let ahead = 0;
    let unflushedPieces = 0;
    /** Pieces each flush not yet answered covers, oldest first. */
    const flushedPieces: number[] = [];
    let wake: (() => void) | undefined;
    const wakePump = () => {
      const resolve = wake;
      wake = undefined;
      resolve?.();
    };
    const pumpWaits = () =>
      new Promise<void>((resolve) => {
        wake = resolve;
      });
    // Aura takes at most `flushLimit` flushes a minute on a connection: past it, pieces go without a flush (still
    // at most `piecesAhead` of them), and one flush speaks them as soon as the window allows.
    const flushTimes: number[] = [];
    let windowTimer: ReturnType<typeof setTimeout> | undefined;
    const canFlush = () => {
      const now = Date.now();
      while (flushTimes.length > 0 && (flushTimes[0] as number) <= now - flushWindowMs) flushTimes.shift();
      return flushTimes.length < flushLimit;
    };
    const flushWhenAllowed = () => {
      if (closing || unflushedPieces === 0 || windowTimer !== undefined) return;
      if (!canFlush()) {
        windowTimer = setTimeout(
          () => {
            windowTimer = undefined;
            flushWhenAllowed();
          },
          Math.max(0, (flushTimes[0] as number) + flushWindowMs - Date.now()),
        );
        return;
      }
      socket.sendJson({ type: 'Flush' });
      flushTimes.push(Date.now());
      flushedPieces.push(unflushedPieces);
      unflushedPieces = 0;
      wakePump();
    };
    const pump = (async () => {
      for await (const piece of pieces) {
        while (ahead >= piecesAhead && !closing) await pumpWaits();
        if (closing) return;
        socket.sendJson({ type: 'Speak', text: piece });
        sentCharacters += piece.length;
        ahead++;
        unflushedPieces++;
        flushWhenAllowed();
      }
      // The text has ended: the last pieces are flushed once the window allows.
      while (unflushedPieces > 0 && !closing) await pumpWaits();
      if (closing) return;
      inputDone = true;
      closeWhenDone();
    })().catch((error: unknown) => {
      pumpFailure = { error };
      socket.close();
    });
    try {
      for await (const frame of socket.frames) {
        if (frame.binary) {
          if (frame.data.length === 0) continue;
          // The vendor is producing audio for the text it has: that text counts as spoken.
          if (sentCharacters > countedCharacters) {
            call.sent(sentCharacters - countedCharacters);
            countedCharacters = sentCharacters;
          }
          yield frame.data;
          continue;
        }
        const message = parseMessage(frame.text);
        if (message?.type === 'Flushed') {
          ahead -= flushedPieces.shift() ?? 0;
          wakePump();
          closeWhenDone();
        } else if (message?.type === 'Error') {
          throw new PatchbayError({
            code: 'unavailable',
            message: `Deepgram reported an error on the speak socket: ${String(message.description ?? message.err_msg ?? '').slice(0, 200)}`,
            vendor: 'deepgram',
            vendorCode: stringField(message, 'code') ?? stringField(message, 'err_code'),
          });
        }
      }
      if (pumpFailure) throw pumpFailure.error;
      if (!closing) {
        throw new PatchbayError({
          code: 'unavailable',
          message: 'Deepgram closed the speak socket before all text was spoken',
          vendor: 'deepgram',
        });
      }
    } finally {
      closing = true;
      clearTimeout(windowTimer);
      wakePump();
      socket.close();
      // Stops reading the caller's text (a read in flight ends on the caller's signal or its next piece).
      void pieces.return(undefined).catch(() => {});
      void pump;
    }
  }

  protected async doSynthesize(
    call: AudioCall<DeepgramSpeechSynthesizerSettings, Credentials>,
  ): Promise<VendorAudioResponse> {
    if (call.language !== undefined) {
      call.warnings.push({
        type: 'unsupported-setting',
        setting: 'language',
        message: `Deepgram's voice sets the language (${call.voice}); pick a voice of the language instead`,
      });
    }
    const client = await this.#clientFor(call.settings, call.credentials, call.signal);
    const media = deepgramMediaParameters(call.format);
    const { data, rawResponse } = await client.speak.v1.audio
      .generate(
        {
          text: call.text,
          model: call.voice,
          ...media,
          ...(call.format.encoding === 'mp3' && call.settings.mp3BitRate ? { bit_rate: call.settings.mp3BitRate } : {}),
          ...(call.speed !== undefined ? { speed: call.speed } : {}),
          ...(call.settings.mipOptOut !== undefined ? { mip_opt_out: call.settings.mipOptOut } : {}),
        },
        { abortSignal: call.signal, maxRetries: 0 },
      )
      .withRawResponse();
    return {
      body: data.stream(),
      contentType: rawResponse.headers.get('content-type'),
      requestId: rawResponse.headers.get('dg-request-id') ?? undefined,
    };
  }

  /** Aura voices from Deepgram's model catalogue (`GET /v1/models`, its `tts` list). */
  async listVoices(options: CallOptions = {}): Promise<Voice[]> {
    return this.run(options, async ({ settings, credentials, signal }) => {
      const client = await this.#clientFor(settings, credentials, signal);
      const models = await client.manage.v1.models.list({}, { abortSignal: signal, maxRetries: 0 });
      return (models.tts ?? []).flatMap((model) => {
        const id = model.canonical_name ?? model.name;
        if (!id) return [];
        const tags = model.metadata?.tags ?? [];
        return [
          {
            id,
            name: model.name ?? id,
            language: model.languages?.[0],
            gender: tags.find((tag) => /^(masculine|feminine)$/i.test(tag)),
            previewUrl: model.metadata?.sample,
          },
        ];
      });
    });
  }

  /** `GET /v1/projects`: free and proves the key. */
  protected checkConnection(
    context: VendorCallContext<DeepgramSpeechSynthesizerSettings, Credentials>,
  ): Promise<ConnectionCheck> {
    return this.mapFailures(context, async () => {
      const client = await this.#clientFor(context.settings, context.credentials, context.signal);
      const result = await client.manage.v1.projects.list({ abortSignal: context.signal, maxRetries: 0 });
      return { message: 'Connected to Deepgram', details: { projects: result.projects?.length ?? 0 } };
    });
  }
}

/** Pieces (each a sentence or clause from the chunker) sent ahead of the audio the reader has taken. */
const piecesAhead = 3;
/** Aura's documented limit: 20 `Flush` messages every 60 seconds. */
const flushLimit = 20;
const flushWindowMs = 60_000;

/** A JSON message of the speak socket, or undefined when it is not one. */
function parseMessage(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A Deepgram Aura speech synthesizer. Never throws for a missing key:
 * credentials resolve per call (settings, then the tenant's store, then DEEPGRAM_API_KEY).
 */
export function createDeepgramSpeechSynthesizer(
  options: DeepgramSpeechSynthesizerOptions = {},
): DeepgramSpeechSynthesizer {
  const { id = 'deepgram', fetch, credentialStore, env, ...settings } = options;
  return new DeepgramSpeechSynthesizer({ id, settings, runtime: { fetch, credentialStore, env } });
}

export const deepgramSpeechSynthesizerFactory = defineProviderFactory({
  kind: 'tts',
  vendor: 'deepgram',
  label: 'Deepgram Aura (speech synthesis)',
  docsUrl: 'https://developers.deepgram.com/docs/text-to-speech',
  create: ({ id, settings, runtime }) => new DeepgramSpeechSynthesizer({ id, settings, runtime }),
});
