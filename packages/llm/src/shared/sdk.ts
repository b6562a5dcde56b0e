import { PatchbayError } from '@patchbay/core/adapter';

/** The error for an optional vendor SDK that is not installed. */
export function missingSdk(packageName: string, cause: unknown): PatchbayError {
  return new PatchbayError({
    code: 'not_configured',
    message: `The optional peer dependency "${packageName}" is not installed; add it to use this adapter`,
    details: { package: packageName },
    cause,
  });
}

/** An optional vendor SDK, imported on first use. */
export interface LazySdk<M> {
  /** Imports the SDK once; a failed import (not installed) is retried on the next call. */
  load(): Promise<M>;
  /** The module once loaded: error mapping needs its classes, and needs nothing before the first call. */
  readonly loaded: M | undefined;
}

/**
 * Wraps a vendor SDK import so that importing an adapter never loads the SDK.
 * `importer` must be a literal `() => import('…')` in the adapter, for bundlers.
 */
export function lazySdk<M>(packageName: string, importer: () => Promise<M>): LazySdk<M> {
  let pending: Promise<M> | undefined;
  let loaded: M | undefined;
  return {
    load() {
      pending ??= importer().then(
        (module) => (loaded = module),
        (error: unknown) => {
          pending = undefined;
          throw missingSdk(packageName, error);
        },
      );
      return pending;
    },
    get loaded() {
      return loaded;
    },
  };
}

/** setTimeout's ceiling: an SDK's own timeout is disabled, the caller's AbortSignal bounds the call. */
export const noTimeout = 2_147_483_647;
