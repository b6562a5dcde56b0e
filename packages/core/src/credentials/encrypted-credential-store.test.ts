import { createCipheriv, hkdfSync, randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CredentialResolver } from './credential-resolver.js';
import { defineCredentials } from './credential-spec.js';
import type { CredentialValues } from './credential-store.js';
import {
  EncryptedCredentialStore,
  InMemorySealedStorage,
  type SealedCredentialStorage,
  type SealedRow,
} from './encrypted-credential-store.js';

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
    expect(row?.sealed.startsWith('pb2.k1.')).toBe(true);
    const opened = await store.get('acme', 'twilio');
    expect(revealed(opened, 'authToken')).toBe('plain-token-value');
    expect(JSON.stringify(opened)).not.toContain('plain-token-value');
  });

  it('refuses an entry moved to another tenant', async () => {
    const storage = new InMemorySealedStorage();
    const store = new EncryptedCredentialStore(storage, { primary: 'k1', keys: { k1: oldKey } });
    await store.set('acme', 'twilio', { authToken: 'acme-token' });
    storage.write('globex', 'twilio', storage.read('acme', 'twilio')?.sealed as string);
    await expect(store.get('globex', 'twilio')).rejects.toMatchObject({ code: 'not_configured' });
  });

  it('rotates keys without downtime', async () => {
    const storage = new InMemorySealedStorage();
    const store = new EncryptedCredentialStore(storage, { primary: 'k1', keys: { k1: oldKey } });
    await store.set('acme', 'twilio', { authToken: 'token-a' });
    await store.set('globex', 'twilio', { authToken: 'token-b' });
    store.setKeyring({ primary: 'k2', keys: { k1: oldKey, k2: newKey } });
    expect(revealed(await store.get('acme', 'twilio'), 'authToken')).toBe('token-a');
    expect(await store.reencrypt()).toMatchObject({ rewritten: 2, current: 0, failed: [] });
    store.setKeyring({ primary: 'k2', keys: { k2: newKey } });
    expect(revealed(await store.get('globex', 'twilio'), 'authToken')).toBe('token-b');
    expect(await store.reencrypt()).toMatchObject({ rewritten: 0, current: 2, failed: [] });
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

  it('never reverts a set() that lands during rotation (compare-and-set on the row version)', async () => {
    const storage = new InMemorySealedStorage();
    const store = new EncryptedCredentialStore(storage, { primary: 'k1', keys: { k1: oldKey } });
    await store.set('acme', 'twilio', { authToken: 'token-a' });
    await store.set('globex', 'twilio', { authToken: 'old-b' });
    await store.set('initech', 'twilio', { authToken: 'old-c' });
    store.setKeyring({ primary: 'k2', keys: { k1: oldKey, k2: newKey } });
    // A listing that is a snapshot (as a database cursor is): rows change after they were listed.
    const racing: SealedCredentialStorage = {
      read: (tenant, provider) => storage.read(tenant, provider),
      write: (tenant, provider, sealed) => storage.write(tenant, provider, sealed),
      replace: (tenant, provider, sealed, version) => storage.replace(tenant, provider, sealed, version),
      remove: (tenant, provider) => storage.remove(tenant, provider),
      async *entries(): AsyncIterable<SealedRow> {
        const snapshot = [...storage.rows.values()];
        yield snapshot[0] as SealedRow;
        await rotating.set('globex', 'twilio', { authToken: 'new-b' });
        await rotating.delete('initech', 'twilio');
        yield* snapshot.slice(1);
      },
    };
    const rotating = new EncryptedCredentialStore(racing, { primary: 'k2', keys: { k1: oldKey, k2: newKey } });
    expect(await rotating.reencrypt()).toMatchObject({ rewritten: 1, superseded: 2, failed: [] });
    expect(revealed(await rotating.get('globex', 'twilio'), 'authToken')).toBe('new-b');
    expect(await rotating.get('initech', 'twilio')).toBeUndefined();
    expect(revealed(await rotating.get('acme', 'twilio'), 'authToken')).toBe('token-a');
  });

  it('continues past a corrupt entry and reports it', async () => {
    const storage = new InMemorySealedStorage();
    const store = new EncryptedCredentialStore(storage, { primary: 'k1', keys: { k1: oldKey } });
    await store.set('acme', 'p', { apiKey: 'a' });
    storage.write('broken', 'p', 'pb2.k1.not-valid');
    await store.set('zeta', 'p', { apiKey: 'z' });
    store.setKeyring({ primary: 'k2', keys: { k1: oldKey, k2: newKey } });
    const report = await store.reencrypt();
    expect(report.rewritten).toBe(2);
    expect(report.failed).toEqual([
      { tenant: 'broken', provider: 'p', reason: expect.stringContaining('cannot be opened') },
    ]);
    expect(storage.read('zeta', 'p')?.sealed.startsWith('pb2.k2.')).toBe(true);
  });

  it('rejects key ids that would break the entry format', () => {
    for (const id of ['k.1', '', 'k 1', 'x'.repeat(65)]) {
      expect(
        () => new EncryptedCredentialStore(new InMemorySealedStorage(), { primary: id, keys: { [id]: oldKey } }),
      ).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    }
  });

  it('refuses an entry whose authentication tag was truncated', async () => {
    const storage = new InMemorySealedStorage();
    const store = new EncryptedCredentialStore(storage, { primary: 'k1', keys: { k1: oldKey } });
    await store.set('acme', 'p', { apiKey: 'value' });
    const parts = String(storage.read('acme', 'p')?.sealed).split('.');
    parts[3] = Buffer.from(parts[3] as string, 'base64url')
      .subarray(0, 4)
      .toString('base64url');
    storage.write('acme', 'p', parts.join('.'));
    await expect(store.get('acme', 'p')).rejects.toMatchObject({ code: 'not_configured' });
  });

  it('keeps tenant and provider apart even when an id contains a NUL', async () => {
    const storage = new InMemorySealedStorage();
    const store = new EncryptedCredentialStore(storage, { primary: 'k1', keys: { k1: oldKey } });
    await store.set('a\u0000b', 'c', { apiKey: 'tenant-a-nul-b' });
    expect(await store.get('a', 'b\u0000c')).toBeUndefined();
    storage.write('a', 'b\u0000c', storage.read('a\u0000b', 'c')?.sealed as string);
    await expect(store.get('a', 'b\u0000c')).rejects.toMatchObject({ code: 'not_configured' });
    expect(storage.rows.size).toBe(2);
  });

  it('accepts only 32 bytes of real key material', () => {
    const create = (key: Uint8Array | string) =>
      new EncryptedCredentialStore(new InMemorySealedStorage(), { primary: 'k1', keys: { k1: key } });
    const weak: (Uint8Array | string)[] = [
      'correct horse battery staple and some more!', // a 43-character passphrase
      'ThisIsMyVerySecretPassphraseForPatchbay2026', // 43 characters of base64 alphabet
      Buffer.alloc(32).toString('base64'),
      Buffer.alloc(32),
      Buffer.alloc(32, 7),
      Buffer.from('0123456789abcdef0123456789abcdef'), // a 32-character text as bytes
      Buffer.from('abababababababababababababababab'),
      randomBytes(32).toString('hex'),
      randomBytes(31),
    ];
    for (const key of weak) expect(() => create(key), String(key)).toThrow(/k1.*32 random bytes/s);
    expect(() => create(randomBytes(32))).not.toThrow();
    // The derivations the documentation gives for a service that starts from a passphrase or a master key.
    const salt = randomBytes(16);
    const fromPassphrase = scryptSync('correct horse battery staple', salt, 32, {
      N: 2 ** 17,
      r: 8,
      p: 1,
      maxmem: 256 * 1024 * 1024,
    });
    expect(() => create(fromPassphrase)).not.toThrow();
    expect(() =>
      create(new Uint8Array(hkdfSync('sha256', randomBytes(32), salt, 'patchbay-credentials', 32))),
    ).not.toThrow();
    expect(() => create(randomBytes(32).toString('base64'))).not.toThrow();
  });

  it('still opens entries of the first format and migrates them on reencrypt()', async () => {
    // The first format: NUL-joined authenticated data, written by earlier releases.
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', oldKey, iv);
    cipher.setAAD(Buffer.from('acme\u0000p'));
    const body = Buffer.concat([cipher.update(JSON.stringify({ apiKey: 'legacy' }), 'utf8'), cipher.final()]);
    const legacy = [
      'pb1',
      'k1',
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      body.toString('base64url'),
    ];
    const storage = new InMemorySealedStorage();
    storage.write('acme', 'p', legacy.join('.'));
    const store = new EncryptedCredentialStore(storage, { primary: 'k1', keys: { k1: oldKey } });
    expect(revealed(await store.get('acme', 'p'), 'apiKey')).toBe('legacy');
    // The first format is ambiguous for ids holding a NUL: such an entry is refused, not guessed at.
    storage.write('a\u0000b', 'c', legacy.join('.'));
    await expect(store.get('a\u0000b', 'c')).rejects.toMatchObject({ code: 'not_configured' });
    storage.remove('a\u0000b', 'c');
    expect(await store.reencrypt()).toMatchObject({ rewritten: 1 });
    expect(storage.read('acme', 'p')?.sealed.startsWith('pb2.k1.')).toBe(true);
    expect(revealed(await store.get('acme', 'p'), 'apiKey')).toBe('legacy');
  });
});
