import type { IncomingMessage } from 'node:http';
import { type SpeechSocketContext, SpeechSocketSimulator } from '../shared/speech-socket-simulator.js';
import { type SyntheticAudioFormat, speechDurationSeconds, syntheticAudioChunks } from '../shared/synthetic-audio.js';
import { elevenLabsErrorBody } from './elevenlabs-simulator-state.js';
import { parseElevenLabsOutputFormat } from './elevenlabs-text-to-speech-routes.js';

export interface ElevenLabsStreamInputOptions {
  /** Keys accepted in the `xi-api-key` header or the first message's `xi_api_key`; default `['test-key']`. */
  apiKeys?: readonly string[] | undefined;
  /** Seconds of audio per character of text (default 0.06). */
  secondsPerCharacter?: number | undefined;
  /** Bytes of audio per `audio` message before base64 (default 4096). */
  chunkBytes?: number | undefined;
  /** Buffered characters that make `try_trigger_generation` speak (default 50, like the vendor's first schedule step). */
  triggerCharacters?: number | undefined;
}

const path = /^\/v1\/text-to-speech\/([^/]+)\/stream-input$/;

/**
 * ElevenLabs' websocket input streaming (`wss://api.elevenlabs.io/v1/text-to-speech/{voice_id}/stream-input`)
 * on its own loopback port. The first message opens the session (`{"text": " ", "voice_settings"…}`, with
 * `xi_api_key` unless the header carries it); each `{"text": "…"}` is buffered and spoken when it carries
 * `flush: true`, or `try_trigger_generation: true` with enough text buffered; `{"text": ""}` speaks the rest,
 * answers `{"isFinal": true}` and closes normally. Audio comes back as `{"audio": "<base64>", "isFinal": null,
 * "normalizedAlignment": …}`. A bad key in the first message closes with 1008. Faults: `inject()`.
 */
export class ElevenLabsStreamInputSimulator extends SpeechSocketSimulator {
  readonly #options: ElevenLabsStreamInputOptions;

  constructor(options: ElevenLabsStreamInputOptions = {}) {
    super();
    this.#options = options;
  }

  get #keys(): readonly string[] {
    return this.#options.apiKeys ?? ['test-key'];
  }

  protected accepts(requestPath: string): boolean {
    return path.test(requestPath);
  }

  protected authorize(request: IncomingMessage, query: URLSearchParams) {
    const key = request.headers['xi-api-key'];
    if (typeof key === 'string' && !this.#keys.includes(key)) {
      return { status: 401, body: elevenLabsErrorBody(401, 'Invalid API key', 'invalid_api_key') };
    }
    const format = query.get('output_format') ?? 'mp3_44100_128';
    if (!parseElevenLabsOutputFormat(format)) {
      return {
        status: 400,
        body: elevenLabsErrorBody(400, `Invalid output format: ${format}`, 'invalid_output_format'),
      };
    }
    return undefined;
  }

  protected errorBody(status: number, message: string): unknown {
    return elevenLabsErrorBody(status, message);
  }

  protected serve({ client, session, sendAudio, sendJson }: SpeechSocketContext): void {
    const format = parseElevenLabsOutputFormat(
      session.query.get('output_format') ?? 'mp3_44100_128',
    ) as SyntheticAudioFormat;
    const headerKey = session.headers['xi-api-key'];
    let opened = false;
    let pending = '';
    let finished = false;
    const speak = (): boolean => {
      const text = pending;
      pending = '';
      if (text.trim() === '') return true;
      const duration = speechDurationSeconds(text, this.#options.secondsPerCharacter);
      for (const chunk of syntheticAudioChunks(format, duration, this.#options.chunkBytes ?? 4096)) {
        const sent = sendAudio(chunk, (bytes) => ({
          audio: Buffer.from(bytes).toString('base64'),
          isFinal: null,
          normalizedAlignment: { charStartTimesMs: [0], charsDurationsMs: [duration * 1000], chars: [text[0]] },
        }));
        if (!sent) return false;
      }
      return true;
    };
    client.on('message', (data, isBinary) => {
      if (isBinary || finished) return;
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(String(data)) as Record<string, unknown>;
      } catch {
        client.close(1007, 'Invalid JSON');
        return;
      }
      session.messages.push(message);
      if (typeof message.text !== 'string') {
        client.close(1008, 'Each message needs a text field');
        return;
      }
      if (!opened) {
        opened = true;
        const key = typeof headerKey === 'string' ? headerKey : message.xi_api_key;
        if (typeof key !== 'string' || !this.#keys.includes(key)) {
          sendJson({ message: 'Invalid API key', error: 'invalid_api_key', code: 1008 });
          client.close(1008, 'Invalid API key');
        }
        return;
      }
      if (message.text === '') {
        finished = true;
        if (!speak()) return;
        sendJson({ isFinal: true });
        client.close(1000);
        return;
      }
      pending += message.text;
      session.text += message.text;
      const trigger =
        message.flush === true ||
        (message.try_trigger_generation === true && pending.length >= (this.#options.triggerCharacters ?? 50));
      if (trigger) speak();
    });
  }
}

/** An ElevenLabs input-streaming simulator, not yet started: `await createElevenLabsStreamInputSimulator().start()`. */
export function createElevenLabsStreamInputSimulator(
  options: ElevenLabsStreamInputOptions = {},
): ElevenLabsStreamInputSimulator {
  return new ElevenLabsStreamInputSimulator(options);
}
