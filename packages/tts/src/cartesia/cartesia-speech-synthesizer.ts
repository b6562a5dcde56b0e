import type { CallOptions, SpeechRequest, SpeechSynthesizerCapabilities, Voice } from '@patchbay/core';
import {
  type ConnectionCheck,
  defineProviderFactory,
  PatchbayError,
  type ProviderRuntime,
  vendorFetch,
} from '@patchbay/core/adapter';
import { formatCapabilities } from '../audio-format.js';
import { openAudioStream, type VendorAudioResponse } from '../audio-stream.js';
import { audioResponse, jsonOf } from '../shared/speech-http.js';
import {
  type AudioCall,
  SpeechSynthesizerAdapter,
  type TextStreamCall,
  type VendorCallContext,
} from '../shared/speech-synthesizer-adapter.js';
import { cartesiaSpeechError } from './cartesia-error.js';
import {
  type CartesiaSpeechSynthesizerSettings,
  type CartesiaSpeechSynthesizerSettingsInput,
  cartesiaCredentials,
  cartesiaFormats,
  cartesiaOutputFormat,
  cartesiaSpeechSynthesizerSettingsSchema,
} from './cartesia-settings.js';
import {
  CartesiaConnectionFailure,
  type CartesiaGeneration,
  CartesiaWebSocket,
  streamCartesiaText,
} from './cartesia-websocket.js';

type Credentials = { apiKey: string };
type Settings = CartesiaSpeechSynthesizerSettings;

export interface CartesiaSpeechSynthesizerOptions extends CartesiaSpeechSynthesizerSettingsInput {
  /** Provider id; defaults to `cartesia`. */
  id?: string;
  fetch?: typeof globalThis.fetch;
  credentialStore?: ProviderRuntime['credentialStore'];
  env?: ProviderRuntime['env'];
}

export const cartesiaSpeechCapabilities: SpeechSynthesizerCapabilities = {
  streaming: true,
  listVoices: true,
  formats: formatCapabilities(cartesiaFormats),
};

const rawEncodings = new Set(['pcm_s16le', 'mulaw', 'alaw']);

function origin(settings: Settings): string {
  return settings.baseURL.replace(/\/+$/, '');
}

/**
 * Cartesia Sonic text to speech over its REST API (`POST /tts/bytes`, a chunked
 * audio body) and its websocket (`/tts/websocket`, used by `stream()` for raw
 * formats). No SDK: undici's fetch and WebSocket, as Node ships them.
 */
export class CartesiaSpeechSynthesizer extends SpeechSynthesizerAdapter<Settings, Credentials> {
  readonly capabilities = cartesiaSpeechCapabilities;
  protected readonly formats = cartesiaFormats;

  constructor(options: { id: string; settings: unknown; runtime?: ProviderRuntime }) {
    super({
      id: options.id,
      vendor: 'cartesia',
      schema: cartesiaSpeechSynthesizerSettingsSchema,
      settings: options.settings,
      credentials: cartesiaCredentials,
      runtime: options.runtime,
    });
  }

  get #fetch(): typeof globalThis.fetch {
    return this.runtime.fetch ?? globalThis.fetch;
  }

  #headers(settings: Settings, apiKey: string): Record<string, string> {
    return { 'X-API-Key': apiKey, 'Cartesia-Version': settings.version };
  }

  protected modelFor(request: SpeechRequest, settings: Settings): string {
    return request.model ?? settings.model;
  }

  protected mapError(error: unknown): PatchbayError | undefined {
    return cartesiaSpeechError(error);
  }

  /** The generation fields of a call, shared by REST and websocket requests. */
  #generation(call: AudioCall<Settings, Credentials>): Omit<CartesiaGeneration, 'output_format'> {
    let generationConfig: Record<string, unknown> | undefined;
    if (call.speed !== undefined) {
      if (call.model.startsWith('sonic-3')) generationConfig = { speed: call.speed };
      else {
        call.warnings.push({
          type: 'unsupported-setting',
          setting: 'speed',
          message: `Cartesia controls speed on sonic-3 models only, not ${call.model}`,
        });
      }
    }
    return {
      model_id: call.model,
      voice: { mode: 'id', id: call.voice },
      // Cartesia takes ISO 639-1 codes (`en`, `fr`), not full BCP-47 tags.
      ...(call.language ? { language: call.language.split(/[-_]/)[0]?.toLowerCase() } : {}),
      ...(generationConfig ? { generation_config: generationConfig } : {}),
    };
  }

  protected async doSynthesize(call: AudioCall<Settings, Credentials>): Promise<VendorAudioResponse> {
    const response = await vendorFetch(this.#fetch, `${origin(call.settings)}/tts/bytes`, {
      method: 'POST',
      headers: { ...this.#headers(call.settings, call.credentials.values.apiKey), 'content-type': 'application/json' },
      body: JSON.stringify({
        ...this.#generation(call),
        transcript: call.text,
        output_format: cartesiaOutputFormat(call.format, call.settings.mp3BitRate),
      }),
      signal: call.signal,
    });
    return audioResponse(response, 'x-request-id');
  }

  protected override async doStream(call: AudioCall<Settings, Credentials>): Promise<VendorAudioResponse> {
    if (call.settings.streamTransport === 'bytes' || !rawEncodings.has(call.format.encoding)) {
      return this.doSynthesize(call);
    }
    const socket = await this.#connect(call.settings, call.credentials.values.apiKey, call.signal);
    const context = socket.context({
      ...this.#generation(call),
      output_format: cartesiaOutputFormat(call.format, call.settings.mp3BitRate) as CartesiaGeneration['output_format'],
    });
    context.finish(call.text);
    return { body: this.#audioBody(socket, context.audio()), contentType: 'application/octet-stream' };
  }

  /**
   * Streamed text input (for the skeleton's `streamText()` hook): every piece of
   * `texts` goes to one websocket context with `continue: true`, then an empty
   * last piece with `continue: false`; the audio comes back as it is produced.
   * Raw formats only (the websocket produces no WAV or MP3).
   */
  protected async openTextStream(
    call: AudioCall<Settings, Credentials>,
    texts: AsyncIterable<string>,
  ): Promise<VendorAudioResponse> {
    if (!rawEncodings.has(call.format.encoding)) {
      throw new PatchbayError({
        code: 'invalid_request',
        message: `Cartesia streams text input over its websocket, which produces raw audio only, not ${call.format.encoding}`,
        provider: this.id,
        vendor: this.vendor,
        details: { field: 'format', issues: [{ path: 'format', message: 'use pcm_s16le, mulaw or alaw' }] },
      });
    }
    const socket = await this.#connect(call.settings, call.credentials.values.apiKey, call.signal);
    const generation: CartesiaGeneration = {
      ...this.#generation(call),
      output_format: cartesiaOutputFormat(call.format, call.settings.mp3BitRate) as CartesiaGeneration['output_format'],
    };
    return {
      body: this.#audioBody(socket, streamCartesiaText(socket, generation, texts)),
      contentType: 'application/octet-stream',
    };
  }

  /**
   * `streamText()`: raw formats go over one websocket context, each piece sent as it arrives with
   * `continue: true` (Cartesia buffers and prosodies across pieces itself, so no chunking here); WAV and MP3,
   * which the websocket cannot produce, fall back to the skeleton's sentence chunker over `/tts/bytes`.
   */
  protected override doStreamText(call: TextStreamCall<Settings, Credentials>): AsyncIterable<Uint8Array> {
    if (!rawEncodings.has(call.format.encoding)) return super.doStreamText(call);
    return this.#streamTextOverSocket(call);
  }

  async *#streamTextOverSocket(call: TextStreamCall<Settings, Credentials>): AsyncGenerator<Uint8Array> {
    let sent = 0;
    let counted = 0;
    const texts = (async function* () {
      for await (const piece of call.text) {
        if (piece.length === 0) continue;
        sent += piece.length;
        yield piece;
      }
    })();
    const response = await this.openTextStream({ ...call, text: '', streaming: true }, texts);
    const audio = await openAudioStream(response, { provider: this.id, vendor: this.vendor, signal: call.signal });
    for await (const chunk of audio) {
      // Characters count once the vendor answers with audio for them.
      if (sent > counted) {
        call.sent(sent - counted);
        counted = sent;
      }
      yield chunk;
    }
  }

  /**
   * Opens the websocket. A refused handshake reaches a WHATWG WebSocket without
   * its status, so a failure before the connection opened asks the REST API
   * (`GET /voices`, free) with the same key: a rejected key or a limit shows
   * there as its real error; otherwise it is a connection failure.
   */
  async #connect(settings: Settings, apiKey: string, signal: AbortSignal | undefined): Promise<CartesiaWebSocket> {
    try {
      return await CartesiaWebSocket.connect({
        url: `${origin(settings).replace(/^http/, 'ws')}/tts/websocket`,
        apiKey,
        version: settings.version,
        signal,
      });
    } catch (error) {
      if (!(error instanceof CartesiaConnectionFailure) || signal?.aborted) throw error;
      await this.#listVoices(settings, apiKey, signal, 1);
      throw new PatchbayError({
        code: 'connection',
        message: 'Cartesia websocket failed to open',
        provider: this.id,
        vendor: this.vendor,
      });
    }
  }

  /** The context's audio as the body the skeleton opens; vendor errors mapped, a lost connection left as a cut. */
  #audioBody(socket: CartesiaWebSocket, audio: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
    let received = 0;
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          try {
            const next = await audio.next();
            if (next.done) {
              socket.close();
              controller.close();
              return;
            }
            received += next.value.length;
            controller.enqueue(next.value);
          } catch (error) {
            socket.close();
            const mapped = this.mapError(error)?.withProvider(this.id, this.vendor);
            if (mapped && received > 0) {
              // An error event after audio went out is a cut clip, whatever the vendor's reason.
              throw new PatchbayError({
                code: 'stream_cut',
                message: `Audio from Cartesia broke off after ${received} bytes: ${mapped.message}`,
                provider: this.id,
                vendor: this.vendor,
                status: mapped.status,
                vendorCode: mapped.vendorCode,
                requestId: mapped.requestId,
              });
            }
            if (mapped) throw mapped;
            if (error instanceof CartesiaConnectionFailure && received === 0) {
              throw new PatchbayError({
                code: 'connection',
                message: 'Cartesia websocket closed before any audio',
                provider: this.id,
                vendor: this.vendor,
              });
            }
            // Later: the skeleton reports the break as stream_cut.
            throw error;
          }
        },
        cancel: async () => {
          await audio.return(undefined);
          socket.close();
        },
      },
      { highWaterMark: 0 },
    );
  }

  async #listVoices(
    settings: Settings,
    apiKey: string,
    signal: AbortSignal | undefined,
    limit?: number,
  ): Promise<unknown> {
    const query = limit ? `?limit=${limit}` : '';
    const response = await vendorFetch(this.#fetch, `${origin(settings)}/voices${query}`, {
      method: 'GET',
      headers: this.#headers(settings, apiKey),
      signal,
    });
    return jsonOf(response);
  }

  /** Cartesia's voice library (`GET /voices`; a list, or `{ data }` pages from newer API versions). */
  async listVoices(options: CallOptions = {}): Promise<Voice[]> {
    return this.run(options, async ({ settings, credentials, signal }) => {
      const body = await this.#listVoices(settings, credentials.values.apiKey, signal);
      const list = Array.isArray(body) ? body : (body as { data?: unknown } | undefined)?.data;
      if (!Array.isArray(list)) return [];
      return list.flatMap((entry: Record<string, unknown>) =>
        typeof entry?.id === 'string'
          ? [
              {
                id: entry.id,
                name: typeof entry.name === 'string' ? entry.name : entry.id,
                language: typeof entry.language === 'string' ? entry.language : undefined,
                gender: typeof entry.gender === 'string' ? entry.gender : undefined,
              },
            ]
          : [],
      );
    });
  }

  /** `GET /voices?limit=1`: free and proves the key. */
  protected checkConnection(context: VendorCallContext<Settings, Credentials>): Promise<ConnectionCheck> {
    return this.mapFailures(context, async () => {
      await this.#listVoices(context.settings, context.credentials.values.apiKey, context.signal, 1);
      return { message: 'Connected to Cartesia', details: { version: context.settings.version } };
    });
  }
}

/**
 * A Cartesia speech synthesizer. Never throws for a missing key: credentials
 * resolve per call (settings, then the tenant's store, then CARTESIA_API_KEY).
 */
export function createCartesiaSpeechSynthesizer(
  options: CartesiaSpeechSynthesizerOptions = {},
): CartesiaSpeechSynthesizer {
  const { id = 'cartesia', fetch, credentialStore, env, ...settings } = options;
  return new CartesiaSpeechSynthesizer({ id, settings, runtime: { fetch, credentialStore, env } });
}

export const cartesiaSpeechSynthesizerFactory = defineProviderFactory({
  kind: 'tts',
  vendor: 'cartesia',
  label: 'Cartesia (speech synthesis)',
  docsUrl: 'https://docs.cartesia.ai/api-reference/tts/bytes',
  create: ({ id, settings, runtime }) => new CartesiaSpeechSynthesizer({ id, settings, runtime }),
});
