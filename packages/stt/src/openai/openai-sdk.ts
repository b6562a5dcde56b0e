import { lazySdk } from '../shared/lazy-sdk.js';

/** Loads `openai` on first use: it is an optional peer dependency, never imported at module load. */
export const loadOpenAISdk = lazySdk(() => import('openai'), {
  vendor: 'openai',
  message: 'The OpenAI transcription adapter needs the optional peer dependency "openai" (npm install openai)',
});
