import { secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';
import { audioFormatSchema, type VendorFormatTable } from '../audio-format.js';

export { cartesiaCredentials } from '@patchbay/core/vendors/cartesia';

/** A stock Cartesia voice every account can use. */
export const defaultCartesiaVoice = 'a0e99841-438c-4a64-b679-ae501e7d6091';

export const cartesiaSpeechSynthesizerSettingsSchema = z.object({
  apiKey: secretInput.optional(),
  /** API origin (`https://api.cartesia.ai`); the websocket uses the same host over `wss://`. */
  baseURL: z.string().url().default('https://api.cartesia.ai'),
  /** The `Cartesia-Version` header: the API version this adapter was tested with. */
  version: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .default('2025-04-16'),
  /** Voice id used when a request names none. */
  voice: z.string().min(1).default(defaultCartesiaVoice),
  model: z.string().min(1).default('sonic-2'),
  format: audioFormatSchema.default({ encoding: 'mp3', sampleRate: 44100 }),
  /** MP3 bitrate in bits per second. */
  mp3BitRate: z.number().int().positive().default(128000),
  /**
   * How `stream()` reaches Cartesia for raw formats: its websocket (default; the
   * audio comes in base64 messages) or the chunked `/tts/bytes` response. WAV
   * and MP3 always use `/tts/bytes`, since the websocket produces raw audio only.
   */
  streamTransport: z.enum(['websocket', 'bytes']).default('websocket'),
});

export type CartesiaSpeechSynthesizerSettings = z.output<typeof cartesiaSpeechSynthesizerSettingsSchema>;
export type CartesiaSpeechSynthesizerSettingsInput = z.input<typeof cartesiaSpeechSynthesizerSettingsSchema>;

const rates = [8000, 16000, 22050, 24000, 44100, 48000];

/** Cartesia's output formats (`output_format`): raw PCM, G.711 μ-law/A-law, WAV and MP3. */
export const cartesiaFormats: VendorFormatTable = {
  pcm_s16le: { sampleRates: rates, defaultSampleRate: 24000 },
  wav: { sampleRates: rates, defaultSampleRate: 24000 },
  mulaw: { sampleRates: [8000], defaultSampleRate: 8000 },
  alaw: { sampleRates: [8000], defaultSampleRate: 8000 },
  mp3: { sampleRates: [22050, 24000, 44100, 48000], defaultSampleRate: 44100 },
};

/** The `output_format` for a resolved format. */
export function cartesiaOutputFormat(
  format: { encoding: string; sampleRate: number | undefined },
  mp3BitRate: number,
): Record<string, unknown> {
  const sample_rate = format.sampleRate;
  switch (format.encoding) {
    case 'mp3':
      return { container: 'mp3', sample_rate, bit_rate: mp3BitRate };
    case 'wav':
      return { container: 'wav', encoding: 'pcm_s16le', sample_rate };
    case 'mulaw':
      return { container: 'raw', encoding: 'pcm_mulaw', sample_rate };
    case 'alaw':
      return { container: 'raw', encoding: 'pcm_alaw', sample_rate };
    default:
      return { container: 'raw', encoding: 'pcm_s16le', sample_rate };
  }
}
