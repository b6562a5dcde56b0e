import { defineProviderFactory } from '@patchbay/core/adapter';
import type { DeepgramTranscriberOptions } from './deepgram-settings.js';
import { DeepgramTranscriber } from './deepgram-transcriber.js';

/** A Deepgram transcriber (recorded and live). Never throws for a missing key: credentials resolve per call. */
export function createDeepgramTranscriber(input: DeepgramTranscriberOptions = {}): DeepgramTranscriber {
  const { id, fetch, credentialStore, env, ...settings } = input;
  return new DeepgramTranscriber({ id: id ?? 'deepgram', settings, runtime: { fetch, credentialStore, env } });
}

/** Lets configuration build Deepgram transcribers: `{ kind: 'stt', vendor: 'deepgram', settings: {...} }`. */
export const deepgramTranscriberFactory = defineProviderFactory({
  kind: 'stt',
  vendor: 'deepgram',
  label: 'Deepgram (transcription)',
  docsUrl: 'https://developers.deepgram.com/docs/pre-recorded-audio',
  create: ({ id, settings, runtime }) => new DeepgramTranscriber({ id, settings, runtime }),
});

export type { DeepgramTranscriberOptions, DeepgramTranscriberSettings } from './deepgram-settings.js';
export type { DeepgramTranscriber } from './deepgram-transcriber.js';
