import { createSign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServiceAccount } from './google-cloud-auth.js';
import { createGoogleCloudSimulator } from './index.js';

const account = createTestServiceAccount();
const other = createTestServiceAccount(account.clientEmail);
const simulator = createGoogleCloudSimulator({ serviceAccounts: [account] });
beforeAll(() => simulator.start());
afterAll(() => simulator.close());

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function assertion(claims: Record<string, unknown>, options: { alg?: string; privateKey?: string } = {}): string {
  const unsigned = `${encode({ alg: options.alg ?? 'RS256', typ: 'JWT' })}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256')
    .update(unsigned)
    .sign(options.privateKey ?? account.privateKey, 'base64url');
  return `${unsigned}.${signature}`;
}

async function grant(jwt: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(simulator.tokenURL, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const now = () => Math.floor(Date.now() / 1000);
const good = () => ({
  iss: account.clientEmail,
  aud: simulator.tokenURL,
  scope: 'https://www.googleapis.com/auth/cloud-platform',
  iat: now(),
  exp: now() + 3600,
});

describe('Google Cloud simulator token endpoint', () => {
  it('reads the header and the issuer first (to pick the key), then checks the signature before exp and scope', async () => {
    expect((await grant(assertion(good(), { alg: 'HS256' }))).body.error_description).toMatch(/alg must be RS256/);
    expect((await grant(assertion({ ...good(), iss: 'nobody@example.com' }))).body.error_description).toMatch(
      /account not found/,
    );
    // Signed by another key, expired and without the scope: the signature is what it refuses.
    const forged = assertion({ ...good(), exp: now() - 60, scope: 'none' }, { privateKey: other.privateKey });
    expect(await grant(forged)).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' },
    });
    expect((await grant(assertion({ ...good(), exp: now() - 60, scope: 'none' }))).body.error_description).toMatch(
      /short-lived/,
    );
    expect((await grant(assertion({ ...good(), scope: 'none' }))).body.error).toBe('invalid_scope');
    const issued = simulator.auth.issued;
    const ok = await grant(assertion(good()));
    expect(ok.status).toBe(200);
    expect(ok.body.access_token).toMatch(/^ya29\./);
    expect(simulator.auth.issued).toBe(issued + 1);
  });
});
