import { z } from 'zod';
import { defineCredentials } from '../../credentials/credential-spec.js';

/** ElevenLabs' credentials, the same for speech and transcription: an API key (ELEVENLABS_API_KEY). */
export const elevenlabsCredentials = defineCredentials({
  fields: { apiKey: z.string().min(1) },
  env: { apiKey: ['ELEVENLABS_API_KEY'] },
  secret: ['apiKey'],
});
