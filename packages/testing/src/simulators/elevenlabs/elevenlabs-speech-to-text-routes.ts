import { type SimulatorExchange, type SimulatorRoute, sendJson } from '../framework/index.js';
import {
  defaultTranscript,
  multipartForm,
  round,
  simulatedDuration,
  simulatedWords,
} from '../shared/simulated-transcription.js';

export interface ElevenLabsSpeechToTextOptions {
  /** Keys accepted in `xi-api-key`; default `['test-key']` (the simulator state's `validKeys` fits here). */
  validKeys?: readonly string[] | undefined;
  /** What every recording "says". */
  transcript?: string | undefined;
  /** Duration reported for `cloud_storage_url` audio (the simulator fetches nothing). */
  urlDurationSeconds?: number | undefined;
}

function detail(exchange: SimulatorExchange, status: number, reason: string, message: string): void {
  sendJson(exchange.response, status, { detail: { status: reason, message } });
}

/**
 * `POST /v1/speech-to-text` (multipart, `file` or `cloud_storage_url`): Scribe's
 * answer with word and spacing tokens, `speaker_id` when `diarize=true`, and
 * the audio duration. Checks `xi-api-key` itself.
 */
export function elevenlabsSpeechToTextRoutes(options: ElevenLabsSpeechToTextOptions = {}): SimulatorRoute[] {
  const validKeys = options.validKeys ?? ['test-key'];
  const transcript = options.transcript ?? defaultTranscript;
  return [
    {
      method: 'POST',
      path: '/v1/speech-to-text',
      handler: async (exchange) => {
        const { request, response } = exchange;
        const key = request.headers['xi-api-key'];
        if (typeof key !== 'string' || !validKeys.includes(key)) {
          return detail(exchange, 401, key ? 'invalid_api_key' : 'needs_authorization', 'Invalid API key');
        }
        const form = await multipartForm(request);
        if (!form) return detail(exchange, 400, 'invalid_request', 'Could not parse multipart form');
        const model = form.get('model_id');
        if (typeof model !== 'string' || !model) {
          sendJson(response, 422, {
            detail: [{ type: 'missing', loc: ['body', 'model_id'], msg: 'Field required', input: null }],
          });
          return;
        }
        const file = form.get('file');
        const url = form.get('cloud_storage_url');
        let duration: number;
        if (file instanceof Blob) {
          if (file.size === 0 || file.type.startsWith('text/')) {
            return detail(exchange, 400, 'invalid_content', 'The uploaded file is not a supported audio or video file');
          }
          duration = simulatedDuration(new Uint8Array(await file.arrayBuffer()));
        } else if (typeof url === 'string' && /^https:\/\//.test(url)) {
          duration = options.urlDurationSeconds ?? 5;
        } else {
          return detail(exchange, 400, 'invalid_request', 'Provide either file or a valid https cloud_storage_url');
        }
        const diarize = form.get('diarize') === 'true';
        const words = simulatedWords(transcript, duration);
        const tokens: unknown[] = [];
        words.forEach((word, index) => {
          const speaker = diarize ? { speaker_id: index < words.length / 2 ? 'speaker_0' : 'speaker_1' } : {};
          if (index > 0) {
            tokens.push({ text: ' ', start: word.start, end: word.start, type: 'spacing', logprob: 0, ...speaker });
          }
          tokens.push({ text: word.word, start: word.start, end: word.end, type: 'word', logprob: -0.02, ...speaker });
        });
        const language = form.get('language_code');
        sendJson(response, 200, {
          language_code: typeof language === 'string' && language ? language : 'eng',
          language_probability: 0.98,
          text: words.map((word) => word.word).join(' '),
          words: tokens,
          transcription_id: `sim-${Date.now().toString(36)}`,
          audio_duration_secs: round(duration),
        });
      },
    },
  ];
}
