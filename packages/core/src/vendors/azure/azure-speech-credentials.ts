import { z } from 'zod';
import { defineCredentials } from '../../credentials/credential-spec.js';

/**
 * Azure AI Speech credentials, the same for synthesis and transcription: the
 * resource key (AZURE_SPEECH_KEY, secret) and its region (AZURE_SPEECH_REGION,
 * not secret). The region may be left out when the adapter is given an endpoint.
 */
export const azureSpeechCredentials = defineCredentials({
  fields: { apiKey: z.string().min(1), region: z.string().min(1).optional() },
  env: { apiKey: ['AZURE_SPEECH_KEY', 'SPEECH_KEY'], region: ['AZURE_SPEECH_REGION', 'SPEECH_REGION'] },
  secret: ['apiKey'],
});

/** A region is a host label (`westeurope`, `eastus2`): nothing else may reach a URL. */
export const azureRegionPattern = /^[a-z0-9-]{2,40}$/;
