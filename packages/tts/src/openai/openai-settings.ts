export { openaiCredentials } from '@patchbay/core/vendors/openai';

import { secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';
import { audioFormatSchema, type VendorFormatTable } from '../audio-format.js';

export const openaiSpeechSynthesizerSettingsSchema = z.object({
  apiKey: secretInput.optional(),
  /** API base including `/v1`, e.g. `https://api.openai.com/v1` (the SDK default). */
  baseURL: z.string().url().optional(),
  organization: z.string().min(1).optional(),
  project: z.string().min(1).optional(),
  /** Voice used when a request names none (`alloy`, `coral`, `marin`…). */
  voice: z.string().min(1).default('alloy'),
  model: z.string().min(1).default('gpt-4o-mini-tts'),
  format: audioFormatSchema.default({ encoding: 'mp3' }),
  /** How to speak (tone, accent, pace); `gpt-4o-mini-tts` only. A request's `providerOptions.openai.instructions` wins. */
  instructions: z.string().min(1).optional(),
});

export type OpenAISpeechSynthesizerSettings = z.output<typeof openaiSpeechSynthesizerSettingsSchema>;
export type OpenAISpeechSynthesizerSettingsInput = z.input<typeof openaiSpeechSynthesizerSettingsSchema>;

/**
 * `response_format` by Patchbay encoding. OpenAI speaks at 24 kHz (Opus at
 * 48 kHz) and offers no other rate: raw PCM is 24 kHz 16-bit little-endian
 * only, and there is no μ-law — ask a vendor that has it for telephony.
 */
export const openAIFormats: VendorFormatTable = {
  mp3: { sampleRates: [24000] },
  opus: { sampleRates: [48000] },
  aac: { sampleRates: [24000] },
  flac: { sampleRates: [24000] },
  wav: { sampleRates: [24000] },
  pcm_s16le: { sampleRates: [24000] },
};

export function openAIResponseFormat(encoding: string): 'mp3' | 'opus' | 'aac' | 'flac' | 'wav' | 'pcm' {
  return encoding === 'pcm_s16le' ? 'pcm' : (encoding as 'mp3');
}
