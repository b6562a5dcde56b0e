import { lazySdk } from '@patchbay/core/adapter';

/** `@deepgram/sdk`, loaded on first use with core's one loader: an optional peer, never imported at module load. */
export const deepgramSdk = lazySdk('@deepgram/sdk', () => import('@deepgram/sdk'));
