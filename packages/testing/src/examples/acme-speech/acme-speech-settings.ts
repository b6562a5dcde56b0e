import { secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';

/** Settings of the Acme Speech adapter; `apiKey` may also come from a tenant store or `ACME_SPEECH_API_KEY`. */
export const acmeSpeechSettingsSchema = z.strictObject({
  apiKey: secretInput.optional(),
  baseURL: z.url().default('https://api.acme-speech.example'),
  model: z.string().min(1).default('acme-tts-1'),
  voice: z.string().min(1).default('nova'),
});

export type AcmeSpeechSettingsInput = z.input<typeof acmeSpeechSettingsSchema>;
export type AcmeSpeechSettings = z.output<typeof acmeSpeechSettingsSchema>;
