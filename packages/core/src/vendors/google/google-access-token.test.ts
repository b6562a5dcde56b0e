import { createVerify, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GoogleAccessTokens, googleServiceAccountAssertion, loadGoogleServiceAccount } from './google-access-token.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const account = {
  clientEmail: 'a@p.iam.gserviceaccount.com',
  privateKey,
  tokenUri: 'https://oauth2.googleapis.com/token',
};

function tokenEndpoint(calls: string[], lifetime = 3600): typeof globalThis.fetch {
  return (async (url: string | URL | Request) => {
    calls.push(String(url));
    return Response.json({ access_token: `token-${calls.length}`, expires_in: lifetime, token_type: 'Bearer' });
  }) as typeof globalThis.fetch;
}

describe('Google service account tokens', () => {
  it('signs an RS256 JWT over the claims Google expects', () => {
    const jwt = googleServiceAccountAssertion(account, { audience: account.tokenUri, scope: 's', nowSeconds: 1000 });
    const [header, claims, signature] = jwt.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(claims, 'base64url').toString())).toEqual({
      iss: account.clientEmail,
      scope: 's',
      aud: account.tokenUri,
      iat: 1000,
      exp: 4600,
    });
    const valid = createVerify('RSA-SHA256')
      .update(`${header}.${claims}`)
      .verify(publicKey, Buffer.from(signature, 'base64url'));
    expect(valid).toBe(true);
  });

  it('shares one exchange between concurrent callers and caches the token per account', async () => {
    const calls: string[] = [];
    const tokens = new GoogleAccessTokens();
    const fetch = tokenEndpoint(calls);
    const results = await Promise.all([1, 2, 3].map(() => tokens.accessToken(account, { fetch })));
    expect(results).toEqual(['token-1', 'token-1', 'token-1']);
    expect(await tokens.accessToken(account, { fetch })).toBe('token-1');
    expect(await tokens.accessToken(account, { fetch, tokenURL: 'http://127.0.0.1:1/token' })).toBe('token-2');
    expect(calls).toEqual([account.tokenUri, 'http://127.0.0.1:1/token']);
  });

  it('does not cache a failed exchange', async () => {
    let fail = true;
    const fetch = (async () =>
      fail
        ? Response.json({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }, { status: 400 })
        : Response.json({ access_token: 'ok', expires_in: 3600 })) as typeof globalThis.fetch;
    const tokens = new GoogleAccessTokens();
    await expect(tokens.accessToken(account, { fetch })).rejects.toMatchObject({
      code: 'auth',
      vendorCode: 'invalid_grant',
    });
    fail = false;
    expect(await tokens.accessToken(account, { fetch })).toBe('ok');
  });

  it('stays bounded across many accounts (least recently used dropped first)', async () => {
    const tokens = new GoogleAccessTokens({ maxEntries: 100 });
    const calls: string[] = [];
    const fetch = tokenEndpoint(calls);
    for (let index = 0; index < 2_000; index++) {
      await tokens.accessToken({ ...account, clientEmail: `a${index}@p` }, { fetch });
    }
    expect(tokens.size).toBe(100);
  });

  it('reads key JSON, refuses a path that did not come from the environment, never echoes the key', async () => {
    const json = JSON.stringify({ client_email: account.clientEmail, private_key: privateKey });
    expect(await loadGoogleServiceAccount(json, false)).toMatchObject({ clientEmail: account.clientEmail });
    await expect(loadGoogleServiceAccount('/etc/passwd', false)).rejects.toMatchObject({ code: 'not_configured' });
    const broken = await loadGoogleServiceAccount(`{"private_key": "${privateKey.slice(0, 80)}`, false).catch(
      (error) => error,
    );
    expect(broken.code).toBe('not_configured');
    expect(JSON.stringify(broken)).not.toContain(privateKey.slice(30, 60));
  });
});
