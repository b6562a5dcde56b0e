export { elevenlabsCredentials } from '@patchbay/core/vendors/elevenlabs';

import type { Secret } from '@patchbay/core';
import { type ProviderRuntime, secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';

export const elevenlabsTranscriberSettingsSchema = z.object({
  /** An ElevenLabs API key (`xi-api-key`); else the tenant store, else `ELEVENLABS_API_KEY`. */
  apiKey: secretInput.optional(),
  /** API base URL, e.g. a proxy or the simulator; defaults to `https://api.elevenlabs.io`. */
  baseURL: z.url().optional(),
  /** Scribe model, overridable per request. */
  model: z.string().min(1).default('scribe_v1'),
  /** Mark non-speech sounds (laughter, music) in the transcript. */
  tagAudioEvents: z.boolean().default(false),
});

export type ElevenLabsTranscriberSettings = z.output<typeof elevenlabsTranscriberSettingsSchema>;

export interface ElevenLabsTranscriberOptions {
  /** Provider id; defaults to `elevenlabs`. */
  id?: string | undefined;
  apiKey?: string | Secret | undefined;
  baseURL?: string | undefined;
  model?: string | undefined;
  tagAudioEvents?: boolean | undefined;
  fetch?: ProviderRuntime['fetch'];
  credentialStore?: ProviderRuntime['credentialStore'];
  env?: ProviderRuntime['env'];
}
