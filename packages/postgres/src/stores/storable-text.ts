import { PatchbayError } from '@patchbay/core/adapter';

/**
 * PostgreSQL text cannot hold U+0000. Free text from outside (a vendor's error message) keeps the
 * rest of its content with U+FFFD in its place; an identifier is refused instead, since changing it
 * could make two ids one.
 */
export function storableText<T extends string | undefined | null>(value: T): T {
  return (typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value) as T;
}

export function checkIdentifier(value: string, field: string): string {
  if (value.includes('\u0000')) {
    throw new PatchbayError({
      code: 'invalid_request',
      message: `${field} must not contain a NUL character`,
      details: { field },
    });
  }
  return value;
}
