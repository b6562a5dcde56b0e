export { deepgramCredentials } from '@patchbay/core/vendors/deepgram';

import type { Secret } from '@patchbay/core';
import { type ProviderRuntime, secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';

export const deepgramTranscriberSettingsSchema = z.object({
  /** A Deepgram API key (sent as `Authorization: Token …`); else the tenant store, else `DEEPGRAM_API_KEY`. */
  apiKey: secretInput.optional(),
  /** REST base URL, e.g. a proxy or the simulator; defaults to `https://api.deepgram.com`. */
  baseURL: z.url().optional(),
  /** Websocket base URL for live sessions; defaults to `baseURL` with a `ws(s)` scheme. */
  liveURL: z.url().optional(),
  /** Default model, overridable per request. */
  model: z.string().min(1).default('nova-3'),
  /** Deepgram's `smart_format` (numbers, dates, punctuation) on every request. */
  smartFormat: z.boolean().default(false),
});

export type DeepgramTranscriberSettings = z.output<typeof deepgramTranscriberSettingsSchema>;

export interface DeepgramTranscriberOptions {
  /** Provider id; defaults to `deepgram`. */
  id?: string | undefined;
  apiKey?: string | Secret | undefined;
  baseURL?: string | undefined;
  liveURL?: string | undefined;
  model?: string | undefined;
  smartFormat?: boolean | undefined;
  fetch?: ProviderRuntime['fetch'];
  credentialStore?: ProviderRuntime['credentialStore'];
  env?: ProviderRuntime['env'];
}
