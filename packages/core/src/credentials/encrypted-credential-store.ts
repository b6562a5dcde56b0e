import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PatchbayError } from '../errors/patchbay-error.js';
import { Secret } from '../secrets/secret.js';
import type { CredentialStore, CredentialValues } from './credential-store.js';

/** One stored row: the sealed value and its version, which every write increments. */
export interface SealedEntry {
  readonly sealed: string;
  readonly version: number;
}

/** A row as listed for re-encryption. */
export interface SealedRow extends SealedEntry {
  readonly tenant: string;
  readonly provider: string;
}

/**
 * Where sealed credentials are kept (a database table, a KV store): opaque
 * strings with a version per row. The version makes re-encryption a
 * compare-and-set, so a `set()` that lands while keys rotate is never reverted.
 * A SQL table `(tenant text, provider text, sealed text, version bigint,
 * primary key (tenant, provider))` implements it in four statements; see each method.
 */
export interface SealedCredentialStorage {
  /** The row, or undefined. `SELECT sealed, version … WHERE tenant = $1 AND provider = $2` */
  read(tenant: string, provider: string): Promise<SealedEntry | undefined> | SealedEntry | undefined;
  /**
   * Stores unconditionally (a user's `set()`), creating the row at version 1 or
   * incrementing its version. `INSERT … VALUES ($1, $2, $3, 1) ON CONFLICT (tenant, provider)
   * DO UPDATE SET sealed = $3, version = t.version + 1`
   */
  write(tenant: string, provider: string, sealed: string): Promise<void> | void;
  /**
   * Replaces the row only if it still has `version`, incrementing it; answers
   * whether it did. A removed row is not recreated. `UPDATE … SET sealed = $3,
   * version = version + 1 WHERE tenant = $1 AND provider = $2 AND version = $4` (rowCount = 1)
   */
  replace(tenant: string, provider: string, sealed: string, version: number): Promise<boolean> | boolean;
  /** `DELETE … WHERE tenant = $1 AND provider = $2` */
  remove(tenant: string, provider: string): Promise<void> | void;
  /** Every row, for re-encryption under a new key. May be a snapshot or a cursor. */
  entries?(): AsyncIterable<SealedRow> | Iterable<SealedRow>;
}

export interface EncryptionKeyring {
  /** Key id used for new writes. */
  primary: string;
  /**
   * Keys by id. Each is exactly 32 random bytes: a `Uint8Array`, or its
   * standard base64 (44 characters ending in `=`), optionally as a `Secret`.
   * Ids are 1–64 characters of `A-Z a-z 0-9 _ -`. Old ids stay here until
   * every entry is re-encrypted.
   */
  keys: Readonly<Record<string, Uint8Array | string | Secret>>;
}

/** What one `reencrypt()` pass did. */
export interface ReencryptionReport {
  /** Entries rewritten under the primary key (or from the legacy format). */
  rewritten: number;
  /** Entries already sealed with the primary key. */
  current: number;
  /** Entries that changed under the pass (a concurrent `set()` or `delete()`): the newer write was kept. */
  superseded: number;
  /** Entries that could not be opened (corrupt, or sealed with a key no longer in the keyring); left as they were. */
  failed: { tenant: string; provider: string; reason: string }[];
}

const format = 'pb2';
/** The first format, whose authenticated data joined tenant and provider with a NUL (ambiguous); read only. */
const legacyFormat = 'pb1';
const ivLength = 12;
const tagLength = 16;
const keyLength = 32;
const keyIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
const maxReplaceAttempts = 3;

function invalidKeyring(message: string, field: string): PatchbayError {
  return new PatchbayError({ code: 'invalid_request', message, details: { field } });
}

function checkKeyId(id: string, field: string): void {
  if (!keyIdPattern.test(id)) {
    throw invalidKeyring(`Encryption key id "${id.slice(0, 64)}" must be 1–64 characters of A-Z a-z 0-9 _ -`, field);
  }
}

const keyAdvice =
  'it must be 32 random bytes (a Uint8Array, or standard base64 of 44 characters). ' +
  'Generate one with crypto.randomBytes(32); to derive one from a passphrase use scrypt or HKDF (see the README)';

function distinctCount(values: ArrayLike<number>): number {
  return new Set(Array.from(values)).size;
}

/** Decodes a key and refuses anything that is not plausibly 32 random bytes. */
function keyBytes(id: string, key: Uint8Array | string | Secret): Buffer {
  const field = `keys.${id}`;
  let bytes: Buffer;
  if (key instanceof Uint8Array) bytes = Buffer.from(key);
  else if (typeof key === 'string' || Secret.isInstance(key)) {
    const text = Secret.isInstance(key) ? key.reveal() : key;
    bytes = Buffer.from(text, 'base64');
    // Node decodes base64 leniently; only the canonical encoding of 32 bytes counts as a key, so a
    // 43- or 44-character passphrase is not silently taken for one.
    if (text.length !== 44 || bytes.length !== keyLength || bytes.toString('base64') !== text) {
      throw invalidKeyring(`Encryption key "${id}" is not base64 of 32 bytes: ${keyAdvice}`, field);
    }
    const letters = text.slice(0, 43);
    if (
      !/[A-Z]/.test(letters) ||
      !/[a-z]/.test(letters) ||
      distinctCount(letters.split('').map((c) => c.charCodeAt(0))) < 16
    ) {
      throw invalidKeyring(`Encryption key "${id}" looks like text, not random bytes: ${keyAdvice}`, field);
    }
  } else {
    throw invalidKeyring(`Encryption key "${id}" must be a Uint8Array or a base64 string: ${keyAdvice}`, field);
  }
  if (bytes.length !== keyLength) {
    throw invalidKeyring(`Encryption key "${id}" must be 32 bytes, not ${bytes.length}: ${keyAdvice}`, field);
  }
  // 32 random bytes have ~25–32 distinct values and are almost never all printable ASCII
  // (probability ~1e-14): anything else is an all-zero or patterned key, or a passphrase's bytes.
  const printable = bytes.every((byte) => byte >= 0x20 && byte <= 0x7e);
  if (distinctCount(bytes) < 16 || printable) {
    throw invalidKeyring(`Encryption key "${id}" is weak (repeated bytes or text): ${keyAdvice}`, field);
  }
  return bytes;
}

function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * The authenticated data of an entry: format, tenant, provider and key id,
 * each length-prefixed so that no two (tenant, provider) pairs encode alike.
 */
function associatedData(tenant: string, provider: string, keyId: string): Buffer {
  return Buffer.concat([
    Buffer.from(`patchbay-credentials/${format}`),
    lengthPrefixed(tenant),
    lengthPrefixed(provider),
    lengthPrefixed(keyId),
  ]);
}

function decode(text: string, expectedLength: number | undefined): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return expectedLength === undefined || bytes.length === expectedLength ? bytes : undefined;
}

/**
 * A CredentialStore that keeps values encrypted at rest with AES-256-GCM
 * (96-bit random IV, 128-bit tag, checked on open). Each entry records its key
 * id, so keys rotate without downtime: add the new key, make it primary (new
 * writes use it, old entries still open), call `reencrypt()`, then drop the old
 * key. The tenant, provider and key id are bound into each entry as
 * length-prefixed authenticated data: an entry copied to another tenant's or
 * provider's row fails to open instead of leaking across tenants.
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

  /** Replaces the keyring (rotation steps 1 and 3). Validates every key before anything changes. */
  setKeyring(keyring: EncryptionKeyring): void {
    checkKeyId(String(keyring.primary), 'primary');
    const keys = new Map<string, Buffer>();
    for (const [id, key] of Object.entries(keyring.keys)) {
      checkKeyId(id, `keys.${id}`);
      keys.set(id, keyBytes(id, key));
    }
    if (!keys.has(keyring.primary)) {
      throw invalidKeyring(`Primary key "${keyring.primary}" is not in the keyring`, 'primary');
    }
    this.#keys = keys;
    this.#primary = keyring.primary;
  }

  async get(tenant: string, provider: string): Promise<CredentialValues | undefined> {
    const entry = await this.#storage.read(tenant, provider);
    return entry === undefined ? undefined : this.#open(entry.sealed, tenant, provider);
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

  /**
   * Rewrites every entry not sealed with the primary key. Each rewrite is a
   * compare-and-set on the row's version: a `set()` or `delete()` that lands
   * meanwhile wins, and the entry is re-read. An entry that cannot be opened is
   * left untouched and reported; the pass goes on. Safe to run again.
   */
  async reencrypt(): Promise<ReencryptionReport> {
    if (!this.#storage.entries) {
      throw new PatchbayError({
        code: 'invalid_request',
        message: 'This storage cannot list its entries, so it cannot be re-encrypted',
      });
    }
    const report: ReencryptionReport = { rewritten: 0, current: 0, superseded: 0, failed: [] };
    for await (const row of this.#storage.entries()) {
      await this.#reencryptOne(row, report);
    }
    return report;
  }

  async #reencryptOne(row: SealedRow, report: ReencryptionReport): Promise<void> {
    let entry: SealedEntry | undefined = row;
    for (let attempt = 0; attempt < maxReplaceAttempts; attempt++) {
      if (entry === undefined) {
        report.superseded++;
        return;
      }
      if (this.#isCurrent(entry.sealed)) {
        if (attempt === 0) report.current++;
        else report.superseded++;
        return;
      }
      let values: CredentialValues;
      try {
        values = this.#open(entry.sealed, row.tenant, row.provider);
      } catch (error) {
        report.failed.push({
          tenant: row.tenant,
          provider: row.provider,
          reason: PatchbayError.isInstance(error) ? error.message : 'cannot be opened',
        });
        return;
      }
      const sealed = this.#seal(values, row.tenant, row.provider);
      if (await this.#storage.replace(row.tenant, row.provider, sealed, entry.version)) {
        report.rewritten++;
        return;
      }
      entry = await this.#storage.read(row.tenant, row.provider);
    }
    report.failed.push({
      tenant: row.tenant,
      provider: row.provider,
      reason: 'the entry kept changing during the pass',
    });
  }

  #isCurrent(sealed: string): boolean {
    const [version, keyId] = sealed.split('.', 2);
    return version === format && keyId === this.#primary;
  }

  #seal(values: CredentialValues, tenant: string, provider: string): string {
    const plain: Record<string, string> = {};
    for (const [field, value] of Object.entries(values))
      plain[field] = Secret.isInstance(value) ? value.reveal() : value;
    const iv = randomBytes(ivLength);
    const cipher = createCipheriv('aes-256-gcm', this.#keys.get(this.#primary) as Buffer, iv, {
      authTagLength: tagLength,
    });
    cipher.setAAD(associatedData(tenant, provider, this.#primary));
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
    const fail = (why: string) =>
      new PatchbayError({
        code: 'not_configured',
        provider,
        message: `Stored credentials for provider "${provider}" cannot be opened: ${why}`,
      });
    const parts = typeof sealed === 'string' ? sealed.split('.') : [];
    const [version, keyId, ivText, tagText, bodyText] = parts;
    if (parts.length !== 5 || (version !== format && version !== legacyFormat)) throw fail('unrecognised format');
    const key = this.#keys.get(keyId as string);
    if (!key) throw fail(`key "${String(keyId).slice(0, 64)}" is not in the keyring`);
    const iv = decode(ivText as string, ivLength);
    // GCM accepts tags as short as 4 bytes unless told otherwise; a short tag is forgeable.
    const tag = decode(tagText as string, tagLength);
    const body = decode(bodyText as string, undefined);
    if (!iv || !tag || !body) throw fail('malformed entry');
    let aad: Buffer;
    if (version === format) aad = associatedData(tenant, provider, keyId as string);
    else if (tenant.includes('\u0000') || provider.includes('\u0000')) throw fail('legacy entry with an ambiguous id');
    else aad = Buffer.from(`${tenant}\u0000${provider}`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: tagLength });
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      const text = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
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

/** The row key of a (tenant, provider) pair: length-prefixed, so `a\0b`/`c` and `a`/`b\0c` differ. */
export function sealedRowKey(tenant: string, provider: string): string {
  return `${tenant.length}:${tenant}${provider.length}:${provider}`;
}

/** Sealed storage in memory, for tests and single-process services. */
export class InMemorySealedStorage implements SealedCredentialStorage {
  readonly rows = new Map<string, SealedRow>();

  read(tenant: string, provider: string): SealedEntry | undefined {
    const row = this.rows.get(sealedRowKey(tenant, provider));
    return row && { sealed: row.sealed, version: row.version };
  }

  write(tenant: string, provider: string, sealed: string): void {
    const key = sealedRowKey(tenant, provider);
    const version = (this.rows.get(key)?.version ?? 0) + 1;
    this.rows.set(key, { tenant, provider, sealed, version });
  }

  replace(tenant: string, provider: string, sealed: string, version: number): boolean {
    const key = sealedRowKey(tenant, provider);
    const row = this.rows.get(key);
    if (!row || row.version !== version) return false;
    this.rows.set(key, { tenant, provider, sealed, version: version + 1 });
    return true;
  }

  remove(tenant: string, provider: string): void {
    this.rows.delete(sealedRowKey(tenant, provider));
  }

  entries(): Iterable<SealedRow> {
    return [...this.rows.values()];
  }
}
