import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type RecordedRequest, type SimulatorRoute, sendJson } from '../framework/index.js';
import { defaultTranscript, round, simulatedDuration, simulatedWords } from '../shared/simulated-transcription.js';

export interface DeepgramListenOptions {
  /** What every recording "says". */
  transcript?: string | undefined;
  /** API keys the simulator accepts (`Authorization: Token <key>`). */
  apiKeys?: readonly string[] | undefined;
  /** Duration reported for audio fetched from a URL (the simulator fetches nothing). */
  urlDurationSeconds?: number | undefined;
  /** Language reported when `detect_language=true`. */
  detectedLanguage?: string | undefined;
}

/** Deepgram's error body: `{ err_code, err_msg, request_id }`. */
export function deepgramErrorBody(status: number, message: string): Record<string, string> {
  const code =
    status === 400
      ? 'Bad Request'
      : status === 401
        ? 'INVALID_AUTH'
        : status === 402
          ? 'ASR_PAYMENT_REQUIRED'
          : status === 403
            ? 'INSUFFICIENT_PERMISSIONS'
            : status === 404
              ? 'NOT_FOUND'
              : status === 429
                ? 'TOO_MANY_REQUESTS'
                : status === 503
                  ? 'SERVICE_UNAVAILABLE'
                  : 'INTERNAL_SERVER_ERROR';
  return { err_code: code, err_msg: message, request_id: randomUUID() };
}

/** The key of a `Token <key>` (API key) or `Bearer <token>` header, if any. */
export function deepgramKeyOf(authorization: string | string[] | undefined): string | undefined {
  const value = Array.isArray(authorization) ? authorization[0] : authorization;
  const match = /^(?:Token|Bearer)\s+(.+)$/i.exec(value ?? '');
  return match?.[1]?.trim();
}

function authorized(request: RecordedRequest, response: ServerResponse, apiKeys: readonly string[]): boolean {
  const key = deepgramKeyOf(request.headers.authorization);
  if (key && apiKeys.includes(key)) return true;
  sendJson(response, 401, deepgramErrorBody(401, 'Invalid credentials.'), { 'dg-error': 'Invalid credentials.' });
  return false;
}

function flag(query: URLSearchParams, name: string): boolean {
  return query.get(name) === 'true';
}

/** Words as Deepgram reports them, with `punctuated_word` and `speaker` when asked. */
export function deepgramWords(
  transcript: string,
  duration: number,
  options: { punctuate: boolean; diarize: boolean; offset?: number; total?: number },
) {
  const words = simulatedWords(transcript, duration);
  return words.map((word, index) => ({
    word: word.word.toLowerCase().replace(/[^\p{L}\p{N}']/gu, ''),
    start: round(word.start + (options.offset ?? 0)),
    end: round(word.end + (options.offset ?? 0)),
    confidence: word.confidence,
    ...(options.punctuate
      ? {
          punctuated_word:
            (index === 0 ? word.word.charAt(0).toUpperCase() + word.word.slice(1) : word.word) +
            (index === words.length - 1 ? '.' : ''),
        }
      : {}),
    // Two speakers taking turns half-way through: enough to see diarization arrive.
    ...(options.diarize ? { speaker: index < words.length / 2 ? 0 : 1 } : {}),
  }));
}

/**
 * Pre-recorded transcription (`POST /v1/listen`, raw audio body or JSON `{url}`)
 * and the project list (`GET /v1/projects`), the cheapest authenticated call.
 */
export function deepgramListenRoutes(options: DeepgramListenOptions = {}): SimulatorRoute[] {
  const apiKeys = options.apiKeys ?? ['test-key'];
  const transcript = options.transcript ?? defaultTranscript;
  return [
    {
      method: 'GET',
      path: '/v1/projects',
      handler: ({ request, response }) => {
        if (!authorized(request, response, apiKeys)) return;
        sendJson(response, 200, { projects: [{ project_id: 'simulated-project', name: 'Simulated project' }] });
      },
    },
    {
      method: 'POST',
      path: '/v1/listen',
      handler: ({ request, response }) => {
        if (!authorized(request, response, apiKeys)) return;
        const type = String(request.headers['content-type'] ?? '');
        const query = request.query;
        let duration: number;
        if (type.includes('application/json')) {
          const url = (request.json as { url?: unknown } | undefined)?.url;
          if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
            sendJson(response, 400, deepgramErrorBody(400, 'Bad Request: missing or invalid url'));
            return;
          }
          duration = options.urlDurationSeconds ?? 5;
        } else {
          if (request.body.length === 0 || type.startsWith('text/')) {
            sendJson(
              response,
              400,
              deepgramErrorBody(400, 'Bad Request: failed to process audio: corrupt or unsupported data'),
            );
            return;
          }
          duration = simulatedDuration(request.body, {
            encoding: query.get('encoding'),
            sampleRate: query.has('sample_rate') ? Number(query.get('sample_rate')) : undefined,
            channels: query.has('channels') ? Number(query.get('channels')) : undefined,
          });
        }
        const punctuate = flag(query, 'punctuate') || flag(query, 'smart_format');
        const words = deepgramWords(transcript, duration, { punctuate, diarize: flag(query, 'diarize') });
        const text = punctuate
          ? words.map((word) => word.punctuated_word).join(' ')
          : words.map((w) => w.word).join(' ');
        const requestId = randomUUID();
        sendJson(
          response,
          200,
          {
            metadata: {
              transaction_key: 'deprecated',
              request_id: requestId,
              sha256: '0'.repeat(64),
              created: new Date().toISOString(),
              duration,
              channels: 1,
              models: ['simulated-model-uuid'],
              model_info: {
                'simulated-model-uuid': { name: query.get('model') ?? 'base', version: 'simulated', arch: 'sim' },
              },
            },
            results: {
              channels: [
                {
                  ...(flag(query, 'detect_language')
                    ? { detected_language: options.detectedLanguage ?? 'en', language_confidence: 0.97 }
                    : {}),
                  alternatives: [{ transcript: text, confidence: words.length ? 0.98 : 0, words }],
                },
              ],
            },
          },
          { 'dg-request-id': requestId },
        );
      },
    },
  ];
}
