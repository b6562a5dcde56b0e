import { defineProviderFactory } from '@patchbay/core/adapter';
import type { ElevenLabsTranscriberOptions } from './elevenlabs-settings.js';
import { ElevenLabsTranscriber } from './elevenlabs-transcriber.js';

/** An ElevenLabs (Scribe) transcriber. Never throws for a missing key: credentials resolve per call. */
export function createElevenLabsTranscriber(input: ElevenLabsTranscriberOptions = {}): ElevenLabsTranscriber {
  const { id, fetch, credentialStore, env, ...settings } = input;
  return new ElevenLabsTranscriber({ id: id ?? 'elevenlabs', settings, runtime: { fetch, credentialStore, env } });
}

/** Lets configuration build ElevenLabs transcribers: `{ kind: 'stt', vendor: 'elevenlabs', settings: {...} }`. */
export const elevenlabsTranscriberFactory = defineProviderFactory({
  kind: 'stt',
  vendor: 'elevenlabs',
  label: 'ElevenLabs (transcription)',
  docsUrl: 'https://elevenlabs.io/docs/capabilities/speech-to-text',
  create: ({ id, settings, runtime }) => new ElevenLabsTranscriber({ id, settings, runtime }),
});

export type { ElevenLabsTranscriberOptions, ElevenLabsTranscriberSettings } from './elevenlabs-settings.js';
export type { ElevenLabsTranscriber } from './elevenlabs-transcriber.js';
