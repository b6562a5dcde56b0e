import { lazySdk } from '@patchbay/core/adapter';

/** `@elevenlabs/elevenlabs-js`, loaded on first use with core's one loader: an optional peer, never imported at module load. */
export const elevenlabsSdk = lazySdk('@elevenlabs/elevenlabs-js', () => import('@elevenlabs/elevenlabs-js'));
