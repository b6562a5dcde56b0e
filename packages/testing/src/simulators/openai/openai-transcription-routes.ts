import { type SimulatorExchange, type SimulatorRoute, sendJson } from '../framework/index.js';
import {
  defaultTranscript,
  multipartForm,
  round,
  simulatedDuration,
  simulatedWords,
} from '../shared/simulated-transcription.js';

export interface OpenAITranscriptionOptions {
  /** What every recording "says". */
  transcript?: string | undefined;
}

const supportedExtensions = new Set(['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']);
const verboseModels = new Set(['whisper-1']);

function invalid(exchange: SimulatorExchange, message: string, param: string | null = null): void {
  sendJson(exchange.response, 400, { error: { message, type: 'invalid_request_error', param, code: null } });
}

/**
 * `POST /v1/audio/transcriptions` (multipart): `json`, `text` and, for
 * `whisper-1`, `verbose_json` with word timestamps. Authentication is the
 * composing simulator's (it checks the bearer key before any route).
 */
export function openaiTranscriptionRoutes(options: OpenAITranscriptionOptions = {}): SimulatorRoute[] {
  const transcript = options.transcript ?? defaultTranscript;
  return [
    {
      method: 'POST',
      path: '/v1/audio/transcriptions',
      handler: async (exchange) => {
        const { request, response } = exchange;
        const form = await multipartForm(request);
        if (!form) {
          invalid(exchange, 'Could not parse multipart form');
          return;
        }
        const file = form.get('file');
        const model = form.get('model');
        if (typeof model !== 'string' || !model)
          return invalid(exchange, 'you must provide a model parameter', 'model');
        if (!(file instanceof Blob) || file.size === 0) return invalid(exchange, 'Missing or empty file', 'file');
        const name = (file as File).name ?? '';
        const extension = name.split('.').pop()?.toLowerCase() ?? '';
        if (!supportedExtensions.has(extension) || file.type.startsWith('text/')) {
          return invalid(
            exchange,
            `Invalid file format. Supported formats: ${JSON.stringify([...supportedExtensions])}`,
            'file',
          );
        }
        const format = String(form.get('response_format') ?? 'json');
        if (format === 'verbose_json' && !verboseModels.has(model)) {
          return invalid(
            exchange,
            `response_format 'verbose_json' is not compatible with model '${model}'. Use 'json' or 'text' instead.`,
            'response_format',
          );
        }
        const bytes = new Uint8Array(await file.arrayBuffer());
        const duration = simulatedDuration(bytes);
        const words = simulatedWords(transcript, duration);
        const text = words.map((word) => word.word).join(' ');
        if (format === 'text') {
          response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
          response.end(`${text}\n`);
          return;
        }
        const usage = verboseModels.has(model)
          ? { type: 'duration', seconds: Math.ceil(duration) }
          : {
              type: 'tokens',
              input_tokens: Math.ceil(duration * 10),
              output_tokens: words.length,
              total_tokens: Math.ceil(duration * 10) + words.length,
              input_token_details: { audio_tokens: Math.ceil(duration * 10), text_tokens: 0 },
            };
        if (format === 'verbose_json') {
          const granularities = form.getAll('timestamp_granularities[]').map(String);
          sendJson(response, 200, {
            task: 'transcribe',
            language: 'english',
            duration,
            text,
            ...(granularities.includes('word')
              ? { words: words.map((word) => ({ word: word.word, start: word.start, end: word.end })) }
              : {}),
            segments: [
              {
                id: 0,
                seek: 0,
                start: 0,
                end: round(duration),
                text,
                tokens: [],
                temperature: 0,
                avg_logprob: -0.1,
                compression_ratio: 1,
                no_speech_prob: 0.01,
              },
            ],
            usage,
          });
          return;
        }
        sendJson(response, 200, { text, usage });
      },
    },
  ];
}
