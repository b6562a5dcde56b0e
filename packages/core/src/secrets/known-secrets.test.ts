import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PatchbayError } from '../errors/patchbay-error.js';
import { knownSecretCount, knownSecrets, rememberSecrets } from './known-secrets.js';

describe('known secrets', () => {
  it('lets every PatchbayError cut a remembered value out of vendor text, also when it does not look like a key', () => {
    const tenantKey = 'opaque.tenant.value.q';
    rememberSecrets([tenantKey, undefined, 'short']);
    const error = new PatchbayError({
      code: 'auth',
      message: `vendor said: bad key ${tenantKey}`,
      details: { body: `{"key":"${tenantKey}"}` },
      cause: new Error(`echo ${tenantKey}`),
    });
    const shown = `${error.message} ${JSON.stringify(error)} ${inspect(error, { depth: 5 })}`;
    expect(shown).not.toContain(tenantKey);
    expect(error.message).toBe('vendor said: bad key [redacted]');
    // Values too short to cut safely are left to the adapter's own scrubbing.
    expect(knownSecrets()).not.toContain('short');
  });

  it('stays bounded at high tenant cardinality, keeping the most recent', () => {
    for (let tenant = 0; tenant < 20_000; tenant++) rememberSecrets([`tenant-${tenant}-secret-value`]);
    expect(knownSecretCount()).toBe(2_000);
    expect(knownSecrets()).toContain('tenant-19999-secret-value');
    expect(knownSecrets()).not.toContain('tenant-0-secret-value');
    // Using a value again makes it recent.
    rememberSecrets(['tenant-18000-secret-value']);
    expect(knownSecrets().at(-1)).toBe('tenant-18000-secret-value');
  });
});
