import { z } from 'zod';
import { defineCredentials } from '../../credentials/credential-spec.js';

/** Cartesia's credentials: an API key (CARTESIA_API_KEY). */
export const cartesiaCredentials = defineCredentials({
  fields: { apiKey: z.string().min(1) },
  env: { apiKey: ['CARTESIA_API_KEY'] },
  secret: ['apiKey'],
});
