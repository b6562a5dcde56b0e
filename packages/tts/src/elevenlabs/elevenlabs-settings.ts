export { elevenlabsCredentials } from '@patchbay/core/vendors/elevenlabs';

import { secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';
import { audioFormatSchema, type VendorFormatTable } from '../audio-format.js';

/** "George", one of the premade voices every ElevenLabs account has. */
export const defaultElevenLabsVoice = 'JBFqnCBsd6RMkjVDRZzb';
export const defaultElevenLabsModel = 'eleven_multilingual_v2';

const mp3Bitrates = [32, 64, 96, 128, 192] as const;
const opusBitrates = [32, 64, 96, 128, 192] as const;

export const elevenlabsSpeechSynthesizerSettingsSchema = z.object({
  apiKey: secretInput.optional(),
  /** API origin; the SDK appends `/v1/...`. */
  baseURL: z.string().url().optional(),
  /** Websocket origin for `streamText` (input streaming); defaults to `baseURL` with a `ws(s)` scheme. */
  streamingURL: z.string().url().optional(),
  /** Voice id used when a request names none. */
  voice: z.string().min(1).default(defaultElevenLabsVoice),
  model: z.string().min(1).default(defaultElevenLabsModel),
  /** Format used when a request names none. */
  format: audioFormatSchema.default({ encoding: 'mp3', sampleRate: 44100 }),
  /** Bitrate (kbps) for 44.1 kHz MP3; 22.05 and 24 kHz have fixed bitrates. 192 needs Creator tier or above. */
  mp3Bitrate: z.union(mp3Bitrates.map((value) => z.literal(value))).default(128),
  opusBitrate: z.union(opusBitrates.map((value) => z.literal(value))).default(64),
  /** 0–4; trades quality for time to first byte on the streaming endpoint. */
  optimizeStreamingLatency: z.number().int().min(0).max(4).optional(),
  /** Stored voice settings overridden for every request. */
  voiceSettings: z
    .object({
      stability: z.number().min(0).max(1).optional(),
      similarityBoost: z.number().min(0).max(1).optional(),
      style: z.number().min(0).max(1).optional(),
      useSpeakerBoost: z.boolean().optional(),
    })
    .optional(),
  /** false: zero-retention mode (enterprise accounts only). */
  enableLogging: z.boolean().optional(),
});

export type ElevenLabsSpeechSynthesizerSettings = z.output<typeof elevenlabsSpeechSynthesizerSettingsSchema>;
export type ElevenLabsSpeechSynthesizerSettingsInput = z.input<typeof elevenlabsSpeechSynthesizerSettingsSchema>;

const pcmRates = [8000, 16000, 22050, 24000, 32000, 44100, 48000];

/** Every `output_format` of the text-to-speech endpoints, by Patchbay encoding. */
export const elevenLabsFormats: VendorFormatTable = {
  mp3: { sampleRates: [22050, 24000, 44100], defaultSampleRate: 44100 },
  pcm_s16le: { sampleRates: pcmRates, defaultSampleRate: 24000 },
  wav: { sampleRates: pcmRates, defaultSampleRate: 24000 },
  mulaw: { sampleRates: [8000] },
  alaw: { sampleRates: [8000] },
  opus: { sampleRates: [48000] },
};

/** The vendor's `output_format` id, e.g. `mp3_44100_128`, `pcm_16000`, `ulaw_8000`. */
export function elevenLabsOutputFormat(
  format: { encoding: string; sampleRate: number | undefined },
  settings: Pick<ElevenLabsSpeechSynthesizerSettings, 'mp3Bitrate' | 'opusBitrate'>,
): string {
  const rate = format.sampleRate;
  switch (format.encoding) {
    case 'mp3':
      if (rate === 22050) return 'mp3_22050_32';
      if (rate === 24000) return 'mp3_24000_48';
      return `mp3_44100_${settings.mp3Bitrate}`;
    case 'pcm_s16le':
      return `pcm_${rate}`;
    case 'wav':
      return `wav_${rate}`;
    case 'mulaw':
      return 'ulaw_8000';
    case 'alaw':
      return 'alaw_8000';
    default:
      return `opus_48000_${settings.opusBitrate}`;
  }
}
