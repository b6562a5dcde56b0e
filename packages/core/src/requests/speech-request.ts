import { z } from 'zod';
import { schemaOnFirstUse } from '../config/lazy-schema.js';
import type { SpeechRequest } from '../spec/speech-synthesizer.js';
import { checkRequest } from './request-error.js';

export const audioEncodings = [
  'mp3',
  'wav',
  'pcm_s16le',
  'mulaw',
  'alaw',
  'opus',
  'flac',
  'aac',
  'webm',
  'ogg',
] as const;

// Built on first use: constructing zod schemas is most of a cold import's own cost.
const speechRequestSchema = schemaOnFirstUse(() => {
  const audioFormatSchema = z.object({
    encoding: z.enum(audioEncodings),
    sampleRate: z.number().int().positive().max(384_000).optional(),
    channels: z.number().int().min(1).max(8).optional(),
  });
  return z.object({
    text: z.string().min(1, 'text to speak is needed'),
    voice: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    format: audioFormatSchema.optional(),
    speed: z.number().positive().max(10).optional(),
    language: z.string().min(1).optional(),
    providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  });
});

/** Throws `invalid_request` naming the field (e.g. `format.encoding`) when the request is malformed. */
export function validateSpeechRequest(request: unknown): asserts request is SpeechRequest {
  checkRequest(speechRequestSchema(), request, 'speech request');
}
