import { secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';
import { audioFormatSchema, type VendorFormatTable } from '../audio-format.js';

export { googleCloudCredentials } from '@patchbay/core/vendors/google';

export const googleSpeechSynthesizerSettingsSchema = z.object({
  /** An API key (or GOOGLE_API_KEY). */
  apiKey: secretInput.optional(),
  /** A service account key as JSON (or GOOGLE_SERVICE_ACCOUNT_JSON, or GOOGLE_APPLICATION_CREDENTIALS naming its file). */
  serviceAccount: secretInput.optional(),
  /** API origin; `/v1/text:synthesize` and `/v1/voices` are appended. */
  baseURL: z.string().url().default('https://texttospeech.googleapis.com'),
  /** Replaces the service account's `token_uri` (a proxy, a simulator). */
  tokenURL: z.string().url().optional(),
  /** Voice name used when a request names none; its prefix (`en-US`) is the language unless the request gives one. */
  voice: z.string().min(1).default('en-US-Neural2-F'),
  format: audioFormatSchema.default({ encoding: 'mp3', sampleRate: 24000 }),
});

export type GoogleSpeechSynthesizerSettings = z.output<typeof googleSpeechSynthesizerSettingsSchema>;
export type GoogleSpeechSynthesizerSettingsInput = z.input<typeof googleSpeechSynthesizerSettingsSchema>;

const pcmRates = [8000, 16000, 22050, 24000, 44100, 48000];

/** What Google can produce; it resamples to `sampleRateHertz`, so the rates are ours to choose. */
export const googleFormats: VendorFormatTable = {
  mp3: { sampleRates: [22050, 24000, 44100, 48000], defaultSampleRate: 24000 },
  wav: { sampleRates: pcmRates, defaultSampleRate: 24000 },
  pcm_s16le: { sampleRates: pcmRates, defaultSampleRate: 24000 },
  mulaw: { sampleRates: [8000], defaultSampleRate: 8000 },
  alaw: { sampleRates: [8000], defaultSampleRate: 8000 },
  opus: { sampleRates: [16000, 24000, 48000], defaultSampleRate: 48000 },
};

/**
 * Google's `audioEncoding` for an encoding. LINEAR16, MULAW and ALAW come back
 * in a WAV container, which the adapter strips for the raw encodings.
 */
export const googleAudioEncodings: Readonly<Record<string, string>> = {
  mp3: 'MP3',
  wav: 'LINEAR16',
  pcm_s16le: 'LINEAR16',
  mulaw: 'MULAW',
  alaw: 'ALAW',
  opus: 'OGG_OPUS',
};

export const googleContentTypes: Readonly<Record<string, string>> = {
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  pcm_s16le: 'audio/pcm',
  mulaw: 'audio/basic',
  alaw: 'audio/x-alaw-basic',
  opus: 'audio/ogg',
};
