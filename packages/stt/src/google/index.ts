import { defineProviderFactory } from '@patchbay/core/adapter';
import type { GoogleTranscriberOptions } from './google-settings.js';
import { GoogleTranscriber } from './google-transcriber.js';

/**
 * A Google Cloud Speech-to-Text transcriber. Never throws for missing credentials:
 * they resolve per call (settings, the tenant store, GOOGLE_API_KEY /
 * GOOGLE_SERVICE_ACCOUNT_JSON / GOOGLE_APPLICATION_CREDENTIALS).
 */
export function createGoogleTranscriber(input: GoogleTranscriberOptions = {}): GoogleTranscriber {
  const { id, fetch, credentialStore, env, ...settings } = input;
  return new GoogleTranscriber({ id: id ?? 'google', settings, runtime: { fetch, credentialStore, env } });
}

/** Lets configuration build Google transcribers: `{ kind: 'stt', vendor: 'google', settings: {...} }`. */
export const googleTranscriberFactory = defineProviderFactory({
  kind: 'stt',
  vendor: 'google',
  label: 'Google Cloud Speech-to-Text',
  docsUrl: 'https://cloud.google.com/speech-to-text/docs/reference/rest',
  create: ({ id, settings, runtime }) => new GoogleTranscriber({ id, settings, runtime }),
});

export type { GoogleTranscriberOptions, GoogleTranscriberSettings } from './google-settings.js';
export type { GoogleTranscriber } from './google-transcriber.js';
