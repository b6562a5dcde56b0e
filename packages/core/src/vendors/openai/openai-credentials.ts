import { z } from 'zod';
import { defineCredentials } from '../../credentials/credential-spec.js';

/** OpenAI's credentials, the same for every kind: an API key from settings, the tenant's store or OPENAI_API_KEY. */
export const openaiCredentials = defineCredentials({
  fields: { apiKey: z.string().min(1) },
  env: { apiKey: ['OPENAI_API_KEY'] },
  secret: ['apiKey'],
});
