import { PatchbayError } from '@patchbay/core';

type OpenAIModule = typeof import('openai');

let loading: Promise<OpenAIModule> | undefined;

/** Loads `openai` on first use: it is an optional peer dependency, never imported at module load. */
export function loadOpenAISdk(): Promise<OpenAIModule> {
  loading ??= import('openai').catch((error: unknown) => {
    loading = undefined;
    throw new PatchbayError({
      code: 'not_configured',
      message: 'The OpenAI transcription adapter needs the optional peer dependency "openai" (npm install openai)',
      vendor: 'openai',
      cause: error,
    });
  });
  return loading;
}
