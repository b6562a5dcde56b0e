import { PatchbayError } from '@patchbay/core';

type DeepgramModule = typeof import('@deepgram/sdk');

let loading: Promise<DeepgramModule> | undefined;

/** Loads `@deepgram/sdk` on first use: it is an optional peer dependency, never imported at module load. */
export function loadDeepgramSdk(): Promise<DeepgramModule> {
  loading ??= import('@deepgram/sdk').catch((error: unknown) => {
    loading = undefined;
    throw new PatchbayError({
      code: 'not_configured',
      message: 'The Deepgram adapter needs the optional peer dependency "@deepgram/sdk" (npm install @deepgram/sdk)',
      vendor: 'deepgram',
      cause: error,
    });
  });
  return loading;
}
