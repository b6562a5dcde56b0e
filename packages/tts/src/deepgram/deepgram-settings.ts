export { deepgramCredentials } from '@patchbay/core/vendors/deepgram';

import { secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';
import { audioFormatSchema, type VendorFormatTable } from '../audio-format.js';

export const deepgramSpeechSynthesizerSettingsSchema = z.object({
  apiKey: secretInput.optional(),
  /** API origin, e.g. `https://api.deepgram.com`; the SDK appends `/v1/speak`. */
  baseURL: z.string().url().optional(),
  /** Websocket origin for `streamText` (`/v1/speak` over a websocket); defaults to `baseURL` with a `ws(s)` scheme. */
  streamingURL: z.string().url().optional(),
  /** Aura voice model used when a request names none; Deepgram's model id names the voice (and its language). */
  voice: z.string().min(1).default('aura-2-thalia-en'),
  format: audioFormatSchema.default({ encoding: 'mp3' }),
  /** MP3 bitrate in bits per second. */
  mp3BitRate: z.union([z.literal(32000), z.literal(48000)]).optional(),
  /** Opt out of the Deepgram Model Improvement Program. */
  mipOptOut: z.boolean().optional(),
});

export type DeepgramSpeechSynthesizerSettings = z.output<typeof deepgramSpeechSynthesizerSettingsSchema>;
export type DeepgramSpeechSynthesizerSettingsInput = z.input<typeof deepgramSpeechSynthesizerSettingsSchema>;

/** Deepgram Aura's audio format combinations (REST). */
export const deepgramFormats: VendorFormatTable = {
  mp3: { sampleRates: [22050] },
  pcm_s16le: { sampleRates: [8000, 16000, 24000, 32000, 48000], defaultSampleRate: 24000 },
  wav: { sampleRates: [8000, 16000, 24000, 32000, 48000], defaultSampleRate: 24000 },
  mulaw: { sampleRates: [8000, 16000], defaultSampleRate: 8000 },
  alaw: { sampleRates: [8000, 16000], defaultSampleRate: 8000 },
  opus: { sampleRates: [48000] },
  flac: { sampleRates: [8000, 16000, 22050, 32000, 48000], defaultSampleRate: 48000 },
  aac: { sampleRates: [22050] },
};

/**
 * The `/v1/speak` query for a format. Raw encodings ask for `container=none`
 * (Deepgram's REST default wraps them in WAV); WAV is linear16 in a WAV
 * container; compressed encodings have fixed rates, so no `sample_rate`.
 */
export function deepgramMediaParameters(format: { encoding: string; sampleRate: number | undefined }): {
  encoding: string;
  container?: string;
  sample_rate?: number;
} {
  switch (format.encoding) {
    case 'pcm_s16le':
      return { encoding: 'linear16', container: 'none', sample_rate: format.sampleRate };
    case 'wav':
      return { encoding: 'linear16', container: 'wav', sample_rate: format.sampleRate };
    case 'mulaw':
    case 'alaw':
      return { encoding: format.encoding, container: 'none', sample_rate: format.sampleRate };
    case 'flac':
      return { encoding: 'flac', sample_rate: format.sampleRate };
    default:
      return { encoding: format.encoding };
  }
}

/** The websocket speak API's raw encodings; other formats stream text through the REST chunker. */
export function deepgramStreamingMedia(format: {
  encoding: string;
  sampleRate: number | undefined;
}): { encoding: string; sampleRate: number } | undefined {
  switch (format.encoding) {
    case 'pcm_s16le':
      return { encoding: 'linear16', sampleRate: format.sampleRate ?? 24000 };
    case 'mulaw':
    case 'alaw':
      return { encoding: format.encoding, sampleRate: format.sampleRate ?? 8000 };
    default:
      return undefined;
  }
}
