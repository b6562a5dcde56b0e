import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PatchbayError } from '../errors/patchbay-error.js';
import { Secret } from '../secrets/secret.js';
import type { CredentialStore, CredentialValues } from './credential-store.js';

/** Where sealed credentials are kept (a database column, a KV store): opaque strings only. */
export interface SealedCredentialStorage {
  read(tenant: string, provider: string): Promise<string | undefined> | string | undefined;
  write(tenant: string, provider: string, sealed: string): Promise<void> | void;
  remove(tenant: string, provider: string): Promise<void> | void;
  /** Every stored entry, for re-encryption under a new key. */
  entries?():
    | AsyncIterable<{ tenant: string; provider: string; sealed: string }>
    | Iterable<{ tenant: string; provider: string; sealed: string }>;
}

export interface EncryptionKeyring {
  /** Key id used for new writes. */
  primary: string;
  /** 32-byte keys by id (raw bytes or base64). Old ids stay here until every entry is re-encrypted. */
  keys: Readonly<Record<string, Uint8Array | string | Secret>>;
}

const format = 'pb1';

function keyBytes(id: string, key: Uint8Array | string | Secret): Buffer {
  const bytes =
    key instanceof Uint8Array ? Buffer.from(key) : Buffer.from(Secret.isInstance(key) ? key.reveal() : key, 'base64');
  if (bytes.length !== 32) {
    throw new PatchbayError({
      code: 'invalid_request',
      message: `Encryption key "${id}" must be 32 bytes`,
      details: { field: `keys.${id}` },
    });
  }
  return bytes;
}

/**
 * A CredentialStore that keeps values encrypted at rest with AES-256-GCM. Each
 * entry records its key id, so keys rotate without downtime: add the new key,
 * make it primary (new writes use it, old entries still open), call
 * `reencrypt()`, then drop the old key. The tenant and provider are bound into
 * each entry as authenticated data: an entry copied to another tenant's row
 * fails to open instead of leaking across tenants.
 */
export class EncryptedCredentialStore implements CredentialStore {
  readonly #storage: SealedCredentialStorage;
  #keys: Map<string, Buffer>;
  #primary: string;
  readonly #listeners = new Set<(change: { tenant: string; provider: string }) => void>();

  constructor(storage: SealedCredentialStorage, keyring: EncryptionKeyring) {
    this.#storage = storage;
    this.#keys = new Map();
    this.#primary = keyring.primary;
    this.setKeyring(keyring);
  }

  /** Replaces the keyring (rotation step 1 and 3). */
  setKeyring(keyring: EncryptionKeyring): void {
    const keys = new Map(Object.entries(keyring.keys).map(([id, key]) => [id, keyBytes(id, key)]));
    if (!keys.has(keyring.primary)) {
      throw new PatchbayError({
        code: 'invalid_request',
        message: `Primary key "${keyring.primary}" is not in the keyring`,
        details: { field: 'primary' },
      });
    }
    this.#keys = keys;
    this.#primary = keyring.primary;
  }

  async get(tenant: string, provider: string): Promise<CredentialValues | undefined> {
    const sealed = await this.#storage.read(tenant, provider);
    return sealed === undefined ? undefined : this.#open(sealed, tenant, provider);
  }

  async set(tenant: string, provider: string, values: CredentialValues): Promise<void> {
    await this.#storage.write(tenant, provider, this.#seal(values, tenant, provider));
    this.#notify(tenant, provider);
  }

  async delete(tenant: string, provider: string): Promise<void> {
    await this.#storage.remove(tenant, provider);
    this.#notify(tenant, provider);
  }

  subscribe(listener: (change: { tenant: string; provider: string }) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Rewrites every entry not sealed with the primary key; returns how many were rewritten. */
  async reencrypt(): Promise<number> {
    if (!this.#storage.entries) {
      throw new PatchbayError({
        code: 'invalid_request',
        message: 'This storage cannot list its entries, so it cannot be re-encrypted',
      });
    }
    let rewritten = 0;
    for await (const entry of this.#storage.entries()) {
      if (entry.sealed.split('.')[1] === this.#primary) continue;
      const values = this.#open(entry.sealed, entry.tenant, entry.provider);
      await this.#storage.write(entry.tenant, entry.provider, this.#seal(values, entry.tenant, entry.provider));
      rewritten++;
    }
    return rewritten;
  }

  #seal(values: CredentialValues, tenant: string, provider: string): string {
    const plain: Record<string, string> = {};
    for (const [field, value] of Object.entries(values))
      plain[field] = Secret.isInstance(value) ? value.reveal() : value;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#keys.get(this.#primary) as Buffer, iv);
    cipher.setAAD(Buffer.from(`${tenant}\u0000${provider}`));
    const body = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
    return [
      format,
      this.#primary,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      body.toString('base64url'),
    ].join('.');
  }

  #open(sealed: string, tenant: string, provider: string): CredentialValues {
    const [version, keyId, iv, tag, body] = sealed.split('.');
    const key = keyId === undefined ? undefined : this.#keys.get(keyId);
    const fail = (why: string) =>
      new PatchbayError({
        code: 'not_configured',
        provider,
        message: `Stored credentials for provider "${provider}" cannot be opened: ${why}`,
      });
    if (version !== format || !iv || !tag || body === undefined) throw fail('unrecognised format');
    if (!key) throw fail(`key "${keyId}" is not in the keyring`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(`${tenant}\u0000${provider}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      const stored: Record<string, Secret> = {};
      for (const [field, value] of Object.entries(JSON.parse(text) as Record<string, string>))
        stored[field] = new Secret(value);
      return Object.freeze(stored);
    } catch {
      throw fail('authentication failed (wrong key, or the entry belongs to another tenant or provider)');
    }
  }

  #notify(tenant: string, provider: string): void {
    for (const listener of this.#listeners) listener({ tenant, provider });
  }

  toJSON(): string {
    return '[EncryptedCredentialStore]';
  }
}

/** Sealed storage in memory, for tests and single-process services. */
export class InMemorySealedStorage implements SealedCredentialStorage {
  readonly rows = new Map<string, { tenant: string; provider: string; sealed: string }>();

  read(tenant: string, provider: string): string | undefined {
    return this.rows.get(`${tenant}\u0000${provider}`)?.sealed;
  }

  write(tenant: string, provider: string, sealed: string): void {
    this.rows.set(`${tenant}\u0000${provider}`, { tenant, provider, sealed });
  }

  remove(tenant: string, provider: string): void {
    this.rows.delete(`${tenant}\u0000${provider}`);
  }

  entries(): Iterable<{ tenant: string; provider: string; sealed: string }> {
    return [...this.rows.values()];
  }
}
