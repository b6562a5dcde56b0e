import { defineProviderFactory } from '@patchbay/core/adapter';
import type { AssemblyAITranscriberOptions } from './assemblyai-settings.js';
import { AssemblyAITranscriber } from './assemblyai-transcriber.js';

/** An AssemblyAI transcriber (recorded and live). Never throws for a missing key: credentials resolve per call. */
export function createAssemblyAITranscriber(input: AssemblyAITranscriberOptions = {}): AssemblyAITranscriber {
  const { id, fetch, credentialStore, env, ...settings } = input;
  return new AssemblyAITranscriber({ id: id ?? 'assemblyai', settings, runtime: { fetch, credentialStore, env } });
}

/** Lets configuration build AssemblyAI transcribers: `{ kind: 'stt', vendor: 'assemblyai', settings: {...} }`. */
export const assemblyaiTranscriberFactory = defineProviderFactory({
  kind: 'stt',
  vendor: 'assemblyai',
  label: 'AssemblyAI (transcription)',
  docsUrl: 'https://www.assemblyai.com/docs/api-reference',
  create: ({ id, settings, runtime }) => new AssemblyAITranscriber({ id, settings, runtime }),
});

export type { AssemblyAITranscriberOptions, AssemblyAITranscriberSettings } from './assemblyai-settings.js';
export { assemblyaiCredentials } from './assemblyai-settings.js';
export type { AssemblyAITranscriber } from './assemblyai-transcriber.js';
