import { defineProviderFactory } from '@patchbay/core/adapter';
import type { OpenAITranscriberOptions } from './openai-settings.js';
import { OpenAITranscriber } from './openai-transcriber.js';

/** An OpenAI transcriber (recorded audio). Never throws for a missing key: credentials resolve per call. */
export function createOpenAITranscriber(input: OpenAITranscriberOptions = {}): OpenAITranscriber {
  const { id, fetch, credentialStore, env, ...settings } = input;
  return new OpenAITranscriber({ id: id ?? 'openai', settings, runtime: { fetch, credentialStore, env } });
}

/** Lets configuration build OpenAI transcribers: `{ kind: 'stt', vendor: 'openai', settings: {...} }`. */
export const openaiTranscriberFactory = defineProviderFactory({
  kind: 'stt',
  vendor: 'openai',
  label: 'OpenAI (transcription)',
  docsUrl: 'https://platform.openai.com/docs/guides/speech-to-text',
  create: ({ id, settings, runtime }) => new OpenAITranscriber({ id, settings, runtime }),
});

export type { OpenAITranscriberOptions, OpenAITranscriberSettings } from './openai-settings.js';
export type { OpenAITranscriber } from './openai-transcriber.js';
