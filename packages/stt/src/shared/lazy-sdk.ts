import { PatchbayError } from '@patchbay/core';

/**
 * A loader for an optional peer SDK: imported on first use, never at module
 * load. A missing package is `not_configured` (naming the package to install)
 * and is not remembered, so installing it later works without a restart.
 */
export function lazySdk<M>(load: () => Promise<M>, missing: { vendor: string; message: string }): () => Promise<M> {
  let loading: Promise<M> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw new PatchbayError({ code: 'not_configured', ...missing, cause: error });
    });
    return loading;
  };
}
