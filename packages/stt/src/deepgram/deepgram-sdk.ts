import { lazySdk } from '../shared/lazy-sdk.js';

/** Loads `@deepgram/sdk` on first use: it is an optional peer dependency, never imported at module load. */
export const loadDeepgramSdk = lazySdk(() => import('@deepgram/sdk'), {
  vendor: 'deepgram',
  message: 'The Deepgram adapter needs the optional peer dependency "@deepgram/sdk" (npm install @deepgram/sdk)',
});
