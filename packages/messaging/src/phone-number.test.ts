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

  it('rejects non-string input instead of crashing', () => {
    expect(invalidField(() => normalizePhoneNumber(undefined as unknown as string))).toBe('to');
  });

  it('rejects an unknown default country naming defaultCountry', () => {
    expect(invalidField(() => normalizePhoneNumber('0788123456', { defaultCountry: 'XX' }))).toBe('defaultCountry');
  });
});
