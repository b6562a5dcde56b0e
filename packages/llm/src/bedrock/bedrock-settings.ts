import { defineCredentials, secretInput } from '@patchbay/core/adapter';
import { z } from 'zod';

const region = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}$/, 'an AWS region such as us-east-1');

/** Settings of the Bedrock adapter (Converse / ConverseStream). */
export const bedrockLanguageModelSettingsSchema = z.object({
  /** Falls back to the tenant's store, then `AWS_REGION`, then `AWS_DEFAULT_REGION`. */
  region: region.optional(),
  /** Falls back to the tenant's store, then `AWS_ACCESS_KEY_ID`. */
  accessKeyId: secretInput.optional(),
  /** Falls back to the tenant's store, then `AWS_SECRET_ACCESS_KEY`. */
  secretAccessKey: secretInput.optional(),
  /** Temporary credentials only; falls back to the tenant's store, then `AWS_SESSION_TOKEN`. */
  sessionToken: secretInput.optional(),
  /** A model id or inference profile, e.g. `us.amazon.nova-micro-v1:0`. */
  model: z.string().min(1),
  /** Another Bedrock Runtime endpoint (a VPC endpoint, a simulator); default from the region. */
  endpoint: z.url().optional(),
});

export type BedrockLanguageModelSettings = z.output<typeof bedrockLanguageModelSettingsSchema>;

/**
 * AWS credentials for Bedrock, resolved like every other vendor's (settings,
 * tenant store, environment) and handed to the SDK explicitly: the SDK's own
 * chain (`~/.aws`, SSO, instance metadata) is never consulted.
 */
export const bedrockCredentials = defineCredentials({
  fields: {
    accessKeyId: z.string().min(1),
    secretAccessKey: z.string().min(1),
    sessionToken: z.string().min(1).optional(),
    region,
  },
  env: {
    accessKeyId: ['AWS_ACCESS_KEY_ID'],
    secretAccessKey: ['AWS_SECRET_ACCESS_KEY'],
    sessionToken: ['AWS_SESSION_TOKEN'],
    region: ['AWS_REGION', 'AWS_DEFAULT_REGION'],
  },
  secret: ['accessKeyId', 'secretAccessKey', 'sessionToken'],
});
