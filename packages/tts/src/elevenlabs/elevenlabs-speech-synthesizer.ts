import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { CallOptions, CallWarning, SpeechRequest, SpeechSynthesizerCapabilities, Voice } from '@patchbay/core';
import {
  ClientCache,
  type ConnectionCheck,
  defineProviderFactory,
  lazySdk,
  PatchbayError,
  type ProviderRuntime,
  type ResolvedCredentials,
} from '@patchbay/core/adapter';
import { elevenlabsErrorCode } from '@patchbay/core/vendors/elevenlabs';
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
import { elevenLabsError } from './elevenlabs-error.js';
import {
  type ElevenLabsSpeechSynthesizerSettings,
  type ElevenLabsSpeechSynthesizerSettingsInput,
  elevenLabsFormats,
  elevenLabsOutputFormat,
  elevenlabsCredentials,
  elevenlabsSpeechSynthesizerSettingsSchema,
} from './elevenlabs-settings.js';

type Credentials = { apiKey: string };

/** The SDK is an optional peer: loaded on first use, never at import; a caller's abort stops the wait at once. */
const sdk = lazySdk('@elevenlabs/elevenlabs-js', () => import('@elevenlabs/elevenlabs-js'));

export interface ElevenLabsSpeechSynthesizerOptions extends ElevenLabsSpeechSynthesizerSettingsInput {
  /** Provider id; defaults to `elevenlabs`. */
  id?: string;
  fetch?: typeof globalThis.fetch;
  credentialStore?: ProviderRuntime['credentialStore'];
  env?: ProviderRuntime['env'];
}

export const elevenLabsSpeechCapabilities: SpeechSynthesizerCapabilities = {
  streaming: true,
  listVoices: true,
  formats: formatCapabilities(elevenLabsFormats),
};

/** ElevenLabs text to speech through `@elevenlabs/elevenlabs-js`. */
export class ElevenLabsSpeechSynthesizer extends SpeechSynthesizerAdapter<
  ElevenLabsSpeechSynthesizerSettings,
  Credentials
> {
  readonly capabilities = elevenLabsSpeechCapabilities;
  protected readonly formats = elevenLabsFormats;
  readonly #clients = new ClientCache<ElevenLabsClient>();

  constructor(options: { id: string; settings: unknown; runtime?: ProviderRuntime }) {
    super({
      id: options.id,
      vendor: 'elevenlabs',
      schema: elevenlabsSpeechSynthesizerSettingsSchema,
      settings: options.settings,
      credentials: elevenlabsCredentials,
      runtime: options.runtime,
    });
  }

  /** One client per (origin, key): a rotated key or moved origin gets a new one; calls in flight keep theirs. */
  async #clientFor(
    settings: ElevenLabsSpeechSynthesizerSettings,
    credentials: ResolvedCredentials<Credentials>,
    signal: AbortSignal | undefined,
  ): Promise<ElevenLabsClient> {
    const module = await sdk.load(signal);
    return this.#clients.get([settings.baseURL, credentials.values.apiKey], async () => {
      const { ElevenLabsClient } = module;
      return new ElevenLabsClient(fernClientOptions(credentials.values.apiKey, settings.baseURL, this.runtime.fetch));
    });
  }

  protected modelFor(request: SpeechRequest, settings: ElevenLabsSpeechSynthesizerSettings): string {
    return request.model ?? settings.model;
  }

  protected mapError(error: unknown): PatchbayError | undefined {
    if (error instanceof SpeechSocketRefusal) {
      const detail = (error.body as { detail?: unknown } | undefined)?.detail;
      return vendorStatusError({
        status: error.status,
        headers: error.headers,
        vendor: 'elevenlabs',
        vendorLabel: 'ElevenLabs',
        code: elevenlabsErrorCode({ status: error.status, body: error.body }),
        vendorCode: stringField(detail, 'status'),
        vendorMessage: stringField(detail, 'message'),
        requestId: error.headers.get('request-id') ?? undefined,
      });
    }
    return elevenLabsError(error);
  }

  /**
   * ElevenLabs' websocket input streaming (`/v1/text-to-speech/{voice_id}/stream-input`): a first message
   * `{"text": " "}` with the voice settings, then each piece the chunker cuts as `{"text", "flush": true}` (so a
   * sentence is spoken as soon as it is complete), and `{"text": ""}` once the caller's text has ended. Audio
   * comes back base64 in JSON messages until `{"isFinal": true}`. The key travels in the `xi-api-key` header.
   */
  protected override doStreamText(
    call: TextStreamCall<ElevenLabsSpeechSynthesizerSettings, Credentials>,
  ): AsyncIterable<Uint8Array> {
    return this.#streamInput(call);
  }

  async *#streamInput(
    call: TextStreamCall<ElevenLabsSpeechSynthesizerSettings, Credentials>,
  ): AsyncGenerator<Uint8Array> {
    const { settings } = call;
    const origin = (
      settings.streamingURL ?? (settings.baseURL ?? 'https://api.elevenlabs.io').replace(/^http/, 'ws')
    ).replace(/\/+$/, '');
    const query = new URLSearchParams({
      model_id: call.model,
      output_format: elevenLabsOutputFormat(call.format, settings),
    });
    const languageCode = languageCodeFor(call);
    if (languageCode) query.set('language_code', languageCode);
    if (settings.enableLogging !== undefined) query.set('enable_logging', String(settings.enableLogging));
    const socket = await openSpeechSocket({
      url: `${origin}/v1/text-to-speech/${encodeURIComponent(call.voice)}/stream-input?${query}`,
      headers: { 'xi-api-key': call.credentials.values.apiKey },
      signal: call.signal,
      vendor: 'elevenlabs',
    });
    const voice = settings.voiceSettings;
    const voiceSettings =
      voice || call.speed !== undefined
        ? {
            ...(voice?.stability !== undefined ? { stability: voice.stability } : {}),
            ...(voice?.similarityBoost !== undefined ? { similarity_boost: voice.similarityBoost } : {}),
            ...(voice?.style !== undefined ? { style: voice.style } : {}),
            ...(voice?.useSpeakerBoost !== undefined ? { use_speaker_boost: voice.useSpeakerBoost } : {}),
            ...(call.speed !== undefined ? { speed: call.speed } : {}),
          }
        : undefined;
    socket.sendJson({ text: ' ', ...(voiceSettings ? { voice_settings: voiceSettings } : {}) });
    let sentCharacters = 0;
    let countedCharacters = 0;
    let piecesSinceAudio = 0;
    let closing = false;
    let credit: (() => void) | undefined;
    let pumpFailure: { error: unknown } | undefined;
    const pieces = chunkTextStream(call.text, this.textChunking);
    const pump = (async () => {
      for await (const piece of pieces) {
        // At most `piecesAhead` pieces go out after the last audio the reader took (the count restarts when the
        // loop below takes an audio message, which it does only as the reader reads).
        while (piecesSinceAudio >= piecesAhead && !closing) {
          await new Promise<void>((resolve) => {
            credit = resolve;
          });
        }
        if (closing) return;
        socket.sendJson({ text: piece, flush: true });
        sentCharacters += piece.length;
        piecesSinceAudio++;
      }
      if (!closing) socket.sendJson({ text: '' });
    })().catch((error: unknown) => {
      pumpFailure = { error };
      socket.close();
    });
    let final = false;
    try {
      for await (const frame of socket.frames) {
        if (frame.binary) continue;
        const message = parseMessage(frame.text);
        if (!message) continue;
        if (typeof message.audio === 'string' && message.audio.length > 0) {
          if (sentCharacters > countedCharacters) {
            call.sent(sentCharacters - countedCharacters);
            countedCharacters = sentCharacters;
          }
          piecesSinceAudio = 0;
          credit?.();
          credit = undefined;
          const audio = Buffer.from(message.audio, 'base64');
          yield new Uint8Array(audio.buffer, audio.byteOffset, audio.byteLength);
        }
        if (message.isFinal === true) {
          final = true;
          break;
        }
        if (typeof message.error === 'string' || (typeof message.message === 'string' && message.audio === undefined)) {
          throw streamInputError(message);
        }
      }
      if (pumpFailure) throw pumpFailure.error;
      if (!final) {
        throw new PatchbayError({
          code: 'unavailable',
          message: 'ElevenLabs closed the input stream before its final message',
          vendor: 'elevenlabs',
        });
      }
    } finally {
      closing = true;
      credit?.();
      socket.close();
      // Stops reading the caller's text (a read in flight ends on the caller's signal or its next piece).
      void pieces.return(undefined).catch(() => {});
      void pump;
    }
  }

  protected async doSynthesize(
    call: AudioCall<ElevenLabsSpeechSynthesizerSettings, Credentials>,
  ): Promise<VendorAudioResponse> {
    const { settings } = call;
    const client = await this.#clientFor(settings, call.credentials, call.signal);
    const voiceSettings =
      settings.voiceSettings || call.speed !== undefined
        ? { ...settings.voiceSettings, ...(call.speed !== undefined ? { speed: call.speed } : {}) }
        : undefined;
    const languageCode = languageCodeFor(call);
    const body = {
      ...(call.vendorOptions as object),
      text: call.text,
      modelId: call.model,
      // The SDK types output_format as a closed union; the id comes from the vendor's own table.
      outputFormat: elevenLabsOutputFormat(call.format, settings) as 'mp3_44100_128',
      // Left out, not undefined: the SDK would send an undefined field as `null`.
      ...(languageCode ? { languageCode } : {}),
      voiceSettings,
      enableLogging: settings.enableLogging,
      optimizeStreamingLatency: call.streaming ? settings.optimizeStreamingLatency : undefined,
    };
    const requestOptions = { abortSignal: call.signal, maxRetries: 0 };
    const pending = call.streaming
      ? client.textToSpeech.stream(call.voice, body, requestOptions)
      : client.textToSpeech.convert(call.voice, body, requestOptions);
    const { data, rawResponse } = await pending.withRawResponse();
    return {
      body: data,
      contentType: rawResponse.headers.get('content-type'),
      requestId: rawResponse.headers.get('request-id') ?? undefined,
    };
  }

  /** The account's voices (`GET /v1/voices`). */
  async listVoices(options: CallOptions = {}): Promise<Voice[]> {
    return this.run(options, async ({ settings, credentials, signal }) => {
      const client = await this.#clientFor(settings, credentials, signal);
      const response = await client.voices.getAll({}, { abortSignal: signal, maxRetries: 0 });
      return response.voices.map((voice) => ({
        id: voice.voiceId,
        name: voice.name ?? voice.voiceId,
        language: voice.labels?.language ?? voice.verifiedLanguages?.[0]?.language,
        gender: voice.labels?.gender,
        previewUrl: voice.previewUrl ?? undefined,
      }));
    });
  }

  /** `GET /v1/user/subscription`: free, proves the key, and tells how much of the character quota is left. */
  protected checkConnection(
    context: VendorCallContext<ElevenLabsSpeechSynthesizerSettings, Credentials>,
  ): Promise<ConnectionCheck> {
    return this.mapFailures(context, async () => {
      const client = await this.#clientFor(context.settings, context.credentials, context.signal);
      const subscription = await client.user.subscription.get({ abortSignal: context.signal, maxRetries: 0 });
      return {
        message: `Connected to ElevenLabs (${subscription.tier}; ${subscription.characterCount} of ${subscription.characterLimit} characters used)`,
        details: {
          tier: subscription.tier,
          characterCount: subscription.characterCount,
          characterLimit: subscription.characterLimit,
        },
      };
    });
  }
}

/** Models that take no `language_code`: they read the language from the text. */
const modelsWithoutLanguageCode = /^eleven_(multilingual_v[12]|monolingual_v1)$/;

/**
 * The `language_code` for a call: ElevenLabs takes ISO 639-1, the primary subtag of the request's BCP-47
 * `language`. For a model that takes none it is undefined (nothing is sent) and the call gets a warning.
 */
function languageCodeFor(call: { language: string | undefined; model: string; warnings: CallWarning[] }) {
  const languageCode = call.language?.split('-')[0]?.toLowerCase();
  if (!languageCode || !modelsWithoutLanguageCode.test(call.model)) return languageCode;
  call.warnings.push({
    type: 'unsupported-setting',
    setting: 'language',
    message: `${call.model} detects the language from the text; language_code was not sent`,
  });
  return undefined;
}

/** Pieces of text sent ahead of the audio on the input stream. */
const piecesAhead = 3;

function parseMessage(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** An error message on the input stream (`{"message", "error", "code"}`). */
function streamInputError(message: Record<string, unknown>): PatchbayError {
  const vendorCode = typeof message.error === 'string' ? message.error : undefined;
  const auth = vendorCode === 'invalid_api_key' || vendorCode === 'needs_authorization' || message.code === 1008;
  return new PatchbayError({
    code: auth ? 'auth' : vendorCode === 'quota_exceeded' ? 'quota_exceeded' : 'unavailable',
    // Auth messages may echo the key: they are not copied.
    message: `ElevenLabs reported an error on the input stream${vendorCode ? ` (${vendorCode})` : ''}${
      auth || typeof message.message !== 'string' ? '' : `: ${message.message.slice(0, 200)}`
    }`,
    vendor: 'elevenlabs',
    vendorCode,
  });
}

/**
 * An ElevenLabs speech synthesizer. Never throws for a missing key: credentials
 * resolve per call (settings, then the tenant's store, then ELEVENLABS_API_KEY).
 */
export function createElevenLabsSpeechSynthesizer(
  options: ElevenLabsSpeechSynthesizerOptions = {},
): ElevenLabsSpeechSynthesizer {
  const { id = 'elevenlabs', fetch, credentialStore, env, ...settings } = options;
  return new ElevenLabsSpeechSynthesizer({ id, settings, runtime: { fetch, credentialStore, env } });
}

export const elevenlabsSpeechSynthesizerFactory = defineProviderFactory({
  kind: 'tts',
  vendor: 'elevenlabs',
  label: 'ElevenLabs (speech synthesis)',
  docsUrl: 'https://elevenlabs.io/docs/api-reference/text-to-speech/convert',
  create: ({ id, settings, runtime }) => new ElevenLabsSpeechSynthesizer({ id, settings, runtime }),
});
