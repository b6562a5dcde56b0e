import { z } from 'zod';
import { defineCredentials } from '../../credentials/credential-spec.js';

/** Deepgram's credentials, the same for speech and transcription: an API key (DEEPGRAM_API_KEY). */
export const deepgramCredentials = defineCredentials({
  fields: { apiKey: z.string().min(1) },
  env: { apiKey: ['DEEPGRAM_API_KEY'] },
  secret: ['apiKey'],
});
