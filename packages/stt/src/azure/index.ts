import { defineProviderFactory } from '@patchbay/core/adapter';
import type { AzureTranscriberOptions } from './azure-settings.js';
import { AzureTranscriber } from './azure-transcriber.js';

/**
 * An Azure AI Speech transcriber (fast transcription). Never throws for a missing
 * key: credentials resolve per call (settings, the tenant store, AZURE_SPEECH_KEY / AZURE_SPEECH_REGION).
 */
export function createAzureTranscriber(input: AzureTranscriberOptions = {}): AzureTranscriber {
  const { id, fetch, credentialStore, env, ...settings } = input;
  return new AzureTranscriber({ id: id ?? 'azure', settings, runtime: { fetch, credentialStore, env } });
}

/** Lets configuration build Azure transcribers: `{ kind: 'stt', vendor: 'azure', settings: {...} }`. */
export const azureTranscriberFactory = defineProviderFactory({
  kind: 'stt',
  vendor: 'azure',
  label: 'Azure AI Speech (transcription)',
  docsUrl: 'https://learn.microsoft.com/azure/ai-services/speech-service/fast-transcription-create',
  create: ({ id, settings, runtime }) => new AzureTranscriber({ id, settings, runtime }),
});

export type { AzureTranscriberOptions, AzureTranscriberSettings } from './azure-settings.js';
export type { AzureTranscriber } from './azure-transcriber.js';
