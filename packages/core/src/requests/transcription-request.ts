import { z } from 'zod';
import { schemaOnFirstUse } from '../config/lazy-schema.js';
import type { TranscriptionRequest } from '../spec/transcriber.js';
import { checkRequest } from './request-error.js';

// Built on first use: constructing zod schemas is most of a cold import's own cost.
const transcriptionRequestSchema = schemaOnFirstUse(() => {
  const audioSource = z.custom<TranscriptionRequest['audio']>(
    (value) =>
      value instanceof Uint8Array ||
      (typeof value === 'object' &&
        value !== null &&
        (typeof (value as { url?: unknown }).url === 'string' ||
          typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function')),
    'audio must be bytes (Uint8Array), an async iterable of bytes, or { url }',
  );

  return z.object({
    audio: audioSource,
    mimeType: z.string().min(1).optional(),
    language: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    punctuate: z.boolean().optional(),
    diarize: z.boolean().optional(),
    keywords: z.array(z.string()).optional(),
    providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  });
});

/** Throws `invalid_request` naming the field (e.g. `audio`) when the request is malformed. */
export function validateTranscriptionRequest(request: unknown): asserts request is TranscriptionRequest {
  checkRequest(transcriptionRequestSchema(), request, 'transcription request');
}
