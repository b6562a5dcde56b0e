import { describe, expect, it } from 'vitest';
import { resolveTables } from './table-names.js';

describe('resolveTables', () => {
  it('takes a schema of up to 40 and a prefix of up to 20 characters of a-z 0-9 _', () => {
    const schema = `s${'_0'.repeat(19)}z`;
    const tablePrefix = `p${'_9'.repeat(9)}_`;
    expect([schema.length, tablePrefix.length]).toEqual([40, 20]);
    expect(resolveTables({ schema, tablePrefix }).table('usage_records')).toBe(`${schema}.${tablePrefix}usage_records`);
    expect(resolveTables({ tablePrefix: '' }).table('audit_log')).toBe('public.audit_log');
  });

  it.each([
    ['schema', { schema: 'a'.repeat(41) }],
    ['schema', { schema: 'Patchbay' }],
    ['schema', { schema: '1st' }],
    ['schema', { schema: 'pat-chbay' }],
    ['schema', { schema: '' }],
    ['tablePrefix', { tablePrefix: 'a'.repeat(21) }],
    ['tablePrefix', { tablePrefix: 'Pb_' }],
    ['tablePrefix', { tablePrefix: 'pb"; --' }],
  ])('refuses a %s outside the rule (%o), naming the field', (field, options) => {
    expect(() => resolveTables(options)).toThrow(
      expect.objectContaining({ code: 'invalid_request', details: { field } }),
    );
  });
});
