import { createHash, createSign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { httpError } from '../../errors/http-errors.js';
import { PatchbayError } from '../../errors/patchbay-error.js';
import { googleCloudErrorCode, googleCloudErrorDetail } from './google-cloud-error-code.js';

/** The parts of a service account key file Patchbay uses. */
export interface GoogleServiceAccount {
  clientEmail: string;
  privateKey: string;
  tokenUri: string;
}

export const googleDefaultTokenURL = 'https://oauth2.googleapis.com/token';
export const googleCloudPlatformScope = 'https://www.googleapis.com/auth/cloud-platform';

function invalidAccount(reason: string): PatchbayError {
  // Never the content: it holds the private key.
  return new PatchbayError({
    code: 'not_configured',
    vendor: 'google',
    message: `Google service account credentials are invalid: ${reason}`,
    details: { missing: [], invalid: ['serviceAccount'] },
  });
}

/**
 * Reads a service account key: the JSON itself, or — only when it came from
 * the environment (GOOGLE_APPLICATION_CREDENTIALS) — the path of the file that
 * holds it. A path from settings or a tenant store is refused: a tenant must
 * not make the server read its files.
 */
export async function loadGoogleServiceAccount(value: string, fromEnvironment: boolean): Promise<GoogleServiceAccount> {
  let text = value.trim();
  if (!text.startsWith('{')) {
    if (!fromEnvironment) throw invalidAccount('expected the JSON key (a file path is read only from the environment)');
    try {
      text = await readFile(text, 'utf8');
    } catch {
      throw invalidAccount('the key file named by the environment cannot be read');
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidAccount('not valid JSON');
  }
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const clientEmail = record.client_email;
  const privateKey = record.private_key;
  if (typeof clientEmail !== 'string' || clientEmail === '') throw invalidAccount('client_email is missing');
  if (typeof privateKey !== 'string' || !privateKey.includes('PRIVATE KEY')) {
    throw invalidAccount('private_key is missing or not a PEM key');
  }
  const tokenUri = typeof record.token_uri === 'string' ? record.token_uri : googleDefaultTokenURL;
  return { clientEmail, privateKey, tokenUri };
}

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/** A signed RS256 JWT asking for an access token (Google's two-legged OAuth for service accounts). */
export function googleServiceAccountAssertion(
  account: GoogleServiceAccount,
  options: { audience: string; scope: string; nowSeconds: number },
): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const claims = base64url(
    JSON.stringify({
      iss: account.clientEmail,
      scope: options.scope,
      aud: options.audience,
      iat: options.nowSeconds,
      exp: options.nowSeconds + 3600,
    }),
  );
  let signature: Buffer;
  try {
    signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(account.privateKey);
  } catch {
    throw invalidAccount('private_key cannot sign (not an RSA private key)');
  }
  return `${header}.${claims}.${base64url(signature)}`;
}

interface CachedToken {
  token: Promise<{ accessToken: string; expiresAt: number }>;
}

export interface GoogleAccessTokenOptions {
  fetch: typeof globalThis.fetch;
  /** Overrides the key's `token_uri` (a proxy, the simulator). */
  tokenURL?: string | undefined;
  scope?: string | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Access tokens for service accounts, cached per (account, key, token URL)
 * until a minute before they expire; concurrent first calls share one exchange.
 * Bounded: at most `maxEntries` accounts (least recently used dropped first).
 */
export class GoogleAccessTokens {
  readonly #entries = new Map<string, CachedToken>();
  readonly #maxEntries: number;
  readonly #refreshMarginMs: number;

  constructor(options: { maxEntries?: number; refreshMarginMs?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? 1000;
    this.#refreshMarginMs = options.refreshMarginMs ?? 60_000;
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }

  async accessToken(account: GoogleServiceAccount, options: GoogleAccessTokenOptions): Promise<string> {
    const tokenURL = options.tokenURL ?? account.tokenUri;
    // Keyed by a digest, so the cache holds no key material in its keys.
    const key = createHash('sha256').update(`${account.clientEmail}\n${account.privateKey}\n${tokenURL}`).digest('hex');
    const cached = this.#entries.get(key);
    if (cached) {
      this.#entries.delete(key);
      this.#entries.set(key, cached);
      const token = await cached.token.catch(() => undefined);
      if (token && token.expiresAt - this.#refreshMarginMs > Date.now()) return token.accessToken;
      if (this.#entries.get(key) === cached) this.#entries.delete(key);
    }
    const entry: CachedToken = { token: this.#exchange(account, tokenURL, options) };
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    try {
      return (await entry.token).accessToken;
    } catch (error) {
      // A failed exchange is not cached: the next call tries again.
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
      throw error;
    }
  }

  async #exchange(
    account: GoogleServiceAccount,
    tokenURL: string,
    options: GoogleAccessTokenOptions,
  ): Promise<{ accessToken: string; expiresAt: number }> {
    const assertion = googleServiceAccountAssertion(account, {
      audience: account.tokenUri,
      scope: options.scope ?? googleCloudPlatformScope,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    const response = await options.fetch(tokenURL, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
      signal: options.signal,
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const detail = googleCloudErrorDetail(body);
      throw httpError({
        status: response.status,
        headers: response.headers,
        vendor: 'google',
        code: googleCloudErrorCode({ status: response.status, body }),
        vendorCode: detail.vendorCode,
        message: `Google token endpoint responded with HTTP ${response.status}${detail.vendorCode ? ` (${detail.vendorCode})` : ''}`,
      });
    }
    const accessToken = (body as { access_token?: unknown } | undefined)?.access_token;
    const expiresIn = (body as { expires_in?: unknown } | undefined)?.expires_in;
    if (typeof accessToken !== 'string' || accessToken === '') {
      throw new PatchbayError({
        code: 'unavailable',
        vendor: 'google',
        vendorCode: 'malformed_response',
        message: 'Google token endpoint answered without an access token',
      });
    }
    return { accessToken, expiresAt: Date.now() + (typeof expiresIn === 'number' ? expiresIn : 3600) * 1000 };
  }
}
