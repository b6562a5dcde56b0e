import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type SpeechSocketContext, SpeechSocketSimulator } from '../shared/speech-socket-simulator.js';
import { type SyntheticAudioFormat, speechDurationSeconds, syntheticAudioChunks } from '../shared/synthetic-audio.js';
import { deepgramAuraVoices } from './deepgram-speak-routes.js';

export interface DeepgramSpeakSocketOptions {
  /** API keys accepted (`Authorization: Token <key>`); default `['test-key']`. */
  apiKeys?: readonly string[] | undefined;
  /** Seconds of audio per character of text (default 0.06). */
  secondsPerCharacter?: number | undefined;
  /** Size of each binary audio frame (default 4096 bytes). */
  chunkBytes?: number | undefined;
}

// The websocket speaks raw audio only: Deepgram's streaming encodings and their rates.
const encodings: Record<string, { encoding: SyntheticAudioFormat['encoding']; rates: number[]; fallback: number }> = {
  linear16: { encoding: 'pcm_s16le', rates: [8000, 16000, 24000, 32000, 48000], fallback: 24000 },
  mulaw: { encoding: 'mulaw', rates: [8000, 16000], fallback: 8000 },
  alaw: { encoding: 'alaw', rates: [8000, 16000], fallback: 8000 },
};

function errorBody(status: number, message: string) {
  return { err_code: status === 401 ? 'INVALID_AUTH' : 'REQUEST_FAILED', err_msg: message, request_id: randomUUID() };
}

/**
 * Deepgram Aura's websocket speak API (`wss://api.deepgram.com/v1/speak`) on its own loopback port. The client
 * sends `{"type":"Speak","text"}` messages; on `{"type":"Flush"}` the text spoken since the last flush comes back
 * as binary audio frames followed by `{"type":"Flushed","sequence_id"}`; `{"type":"Clear"}` drops unspoken text
 * (`Cleared`); `{"type":"Close"}` closes normally. `Metadata` is sent on open. Faults: `inject()`.
 */
export class DeepgramSpeakSocketSimulator extends SpeechSocketSimulator {
  readonly #options: DeepgramSpeakSocketOptions;

  constructor(options: DeepgramSpeakSocketOptions = {}) {
    super();
    this.#options = options;
  }

  protected accepts(path: string): boolean {
    return path === '/v1/speak';
  }

  protected authorize(request: IncomingMessage, query: URLSearchParams) {
    const header = request.headers.authorization;
    const match = /^(?:Token|Bearer)\s+(.+)$/i.exec(Array.isArray(header) ? (header[0] ?? '') : (header ?? ''));
    if (!match?.[1] || !(this.#options.apiKeys ?? ['test-key']).includes(match[1].trim())) {
      return { status: 401, body: errorBody(401, 'Invalid credentials.') };
    }
    const model = query.get('model') ?? 'aura-asteria-en';
    if (!deepgramAuraVoices.some((voice) => voice.canonical_name === model)) {
      return { status: 400, body: errorBody(400, `No such model/version/voice combination found: ${model}`) };
    }
    const encoding = encodings[query.get('encoding') ?? 'linear16'];
    const rate = query.get('sample_rate');
    if (!encoding || (rate !== null && !encoding.rates.includes(Number(rate)))) {
      return { status: 400, body: errorBody(400, 'Unsupported audio format for streaming') };
    }
    return undefined;
  }

  protected errorBody(status: number, message: string): unknown {
    return errorBody(status, message);
  }

  protected serve({ client, session, sendAudio, sendJson }: SpeechSocketContext): void {
    const spec = encodings[session.query.get('encoding') ?? 'linear16'] ?? (encodings.linear16 as never);
    const format: SyntheticAudioFormat = {
      encoding: spec.encoding,
      sampleRate: Number(session.query.get('sample_rate') ?? spec.fallback),
    };
    const model = session.query.get('model') ?? 'aura-asteria-en';
    let pending = '';
    let sequence = 0;
    sendJson({
      type: 'Metadata',
      request_id: randomUUID(),
      model_name: model,
      model_version: '2025-01-01.0',
      model_uuid: randomUUID(),
    });
    client.on('message', (data, isBinary) => {
      if (isBinary) return;
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(String(data)) as Record<string, unknown>;
      } catch {
        sendJson({ type: 'Warning', description: 'Could not parse the message', code: 'INVALID_JSON' });
        return;
      }
      session.messages.push(message);
      switch (message.type) {
        case 'Speak':
          if (typeof message.text === 'string') {
            pending += message.text;
            session.text += message.text;
          }
          return;
        case 'Flush': {
          const text = pending;
          pending = '';
          if (text.trim() !== '') {
            const duration = speechDurationSeconds(text, this.#options.secondsPerCharacter);
            for (const chunk of syntheticAudioChunks(format, duration, this.#options.chunkBytes ?? 4096)) {
              if (!sendAudio(chunk)) return;
            }
          }
          sendJson({ type: 'Flushed', sequence_id: sequence++ });
          return;
        }
        case 'Clear':
          pending = '';
          sendJson({ type: 'Cleared', sequence_id: sequence++ });
          return;
        case 'Close':
          client.close(1000);
          return;
        default:
          sendJson({ type: 'Warning', description: `Unknown message type ${String(message.type)}`, code: 'UNKNOWN' });
      }
    });
  }
}

/** A Deepgram speak-websocket simulator, not yet started: `await createDeepgramSpeakSocketSimulator().start()`. */
export function createDeepgramSpeakSocketSimulator(
  options: DeepgramSpeakSocketOptions = {},
): DeepgramSpeakSocketSimulator {
  return new DeepgramSpeakSocketSimulator(options);
}
