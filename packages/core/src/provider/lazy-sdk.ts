import { PatchbayError } from '../errors/patchbay-error.js';

/** The error for an optional vendor SDK that is not installed. */
export function missingSdkError(packageName: string, cause: unknown): PatchbayError {
  return new PatchbayError({
    code: 'not_configured',
    message: `The optional peer dependency "${packageName}" is not installed; add it to use this adapter`,
    details: { package: packageName },
    cause,
  });
}

/** An optional vendor SDK, imported on first use. */
export interface LazySdk<M> {
  /**
   * Imports the SDK once; a failed import (not installed) is retried on the next
   * call. With a signal, the returned promise rejects as soon as the signal
   * aborts, even while the import itself is still running.
   */
  load(signal?: AbortSignal): Promise<M>;
  /** The module once loaded: error mapping needs its classes, and needs nothing before the first call. */
  readonly loaded: M | undefined;
}

/**
 * Wraps a vendor SDK import so that importing an adapter never loads the SDK.
 * `importer` must be a literal `() => import('…')` in the kind package that
 * declares the SDK as an optional peer, so bundlers and package managers see it.
 * A missing package is `not_configured`, naming the package to install.
 */
export function lazySdk<M>(packageName: string, importer: () => Promise<M>): LazySdk<M> {
  let pending: Promise<M> | undefined;
  let loaded: M | undefined;
  const load = () => {
    pending ??= importer().then(
      (module) => {
        loaded = module;
        return module;
      },
      (error: unknown) => {
        pending = undefined;
        throw missingSdkError(packageName, error);
      },
    );
    return pending;
  };
  return {
    load(signal) {
      if (!signal) return load();
      signal.throwIfAborted();
      const loading = load();
      if (loaded) return loading;
      // A first import can take seconds (a large SDK on a cold disk); a caller who gave up must not wait for it.
      return new Promise<M>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        loading.then(
          (module) => {
            signal.removeEventListener('abort', onAbort);
            resolve(module);
          },
          (error: unknown) => {
            signal.removeEventListener('abort', onAbort);
            reject(error);
          },
        );
      });
    },
    get loaded() {
      return loaded;
    },
  };
}

/** setTimeout's ceiling: an SDK's own timeout is disabled, the caller's AbortSignal bounds the call. */
export const noTimeout = 2_147_483_647;
