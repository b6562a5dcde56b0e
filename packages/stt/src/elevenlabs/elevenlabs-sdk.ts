import { PatchbayError } from '@patchbay/core';

type ElevenLabsModule = typeof import('@elevenlabs/elevenlabs-js');

let loading: Promise<ElevenLabsModule> | undefined;

/** Loads `@elevenlabs/elevenlabs-js` on first use: an optional peer dependency, never imported at module load. */
export function loadElevenLabsSdk(): Promise<ElevenLabsModule> {
  loading ??= import('@elevenlabs/elevenlabs-js').catch((error: unknown) => {
    loading = undefined;
    throw new PatchbayError({
      code: 'not_configured',
      message:
        'The ElevenLabs transcription adapter needs the optional peer dependency "@elevenlabs/elevenlabs-js" (npm install @elevenlabs/elevenlabs-js)',
      vendor: 'elevenlabs',
      cause: error,
    });
  });
  return loading;
}
