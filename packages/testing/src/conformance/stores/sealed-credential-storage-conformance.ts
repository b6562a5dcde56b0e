import type { SealedCredentialStorage, SealedRow } from '@patchbay/core';
import { Secret } from '@patchbay/core/adapter';
import type { ConformanceCase } from '../conformance-case.js';
import { assert } from '../lazy-node.js';
import { type StoreConformanceOptions, storeCases } from './store-under-test.js';

export type SealedCredentialStorageConformanceOptions = StoreConformanceOptions<SealedCredentialStorage>;

async function rows(storage: SealedCredentialStorage): Promise<SealedRow[]> {
  assert.ok(storage.entries, 'entries() must be implemented for re-encryption');
  const all: SealedRow[] = [];
  for await (const row of storage.entries()) all.push(row);
  return all;
}

const keyA = Buffer.from('3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGho=', 'base64');
const keyB = keyA.map((byte) => byte ^ 0x5a);

const reveal = (value: string | Secret | undefined) => (Secret.isInstance(value) ? value.reveal() : value);

/** What every `SealedCredentialStorage` (the table under `EncryptedCredentialStore`) must do. */
export function defineSealedCredentialStorageConformance(
  options: SealedCredentialStorageConformanceOptions,
): ConformanceCase[] {
  return storeCases(options, 'sealed-storage', {
    'read-missing': {
      name: 'reads undefined for a row never written',
      check: async (storage) => {
        assert.equal(await storage.read('tenant-a', 'openai'), undefined);
      },
    },
    'write-versions': {
      name: 'write creates version 1 and each write increments it',
      check: async (storage) => {
        await storage.write('tenant-a', 'openai', 'sealed-1');
        assert.deepEqual(await storage.read('tenant-a', 'openai'), { sealed: 'sealed-1', version: 1 });
        await storage.write('tenant-a', 'openai', 'sealed-2');
        assert.deepEqual(await storage.read('tenant-a', 'openai'), { sealed: 'sealed-2', version: 2 });
      },
    },
    'rows-distinct': {
      name: 'keeps (tenant, provider) pairs apart, even when their joined text is equal',
      check: async (storage) => {
        await storage.write('a:b', 'c', 'first');
        await storage.write('a', 'b:c', 'second');
        assert.equal((await storage.read('a:b', 'c'))?.sealed, 'first');
        assert.equal((await storage.read('a', 'b:c'))?.sealed, 'second');
        assert.equal(await storage.read('a:b', 'b:c'), undefined);
      },
    },
    'replace-compare-and-set': {
      name: 'replace succeeds only at the current version and increments it',
      check: async (storage) => {
        await storage.write('t', 'p', 'v1');
        assert.equal(await storage.replace('t', 'p', 'stale', 7), false);
        assert.deepEqual(await storage.read('t', 'p'), { sealed: 'v1', version: 1 });
        assert.equal(await storage.replace('t', 'p', 'v2', 1), true);
        assert.deepEqual(await storage.read('t', 'p'), { sealed: 'v2', version: 2 });
        assert.equal(await storage.replace('t', 'p', 'again', 1), false);
      },
    },
    'replace-concurrent': {
      name: 'of two concurrent replaces at one version exactly one wins',
      check: async (storage) => {
        await storage.write('t', 'p', 'v1');
        const answers = await Promise.all([
          storage.replace('t', 'p', 'left', 1),
          storage.replace('t', 'p', 'right', 1),
        ]);
        assert.deepEqual([...answers].sort(), [false, true]);
        const row = await storage.read('t', 'p');
        assert.equal(row?.version, 2);
        assert.equal(row?.sealed, answers[0] ? 'left' : 'right');
      },
    },
    'replace-removed': {
      name: 'replace does not recreate a removed row',
      check: async (storage) => {
        await storage.write('t', 'p', 'v1');
        await storage.remove('t', 'p');
        assert.equal(await storage.read('t', 'p'), undefined);
        assert.equal(await storage.replace('t', 'p', 'ghost', 1), false);
        assert.equal(await storage.read('t', 'p'), undefined);
      },
    },
    'entries-many': {
      name: 'entries() lists every row once, at high cardinality',
      check: async (storage) => {
        const count = 1_203;
        for (let index = 0; index < count; index++) await storage.write(`tenant-${index}`, 'openai', `s${index}`);
        const listed = await rows(storage);
        assert.equal(listed.length, count);
        assert.equal(new Set(listed.map((row) => row.tenant)).size, count);
        const sample = listed.find((row) => row.tenant === 'tenant-42');
        assert.deepEqual(sample, { tenant: 'tenant-42', provider: 'openai', sealed: 's42', version: 1 });
      },
    },
    'encrypted-store': {
      name: 'carries an EncryptedCredentialStore through set, get and key rotation',
      check: async (storage) => {
        // Loaded here, not on import: it lives in `@patchbay/core`'s root, which `@patchbay/testing`'s own root
        // does not load (mocks and the fake clock need none of the router behind it).
        const { EncryptedCredentialStore } = await import('@patchbay/core');
        const store = new EncryptedCredentialStore(storage, { primary: 'a', keys: { a: keyA } });
        await store.set('tenant-a', 'openai', { apiKey: new Secret('sk-conformance-1') });
        await store.set('tenant-b', 'openai', { apiKey: 'sk-conformance-2' });
        for (const row of await rows(storage)) assert.ok(!row.sealed.includes('sk-conformance'), 'stored sealed');
        store.setKeyring({ primary: 'b', keys: { a: keyA, b: keyB } });
        const report = await store.reencrypt();
        assert.deepEqual(report, { rewritten: 2, current: 0, superseded: 0, failed: [] });
        store.setKeyring({ primary: 'b', keys: { b: keyB } });
        assert.equal(reveal((await store.get('tenant-a', 'openai'))?.apiKey), 'sk-conformance-1');
        assert.equal(reveal((await store.get('tenant-b', 'openai'))?.apiKey), 'sk-conformance-2');
      },
    },
  });
}
