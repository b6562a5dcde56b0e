import { defineProviderFactory } from '@patchbay/core/adapter';
import { type AcmeSpeechOptions, AcmeSpeechSynthesizer } from './acme-speech-synthesizer.js';

/** Lets configuration build the adapter: `{ kind: 'tts', vendor: 'acme-speech', settings: {...} }`. */
export const acmeSpeechFactory = defineProviderFactory({
  kind: 'tts',
  vendor: 'acme-speech',
  create: ({ id, settings, runtime }) =>
    new AcmeSpeechSynthesizer({
      ...(settings as AcmeSpeechOptions),
      id,
      fetch: runtime.fetch,
      credentialStore: runtime.credentialStore,
      env: runtime.env,
    }),
});
