import type { Secret } from '@patchbay/core';
import { defineCredentials, type ProviderRuntime, secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';

/** AssemblyAI's credentials: an API key (ASSEMBLYAI_API_KEY), sent as the `Authorization` header. */
export const assemblyaiCredentials = defineCredentials({
  fields: { apiKey: z.string().min(1) },
  env: { apiKey: ['ASSEMBLYAI_API_KEY'] },
  secret: ['apiKey'],
});

export const assemblyaiTranscriberSettingsSchema = z.object({
  /** An AssemblyAI API key (the `Authorization` header); else the tenant store, else `ASSEMBLYAI_API_KEY`. */
  apiKey: secretInput.optional(),
  /** REST base URL, e.g. the EU region, a proxy or the simulator; defaults to `https://api.assemblyai.com`. */
  baseURL: z.url().optional(),
  /** Universal Streaming websocket URL; defaults to `wss://streaming.assemblyai.com/v3/ws`. */
  streamingURL: z.url().optional(),
  /** Pre-recorded speech model (`universal`, `slam-1`, …), overridable per request. */
  model: z.string().min(1).default('universal'),
  /** Streaming speech model, overridable per request. */
  streamingModel: z.string().min(1).default('universal-streaming-english'),
  /** Ask for formatted turns (punctuation, casing) on live sessions: only the formatted end of a turn is final. */
  formatTurns: z.boolean().default(true),
  /**
   * Authenticate live sessions with a temporary token (`GET /v3/token`, passed as `token=`) instead of the
   * `Authorization` header, e.g. when a proxy strips headers from websocket upgrades.
   */
  temporaryToken: z.boolean().default(false),
  /** Milliseconds between polls of a pre-recorded transcript until it is completed (on the injected clock). */
  pollIntervalMs: z.number().int().min(1).max(60_000).default(1_000),
});

export type AssemblyAITranscriberSettings = z.output<typeof assemblyaiTranscriberSettingsSchema>;

export interface AssemblyAITranscriberOptions {
  /** Provider id; defaults to `assemblyai`. */
  id?: string | undefined;
  apiKey?: string | Secret | undefined;
  baseURL?: string | undefined;
  streamingURL?: string | undefined;
  model?: string | undefined;
  streamingModel?: string | undefined;
  formatTurns?: boolean | undefined;
  temporaryToken?: boolean | undefined;
  pollIntervalMs?: number | undefined;
  fetch?: ProviderRuntime['fetch'];
  credentialStore?: ProviderRuntime['credentialStore'];
  env?: ProviderRuntime['env'];
}
