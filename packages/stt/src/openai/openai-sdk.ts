import { lazySdk } from '@patchbay/core/adapter';

/** `openai`, loaded on first use with core's one loader: an optional peer, never imported at module load. */
export const openaiSdk = lazySdk('openai', () => import('openai'));
