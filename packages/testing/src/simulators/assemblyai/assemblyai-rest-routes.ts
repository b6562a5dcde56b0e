import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type RecordedRequest, type SimulatorRoute, sendJson } from '../framework/index.js';
import { defaultTranscript, simulatedDuration, simulatedWords } from '../shared/simulated-transcription.js';

export interface AssemblyAIRestOptions {
  transcript?: string | undefined;
  apiKeys?: readonly string[] | undefined;
  /** How many polls of a new transcript answer `processing` before it is `completed` (default 0). */
  processingPolls?: number | undefined;
}

/** What the simulator keeps of one transcript job. */
export interface AssemblyAITranscriptRecord {
  id: string;
  request: Record<string, unknown>;
  polls: number;
  /** The audio's duration in seconds (uploads: from the bytes; URLs: 1 s). */
  duration: number;
  /** Set by `failTranscript()`: the job ends with `status: "error"` and this text. */
  error?: string | undefined;
}

/** State the REST routes share with the simulator (uploads, jobs, a pending transcript failure, tokens). */
export interface AssemblyAIRestState {
  uploads: Map<string, Uint8Array>;
  transcripts: Map<string, AssemblyAITranscriptRecord>;
  nextTranscriptError: string | undefined;
  tokens: Set<string>;
}

/** AssemblyAI's error body: `{ "error": "<text>" }`. */
export function assemblyaiErrorBody(status: number, message: string): { error: string } {
  if (status === 401) return { error: 'Authentication error, API token missing/invalid' };
  return { error: message };
}

function authorized(request: RecordedRequest, response: ServerResponse, apiKeys: readonly string[]): boolean {
  const key = request.headers.authorization;
  if (typeof key === 'string' && apiKeys.includes(key)) return true;
  sendJson(response, 401, assemblyaiErrorBody(401, 'unauthorized'));
  return false;
}

/**
 * `POST /v2/upload` (raw bytes → `upload_url`), `POST /v2/transcript`, `GET /v2/transcript/:id` (queued →
 * processing for `processingPolls` polls → completed, or error), `GET /v2/transcript` (the list `test()` reads)
 * and `GET /v3/token` (a temporary streaming token).
 */
export function assemblyaiRestRoutes(
  options: AssemblyAIRestOptions,
  state: AssemblyAIRestState,
  baseURL: () => string,
): SimulatorRoute[] {
  const apiKeys = options.apiKeys ?? ['test-key'];
  const transcriptText = options.transcript ?? defaultTranscript;
  return [
    {
      method: 'POST',
      path: '/v2/upload',
      handler: ({ request, response }) => {
        if (!authorized(request, response, apiKeys)) return;
        if (request.body.length === 0) {
          sendJson(response, 400, assemblyaiErrorBody(400, 'Upload body is empty'));
          return;
        }
        const id = randomUUID();
        state.uploads.set(id, new Uint8Array(request.body));
        sendJson(response, 200, { upload_url: `${baseURL()}/uploads/${id}` });
      },
    },
    {
      method: 'POST',
      path: '/v2/transcript',
      handler: ({ request, response }) => {
        if (!authorized(request, response, apiKeys)) return;
        const body = request.json as Record<string, unknown> | undefined;
        const audioURL = body?.audio_url;
        if (typeof audioURL !== 'string' || !/^https?:\/\//.test(audioURL)) {
          sendJson(response, 400, assemblyaiErrorBody(400, 'Invalid audio_url'));
          return;
        }
        const uploadId = audioURL.startsWith(`${baseURL()}/uploads/`) ? audioURL.split('/').pop() : undefined;
        const upload = uploadId ? state.uploads.get(uploadId) : undefined;
        if (uploadId && !upload) {
          sendJson(response, 400, assemblyaiErrorBody(400, 'Upload not found'));
          return;
        }
        const id = randomUUID();
        const record: AssemblyAITranscriptRecord = {
          id,
          request: body ?? {},
          polls: 0,
          duration: upload ? simulatedDuration(upload) : 1,
          error: state.nextTranscriptError,
        };
        state.nextTranscriptError = undefined;
        state.transcripts.set(id, record);
        sendJson(response, 200, transcriptBody(record, 'queued', transcriptText));
      },
    },
    {
      method: 'GET',
      path: '/v2/transcript',
      handler: ({ request, response }) => {
        if (!authorized(request, response, apiKeys)) return;
        sendJson(response, 200, {
          page_details: { limit: Number(request.query.get('limit') ?? 10), result_count: 0 },
          transcripts: [],
        });
      },
    },
    {
      method: 'GET',
      path: '/v2/transcript/:id',
      handler: ({ request, params, response }) => {
        if (!authorized(request, response, apiKeys)) return;
        const record = state.transcripts.get(params.id ?? '');
        if (!record) {
          sendJson(response, 404, assemblyaiErrorBody(404, 'Transcript not found'));
          return;
        }
        record.polls++;
        const processing = record.polls <= (options.processingPolls ?? 0);
        const status = processing ? 'processing' : record.error ? 'error' : 'completed';
        sendJson(response, 200, transcriptBody(record, status, transcriptText));
      },
    },
    {
      method: 'GET',
      path: '/v3/token',
      handler: ({ request, response }) => {
        if (!authorized(request, response, apiKeys)) return;
        const token = `tmp-${randomUUID()}`;
        state.tokens.add(token);
        sendJson(response, 200, { token });
      },
    },
  ];
}

function transcriptBody(record: AssemblyAITranscriptRecord, status: string, text: string): Record<string, unknown> {
  const done = status === 'completed';
  const words = done
    ? simulatedWords(text, record.duration).map((word) => ({
        text: word.word,
        start: Math.round(word.start * 1000),
        end: Math.round(word.end * 1000),
        confidence: word.confidence,
        speaker: record.request.speaker_labels === true ? 'A' : null,
      }))
    : null;
  return {
    id: record.id,
    status,
    audio_url: record.request.audio_url,
    speech_model: record.request.speech_model ?? 'universal',
    language_code: record.request.language_code ?? 'en_us',
    text: done ? text : null,
    words,
    confidence: done ? 0.98 : null,
    audio_duration: done ? record.duration : null,
    ...(status === 'error' ? { error: record.error } : {}),
  };
}
