import { createRequire } from 'node:module';
import { PatchbayError } from '@patchbay/core/adapter';
import type { CountryCode } from 'libphonenumber-js/max';

type LibPhoneNumber = typeof import('libphonenumber-js/max');
let library: LibPhoneNumber | undefined;

/**
 * libphonenumber-js with its full metadata is loaded on the first number read, not on import: it is
 * about 90 modules, which would double the package's cold import for services that never read one.
 * Its CommonJS build loads synchronously, so `normalizePhoneNumber` stays synchronous.
 */
function libphonenumber(): LibPhoneNumber {
  library ??= createRequire(import.meta.url)('libphonenumber-js/max') as LibPhoneNumber;
  return library;
}

export interface NormalizePhoneNumberOptions {
  /** ISO 3166-1 alpha-2 country used to read national-format numbers, e.g. `RW` for `0788 123 456`. */
  defaultCountry?: string | undefined;
  /** Field named in the error, so the caller knows which input was wrong (default `to`). */
  field?: string | undefined;
}

/**
 * Reads a phone number written in any common notation and returns it in E.164 (`+250788123456`).
 *
 * Uses libphonenumber-js with the full ("max") metadata: the default metadata only checks the
 * length, and an SMS sent to a number of the right length but an impossible prefix still costs money.
 * Vendor prefixes such as `whatsapp:` are not accepted here: adapters add them, callers never do.
 *
 * @throws PatchbayError `invalid_request` naming the field when the number cannot be read or is not valid.
 */
export function normalizePhoneNumber(input: string, options: NormalizePhoneNumberOptions = {}): string {
  const field = options.field ?? 'to';
  const invalid = (reason: string): PatchbayError =>
    new PatchbayError({
      code: 'invalid_request',
      message: `Invalid phone number in "${field}": ${reason}`,
      details: { field },
    });

  if (typeof input !== 'string' || input.trim() === '') throw invalid('the value is empty');
  const country = readCountry(options.defaultCountry, field);
  const trimmed = input.trim();
  // A leading 00 is the international call prefix in most of the world. libphonenumber reads it only
  // as the default country's own prefix (not in the US, whose prefix is 011, nor Japan's 010), so it is
  // also read as `+` explicitly: after the country's own reading, which knows prefixes such as 0011.
  const international = /^00[\s.-]*[1-9]/.test(trimmed) ? trimmed.replace(/^00[\s.-]*/, '+') : undefined;
  const candidate = international !== undefined && country === undefined ? international : trimmed;
  if (!candidate.startsWith('+') && country === undefined) {
    throw invalid('a national-format number needs a country code prefix (+…) or a defaultCountry');
  }
  if (/[a-z]/i.test(candidate.replace(/\s*(?:ext\.?|x|#)\s*\d+$/i, ''))) {
    throw invalid('the value contains letters');
  }
  const parse = (text: string) =>
    libphonenumber().parsePhoneNumberFromString(text, country === undefined ? undefined : { defaultCountry: country });
  let parsed = parse(candidate);
  if (international !== undefined && candidate !== international && parsed?.isValid() !== true) {
    parsed = parse(international) ?? parsed;
  }
  if (parsed === undefined) throw invalid('the value is not a phone number');
  if (!parsed.isValid()) throw invalid('the number is not valid for its country');
  return parsed.number;
}

function readCountry(value: string | undefined, field: string): CountryCode | undefined {
  if (value === undefined || value === '') return undefined;
  const upper = value.toUpperCase();
  if (!libphonenumber().isSupportedCountry(upper)) {
    throw new PatchbayError({
      code: 'invalid_request',
      message: `Unknown defaultCountry "${value}" used to read "${field}" (expected an ISO 3166-1 alpha-2 code such as "US")`,
      details: { field: 'defaultCountry' },
    });
  }
  return upper;
}
