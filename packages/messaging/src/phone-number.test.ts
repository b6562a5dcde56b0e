import { PatchbayError } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { normalizePhoneNumber } from './phone-number.js';

function invalidField(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(PatchbayError.isInstance(error)).toBe(true);
    const patchbayError = error as PatchbayError;
    expect(patchbayError.code).toBe('invalid_request');
    return patchbayError.details?.field as string | undefined;
  }
  throw new Error('expected normalizePhoneNumber to throw');
}

describe('normalizePhoneNumber', () => {
  it('returns E.164 for international notations', () => {
    expect(normalizePhoneNumber('+250 788 123 456')).toBe('+250788123456');
    expect(normalizePhoneNumber('+1 (415) 555-2671')).toBe('+14155552671');
    expect(normalizePhoneNumber('  +44 20 7946 0958 ')).toBe('+442079460958');
    expect(normalizePhoneNumber('00250788123456')).toBe('+250788123456');
  });

  it('reads a leading 00 as the international prefix whatever the default country (README)', () => {
    // The US dials out with 011 and Japan with 010: their own rules read 00… as a national number.
    for (const defaultCountry of ['US', 'JP', 'RW', undefined]) {
      expect([defaultCountry, normalizePhoneNumber('00250788123456', { defaultCountry })]).toEqual([
        defaultCountry,
        '+250788123456',
      ]);
      expect([defaultCountry, normalizePhoneNumber('00 44 20 7946 0958', { defaultCountry })]).toEqual([
        defaultCountry,
        '+442079460958',
      ]);
    }
    // A country's own international prefixes still come first: Australia's 0011, Korea's 001.
    expect(normalizePhoneNumber('0011 44 20 7946 0958', { defaultCountry: 'AU' })).toBe('+442079460958');
    expect(normalizePhoneNumber('001 44 20 7946 0958', { defaultCountry: 'KR' })).toBe('+442079460958');
    expect(invalidField(() => normalizePhoneNumber('00999 123', { defaultCountry: 'US' }))).toBe('to');
  });

  it('reads national numbers with a default country (case-insensitive)', () => {
    expect(normalizePhoneNumber('0788 123 456', { defaultCountry: 'RW' })).toBe('+250788123456');
    expect(normalizePhoneNumber('(415) 555-2671', { defaultCountry: 'us' })).toBe('+14155552671');
    expect(normalizePhoneNumber('0712 345678', { defaultCountry: 'KE' })).toBe('+254712345678');
  });

  it('rejects a national number without a country, naming the default field "to"', () => {
    expect(invalidField(() => normalizePhoneNumber('0788123456'))).toBe('to');
  });

  it('names the field given by the caller in the message and details', () => {
    try {
      normalizePhoneNumber('not a number', { field: 'from' });
      expect.unreachable();
    } catch (error) {
      expect((error as PatchbayError).message).toContain('"from"');
      expect((error as PatchbayError).details).toEqual({ field: 'from' });
    }
  });

  it.each([
    [''],
    ['   '],
    ['+1'],
    ['+1 415 555 26711234'],
    ['+999 123456789'],
    ['whatsapp:+14155552671'],
    ['+1 415 CALL NOW'],
    // Right length for the US but 555-01xx style area code 011 does not exist.
    ['+1 011 555 2671'],
  ])('rejects %j', (input) => {
    expect(invalidField(() => normalizePhoneNumber(input))).toBe('to');
  });

  // README: numbers are validated with libphonenumber's full metadata. These have the right length for their
  // country, so the default ("min") metadata accepts them; only the full metadata knows their ranges are not
  // allocated (Rwanda's mobiles start 72, 73, 77, 78 or 79; Kenya's 900 is not a range) and refuses them.
  it.each([['+250 700 123 456'], ['+254 900 123456']])(
    'rejects %j, which only the full metadata knows is not allocated',
    (input) => {
      expect(invalidField(() => normalizePhoneNumber(input))).toBe('to');
    },
  );

  it('rejects non-string input instead of crashing', () => {
    expect(invalidField(() => normalizePhoneNumber(undefined as unknown as string))).toBe('to');
  });

  it('rejects an unknown default country naming defaultCountry', () => {
    expect(invalidField(() => normalizePhoneNumber('0788123456', { defaultCountry: 'XX' }))).toBe('defaultCountry');
  });
});
