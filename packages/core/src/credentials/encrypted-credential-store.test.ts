import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CredentialResolver } from './credential-resolver.js';
import { defineCredentials } from './credential-spec.js';
import type { CredentialValues } from './credential-store.js';
import { EncryptedCredentialStore, InMemorySealedStorage } from './encrypted-credential-store.js';

const oldKey = randomBytes(32);

function revealed(values: CredentialValues | undefined, field: string): string | undefined {
  const value = values?.[field];
  return typeof value === 'string' ? value : value?.reveal();
}
const newKey = randomBytes(32);

describe('EncryptedCredentialStore', () => {
  it('keeps values encrypted at rest and opens them for the right tenant', async () => {
    const storage = new InMemorySealedStorage();
    const store = new EncryptedCredentialStore(storage, { primary: 'k1', keys: { k1: oldKey } });
    await store.set('acme', 'twilio', { authToken: 'plain-token-value' });
    const row = [...storage.rows.values()][0];
    expect(row?.sealed).not.toContain('plain-token-value');
    expect(row?.sealed.startsWith('pb1.k1.')).toBe(true);
    const opened = await store.get('acme', 'twilio');
    expect(revealed(opened, 'authToken')).toBe('plain-token-value');
    expect(JSON.stringify(opened)).not.toContain('plain-token-value');
  });

  it('refuses an entry moved to another tenant', async () => {
    const storage = new InMemorySealedStorage();
    const store = new EncryptedCredentialStore(storage, { primary: 'k1', keys: { k1: oldKey } });
    await store.set('acme', 'twilio', { authToken: 'acme-token' });
    storage.write('globex', 'twilio', storage.read('acme', 'twilio') as string);
    await expect(store.get('globex', 'twilio')).rejects.toMatchObject({ code: 'not_configured' });
  });

  it('rotates keys without downtime', async () => {
    const storage = new InMemorySealedStorage();
    const store = new EncryptedCredentialStore(storage, { primary: 'k1', keys: { k1: oldKey } });
    await store.set('acme', 'twilio', { authToken: 'token-a' });
    await store.set('globex', 'twilio', { authToken: 'token-b' });
    store.setKeyring({ primary: 'k2', keys: { k1: oldKey, k2: newKey } });
    expect(revealed(await store.get('acme', 'twilio'), 'authToken')).toBe('token-a');
    expect(await store.reencrypt()).toBe(2);
    store.setKeyring({ primary: 'k2', keys: { k2: newKey } });
    expect(revealed(await store.get('globex', 'twilio'), 'authToken')).toBe('token-b');
    expect(await store.reencrypt()).toBe(0);
  });

  it('serves a credential resolver like any store', async () => {
    const store = new EncryptedCredentialStore(new InMemorySealedStorage(), {
      primary: 'k1',
      keys: { k1: oldKey.toString('base64') },
    });
    await store.set('acme', 'main', { apiKey: 'sk-acme' });
    const spec = defineCredentials({ fields: { apiKey: z.string() }, env: { apiKey: ['X_KEY'] }, secret: ['apiKey'] });
    const resolver = new CredentialResolver({ provider: 'main', spec, store, env: false });
    expect((await resolver.resolve({ tenant: 'acme' })).sources).toEqual({ apiKey: 'tenant-store' });
  });

  it('rejects a key of the wrong size, naming it', () => {
    expect(
      () => new EncryptedCredentialStore(new InMemorySealedStorage(), { primary: 'k1', keys: { k1: randomBytes(16) } }),
    ).toThrow(/k1/);
  });
});
