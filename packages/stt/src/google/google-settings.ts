import type { Secret } from '@patchbay/core';
import { type ProviderRuntime, secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';

export { googleCloudCredentials } from '@patchbay/core/vendors/google';

export const googleTranscriberSettingsSchema = z.object({
  /** An API key (or GOOGLE_API_KEY). */
  apiKey: secretInput.optional(),
  /** A service account key as JSON (or GOOGLE_SERVICE_ACCOUNT_JSON, or GOOGLE_APPLICATION_CREDENTIALS naming its file). */
  serviceAccount: secretInput.optional(),
  /** API origin; `/v1/speech:recognize` is appended. */
  baseURL: z.url().default('https://speech.googleapis.com'),
  /** Replaces the service account's `token_uri` (a proxy, a simulator). */
  tokenURL: z.url().optional(),
  /** Recognition model (`default`, `latest_long`, `latest_short`, `phone_call`, `telephony`…). */
  model: z.string().min(1).default('default'),
  /** Language when a request names none (Google requires one). */
  language: z.string().min(2).default('en-US'),
});

export type GoogleTranscriberSettings = z.output<typeof googleTranscriberSettingsSchema>;

export interface GoogleTranscriberOptions {
  /** Provider id; defaults to `google`. */
  id?: string | undefined;
  apiKey?: string | Secret | undefined;
  serviceAccount?: string | Secret | undefined;
  baseURL?: string | undefined;
  tokenURL?: string | undefined;
  model?: string | undefined;
  language?: string | undefined;
  fetch?: ProviderRuntime['fetch'];
  credentialStore?: ProviderRuntime['credentialStore'];
  env?: ProviderRuntime['env'];
}

/**
 * Google's `config.encoding` (and, where the bytes do not say it, the rate) for
 * a MIME type. WAV and FLAC carry their rate in a header, which Google reads.
 */
export function googleRecognitionEncoding(mimeType: string | undefined): {
  encoding: string;
  sampleRateHertz?: number;
} {
  const [type = '', ...parameters] = (mimeType ?? 'audio/wav')
    .toLowerCase()
    .split(';')
    .map((part) => part.trim());
  const rate = Number(parameters.find((parameter) => parameter.startsWith('rate='))?.slice(5));
  const sampleRate = Number.isFinite(rate) && rate > 0 ? rate : undefined;
  switch (type) {
    case 'audio/flac':
    case 'audio/x-flac':
      return { encoding: 'FLAC' };
    case 'audio/basic':
    case 'audio/mulaw':
    case 'audio/x-mulaw':
    case 'audio/pcmu':
      return { encoding: 'MULAW', sampleRateHertz: sampleRate ?? 8000 };
    case 'audio/l16':
    case 'audio/pcm':
      return { encoding: 'LINEAR16', sampleRateHertz: sampleRate ?? 16000 };
    case 'audio/ogg':
    case 'audio/opus':
      return { encoding: 'OGG_OPUS', sampleRateHertz: sampleRate ?? 48000 };
    case 'audio/webm':
      return { encoding: 'WEBM_OPUS', sampleRateHertz: sampleRate ?? 48000 };
    default:
      // WAV (and anything unnamed): LINEAR16 with the rate from its header.
      return { encoding: 'LINEAR16' };
  }
}
