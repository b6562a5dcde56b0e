import { inspect } from 'node:util';
import { type MockLanguageModel, mockFactories } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { InMemoryCredentialStore } from '../credentials/credential-store.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import { createPatchbay } from '../patchbay.js';
import { knownSecretCount, knownSecrets, rememberSecrets } from './known-secrets.js';
import { scrubText } from './scrub-text.js';

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

  it('learns a tenant-store key and an environment key when a call resolves them, so an echo of either is cut', async () => {
    // Plain words: nothing about them looks like a key, so only the remembered list can cut them.
    const tenantKey = 'tenantwordvalue';
    const envKey = 'plainwordvalue';
    for (const value of [tenantKey, envKey]) {
      expect(scrubText(`x ${value} y`)).toContain(value);
      expect(knownSecrets()).not.toContain(value);
    }
    const patchbay = createPatchbay({
      config: { providers: { echo: { kind: 'llm', vendor: 'mock', settings: { requireApiKey: true } } } },
      factories: mockFactories,
      credentialStore: new InMemoryCredentialStore({ acme: { echo: { apiKey: tenantKey } } }),
      env: { MOCK_API_KEY: envKey },
    });
    try {
      const seen: unknown[] = [];
      for (const type of ['attempt', 'failover'] as const) patchbay.on(type, (event) => seen.push(event));
      // A careless adapter: the vendor's error echoes the key it was sent, and nothing passes it to scrubText.
      (patchbay.provider('echo') as MockLanguageModel).setScript((call) => ({
        error: 'auth',
        status: 401,
        message: `vendor says: key ${call.apiKey?.reveal()} is not valid`,
      }));
      const request = { messages: [{ role: 'user' as const, content: 'hi' }] };
      for (const [tenant, key, source] of [
        ['acme', tenantKey, 'tenant-store'],
        [undefined, envKey, 'environment'],
      ] as const) {
        const error = (await patchbay.llm
          .generate(request, { tenant })
          .catch((caught: unknown) => caught)) as PatchbayError;
        expect(PatchbayError.isInstance(error)).toBe(true);
        expect(error.code).toBe('auth');
        // The key really went out, from the source under test, and the vendor echoed it.
        const call = (patchbay.provider('echo') as MockLanguageModel).lastCall;
        expect(call?.apiKey?.reveal()).toBe(key);
        expect(call?.credentialSources?.apiKey).toBe(source);
        // The vendor's text reaches the caller (in the attempt), with the key cut out.
        const attempts = (error as PatchbayError & { attempts?: { message?: string }[] }).attempts;
        expect(attempts?.map((attempt) => attempt.message)).toEqual(['vendor says: key [redacted] is not valid']);
        expect(call?.error?.message).toBe('vendor says: key [redacted] is not valid');
        const shown = [
          error.message,
          String(error.stack),
          JSON.stringify(error),
          inspect(error, { depth: 10 }),
          JSON.stringify(attempts),
          inspect(call?.error, { depth: 10 }),
          JSON.stringify(seen),
        ];
        for (const output of shown) expect(output).not.toContain(key);
      }
      expect(knownSecrets()).toEqual(expect.arrayContaining([tenantKey, envKey]));
    } finally {
      await patchbay.close();
    }
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
