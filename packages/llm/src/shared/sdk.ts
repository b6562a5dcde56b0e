import { PatchbayError } from '@patchbay/core';

/** The error for an optional vendor SDK that is not installed. */
export function missingSdk(packageName: string, cause: unknown): PatchbayError {
  return new PatchbayError({
    code: 'not_configured',
    message: `The optional peer dependency "${packageName}" is not installed; add it to use this adapter`,
    details: { package: packageName },
    cause,
  });
}
