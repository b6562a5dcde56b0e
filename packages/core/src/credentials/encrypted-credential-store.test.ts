import { createCipheriv, hkdfSync, randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PatchbayError } from '../errors/patchbay-error.js';
import { Secret } from '../secrets/secret.js';
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

/** The authenticated data of a `pb2` entry, built independently of the store: format, then each id length-prefixed. */
function pb2AssociatedData(tenant: string, provider: string, keyId: string): Buffer {
  const prefixed = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  return Buffer.concat([
    Buffer.from('patchbay-credentials/pb2'),
    prefixed(tenant),
    prefixed(provider),
    prefixed(keyId),
  ]);
}

/** A `pb2` entry sealed by hand with an IV of any length, otherwise exactly as the store seals. */
function sealByHand(key: Buffer, keyId: string, tenant: string, provider: string, iv: Buffer, plain: object): string {
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(pb2AssociatedData(tenant, provider, keyId));
  const body = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
  return [
    'pb2',
    keyId,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    body.toString('base64url'),
  ].join('.');
}

function refusal(create: () => unknown): PatchbayError {
  try {
    create();
  } catch (error) {
    if (PatchbayError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

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

  it('refuses every weak key with invalid_request naming keys.<id>', () => {
    const weak: unknown[] = [
      randomBytes(16),
      randomBytes(31),
      'correct horse battery staple and some more!',
      randomBytes(32).toString('hex'),
      Buffer.alloc(32),
      Buffer.alloc(32, 7),
      Buffer.from('0123456789abcdef0123456789abcdef'),
      new Secret(Buffer.alloc(32).toString('base64')),
      42,
    ];
    for (const key of weak) {
      const error = refusal(
        () =>
          new EncryptedCredentialStore(new InMemorySealedStorage(), {
            primary: 'main',
            keys: { old_1: randomBytes(32), main: key as Uint8Array },
          }),
      );
      expect(error.code, String(key)).toBe('invalid_request');
      expect(error.details?.field, String(key)).toBe('keys.main');
      expect(error.message, String(key)).toContain('"main"');
    }
    // setKeyring() refuses the same way, and the keyring in use stays as it was.
    const storage = new InMemorySealedStorage();
    const store = new EncryptedCredentialStore(storage, { primary: 'k1', keys: { k1: oldKey } });
    const error = refusal(() => store.setKeyring({ primary: 'k1', keys: { k1: oldKey, k2: randomBytes(8) } }));
    expect(error).toMatchObject({ code: 'invalid_request', details: { field: 'keys.k2' } });
  });

  it('seals each write with a fresh random 12-byte IV and a 16-byte tag', async () => {
    const storage = new InMemorySealedStorage();
    const store = new EncryptedCredentialStore(storage, { primary: 'k1', keys: { k1: oldKey } });
    const ivs = new Set<string>();
    for (let write = 0; write < 4; write++) {
      await store.set('acme', 'p', { apiKey: 'the-same-value' });
      const parts = String(storage.read('acme', 'p')?.sealed).split('.');
      expect(parts).toHaveLength(5);
      const [format, keyId, iv, tag] = parts as [string, string, string, string, string];
      expect([format, keyId]).toEqual(['pb2', 'k1']);
      expect(Buffer.from(iv, 'base64url')).toHaveLength(12);
      expect(Buffer.from(tag, 'base64url')).toHaveLength(16);
      ivs.add(iv);
    }
    expect(ivs.size).toBe(4);
  });

  it('refuses an entry whose IV is not 12 bytes, even one that would authenticate', async () => {
    const storage = new InMemorySealedStorage();
    const store = new EncryptedCredentialStore(storage, { primary: 'k1', keys: { k1: oldKey } });
    // The hand-made entry is right: with a 12-byte IV it opens.
    storage.write('acme', 'p', sealByHand(oldKey, 'k1', 'acme', 'p', randomBytes(12), { apiKey: 'hand-sealed' }));
    expect(revealed(await store.get('acme', 'p'), 'apiKey')).toBe('hand-sealed');
    for (const length of [8, 16, 1]) {
      storage.write('acme', 'p', sealByHand(oldKey, 'k1', 'acme', 'p', randomBytes(length), { apiKey: 'hand-sealed' }));
      const error = (await store.get('acme', 'p').catch((caught: unknown) => caught)) as PatchbayError;
      expect(PatchbayError.isInstance(error), String(length)).toBe(true);
      expect(error.code).toBe('not_configured');
      expect(error.message).toContain('malformed entry');
      expect(JSON.stringify(error)).not.toContain('hand-sealed');
    }
  });

  it('leaves an entry sealed with a key no longer in the keyring byte for byte, reports it, and goes on', async () => {
    const storage = new InMemorySealedStorage();
    const store = new EncryptedCredentialStore(storage, { primary: 'k1', keys: { k1: oldKey } });
    await store.set('acme', 'p', { apiKey: 'under-k1' });
    store.setKeyring({ primary: 'k2', keys: { k1: oldKey, k2: newKey } });
    await store.set('globex', 'p', { apiKey: 'under-k2' });
    await store.set('zeta', 'p', { apiKey: 'under-k2-too' });
    // A row sealed with a key that was dropped long ago.
    storage.write(
      'umbrella',
      'p',
      sealByHand(randomBytes(32), 'k0', 'umbrella', 'p', randomBytes(12), { apiKey: 'x' }),
    );
    store.setKeyring({ primary: 'k2', keys: { k2: newKey } });
    const before = new Map([...storage.rows.values()].map((row) => [`${row.tenant}/${row.provider}`, { ...row }]));
    const report = await store.reencrypt();
    expect(report).toEqual({
      rewritten: 0,
      current: 2,
      superseded: 0,
      failed: [
        { tenant: 'acme', provider: 'p', reason: expect.stringContaining('key "k1" is not in the keyring') },
        { tenant: 'umbrella', provider: 'p', reason: expect.stringContaining('key "k0" is not in the keyring') },
      ],
    });
    expect(storage.rows.size).toBe(before.size);
    for (const [name, row] of before) {
      const after = storage.read(row.tenant, row.provider);
      expect(after?.sealed, name).toBe(row.sealed);
      expect(after?.version, name).toBe(row.version);
    }
    // Put the old key back: the untouched entries open and the next pass rewrites them.
    store.setKeyring({ primary: 'k2', keys: { k1: oldKey, k2: newKey } });
    expect(revealed(await store.get('acme', 'p'), 'apiKey')).toBe('under-k1');
    expect(await store.reencrypt()).toMatchObject({ rewritten: 1, current: 2, failed: [{ tenant: 'umbrella' }] });
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
