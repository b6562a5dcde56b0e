import { lazySdk } from '../shared/lazy-sdk.js';

/** Loads `@elevenlabs/elevenlabs-js` on first use: an optional peer dependency, never imported at module load. */
export const loadElevenLabsSdk = lazySdk(() => import('@elevenlabs/elevenlabs-js'), {
  vendor: 'elevenlabs',
  message:
    'The ElevenLabs transcription adapter needs the optional peer dependency "@elevenlabs/elevenlabs-js" (npm install @elevenlabs/elevenlabs-js)',
});
