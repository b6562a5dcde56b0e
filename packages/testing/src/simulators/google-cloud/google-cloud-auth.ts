import { createVerify, generateKeyPairSync, randomUUID } from 'node:crypto';
import type { RecordedRequest, SimulatorExchange, SimulatorRoute } from '../framework/index.js';
import { sendJson } from '../framework/index.js';

export interface GoogleCloudSimulatorOptions {
  /** API keys accepted (`X-Goog-Api-Key` or `?key=`); default `['test-key']`. */
  apiKeys?: readonly string[] | undefined;
  /** Service accounts whose JWTs the token endpoint accepts, verified with their public key. */
  serviceAccounts?: readonly { clientEmail: string; publicKey: string }[] | undefined;
  /** Lifetime of issued access tokens in seconds (default 3599). */
  tokenLifetimeSeconds?: number | undefined;
  /** Seconds of audio per character of synthesized text (default 0.06). */
  secondsPerCharacter?: number | undefined;
  /** The transcript recognition answers with. */
  transcript?: string | undefined;
}

/** A freshly generated service account key (JSON as Google issues it) and its public key, for tests. */
export function createTestServiceAccount(clientEmail = 'patchbay-test@simulated-project.iam.gserviceaccount.com'): {
  json: string;
  clientEmail: string;
  publicKey: string;
  privateKey: string;
} {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const json = JSON.stringify({
    type: 'service_account',
    project_id: 'simulated-project',
    private_key_id: randomUUID(),
    private_key: privateKey,
    client_email: clientEmail,
    client_id: '100000000000000000000',
    token_uri: 'https://oauth2.googleapis.com/token',
  });
  return { json, clientEmail, publicKey, privateKey };
}

const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** Google's API error body: `{ error: { code, message, status, details? } }`. */
export function googleCloudErrorBody(status: number, message: string, reason?: string): unknown {
  return {
    error: {
      code: status,
      message,
      status: statusNames[status] ?? (status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT'),
      ...(reason
        ? { details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com' }] }
        : {}),
    },
  };
}

/** Issued access tokens and the API-key/Bearer check every API route runs. */
export class GoogleCloudAuth {
  readonly #options: GoogleCloudSimulatorOptions;
  readonly #tokens = new Map<string, number>();
  /** How many tokens the endpoint has issued (cache tests count them). */
  issued = 0;

  constructor(options: GoogleCloudSimulatorOptions) {
    this.#options = options;
  }

  reset(): void {
    this.#tokens.clear();
    this.issued = 0;
  }

  /** Answers the request with Google's error and returns false when it carries no valid key or token. */
  authorize(exchange: SimulatorExchange): boolean {
    const { request, response } = exchange;
    const key = request.headers['x-goog-api-key'] ?? request.query.get('key') ?? undefined;
    if (typeof key === 'string') {
      if ((this.#options.apiKeys ?? ['test-key']).includes(key)) return true;
      sendJson(
        response,
        400,
        googleCloudErrorBody(400, 'API key not valid. Please pass a valid API key.', 'API_KEY_INVALID'),
      );
      return false;
    }
    const authorization = request.headers.authorization;
    const token =
      typeof authorization === 'string' && authorization.startsWith('Bearer ') ? authorization.slice(7) : '';
    const expires = this.#tokens.get(token);
    if (expires !== undefined && expires > Date.now()) return true;
    sendJson(
      response,
      401,
      googleCloudErrorBody(
        401,
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        token ? 'ACCESS_TOKEN_EXPIRED' : 'CREDENTIALS_MISSING',
      ),
    );
    return false;
  }

  #grant(request: RecordedRequest): { error: string; description: string } | { token: string; lifetime: number } {
    const form = request.form;
    if (form?.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      return { error: 'unsupported_grant_type', description: 'Invalid grant_type.' };
    }
    const parts = (form.get('assertion') ?? '').split('.');
    if (parts.length !== 3) return { error: 'invalid_grant', description: 'Invalid JWT.' };
    const [header, claims, signature] = parts as [string, string, string];
    let parsedHeader: { alg?: unknown };
    let parsedClaims: { iss?: unknown; aud?: unknown; exp?: unknown; iat?: unknown; scope?: unknown };
    try {
      parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
      parsedClaims = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8'));
    } catch {
      return { error: 'invalid_grant', description: 'Invalid JWT.' };
    }
    if (parsedHeader.alg !== 'RS256') return { error: 'invalid_grant', description: 'Invalid JWT: alg must be RS256.' };
    const account = this.#options.serviceAccounts?.find((entry) => entry.clientEmail === parsedClaims.iss);
    if (!account) return { error: 'invalid_grant', description: 'Invalid grant: account not found' };
    // The signature first: nothing else in an unsigned assertion is worth reading.
    const valid = createVerify('RSA-SHA256')
      .update(`${header}.${claims}`)
      .verify(account.publicKey, Buffer.from(signature, 'base64url'));
    if (!valid) return { error: 'invalid_grant', description: 'Invalid JWT Signature.' };
    const now = Math.floor(Date.now() / 1000);
    if (typeof parsedClaims.exp !== 'number' || parsedClaims.exp < now) {
      return { error: 'invalid_grant', description: 'Invalid JWT: Token must be a short-lived token.' };
    }
    if (typeof parsedClaims.scope !== 'string' || !parsedClaims.scope.includes('cloud-platform')) {
      return { error: 'invalid_scope', description: 'Invalid OAuth scope.' };
    }
    const token = `ya29.simulated-${randomUUID()}`;
    const lifetime = this.#options.tokenLifetimeSeconds ?? 3599;
    this.#tokens.set(token, Date.now() + lifetime * 1000);
    this.issued++;
    return { token, lifetime };
  }

  /** `POST /token`: Google's OAuth endpoint for service-account JWTs (RS256 signature verified). */
  routes(): SimulatorRoute[] {
    return [
      {
        method: 'POST',
        path: '/token',
        handler: ({ request, response }) => {
          const grant = this.#grant(request);
          if ('error' in grant) {
            sendJson(response, 400, { error: grant.error, error_description: grant.description });
            return;
          }
          sendJson(response, 200, { access_token: grant.token, expires_in: grant.lifetime, token_type: 'Bearer' });
        },
      },
    ];
  }
}
