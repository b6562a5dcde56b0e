import type { FieldIssue } from '../config/zod-issues.js';
import type { Patchbay } from '../patchbay.js';
import {
  type AuthorizeRequest,
  authorizeRequest,
  credentialValues,
  defaultMaxBodyBytes,
  errorAnswer,
  hookOption,
  hookTimeoutOption,
  identifierIssue,
  jsonAnswer,
  maxBodyBytesOption,
  member,
  problem,
  readJsonObject,
  unknownKeys,
  withRequestPaths,
} from './http-answers.js';

export interface CredentialAdminHandlerOptions {
  /** Who may administer credentials. Required. An answer naming a tenant limits the caller to it. */
  authorize: AuthorizeRequest;
  /**
   * Largest body read (default 16 KiB). A whole number of bytes from 1 to 64 MiB, else `invalid_request` naming
   * `maxBodyBytes` at construction.
   */
  maxBodyBytes?: number | undefined;
  /**
   * How long the handler waits for your code — `authorize` — before answering 503
   * `timeout` (default 5,000 ms; a duration above 0 up to 2,147,483,647 ms, else `invalid_request` naming
   * `hookTimeoutMs`). One that throws answers 500.
   */
  hookTimeoutMs?: number | undefined;
}

const writeFields = ['tenant', 'provider', 'credentials'];

/**
 * A tenant's credentials for one provider, as a Fetch handler. `GET ?tenant=&provider=` describes them,
 * `PUT { tenant, provider, credentials }` sets them, `PATCH` (same body) rotates some fields, `DELETE
 * ?tenant=&provider=` removes them. Every answer is the field names, policies and sources — never a
 * value; every change is audited as the authorised actor. Bad input is a typed 4xx naming the field.
 */
export function createCredentialAdminHandler(
  patchbay: Pick<Patchbay, 'credentials'>,
  options: CredentialAdminHandlerOptions,
): (request: Request) => Promise<Response> {
  const authorize = hookOption(options?.authorize, 'authorize');
  const maxBodyBytes = maxBodyBytesOption(options.maxBodyBytes, defaultMaxBodyBytes);
  const hookTimeoutMs = hookTimeoutOption(options.hookTimeoutMs);
  return async (request) => {
    try {
      const method = request.method;
      if (!['GET', 'PUT', 'PATCH', 'DELETE'].includes(method))
        return problem(405, 'method_not_allowed', 'Use GET, PUT, PATCH or DELETE', undefined, {
          allow: 'GET, PUT, PATCH, DELETE',
        });
      const authorization = await authorizeRequest(authorize, request, hookTimeoutMs);
      if (authorization instanceof Response) return authorization;
      const actor = { actor: authorization.actor ?? null };

      let tenant: unknown;
      let provider: unknown;
      let values: Record<string, string> | undefined;
      const issues: FieldIssue[] = [];
      if (method === 'GET' || method === 'DELETE') {
        const query = new URL(request.url).searchParams;
        tenant = query.get('tenant') ?? authorization.tenant;
        provider = query.get('provider') ?? undefined;
      } else {
        const body = await readJsonObject(request, maxBodyBytes);
        if (!body.ok) return body.response;
        issues.push(...unknownKeys(body.value, writeFields));
        tenant = member(body.value, 'tenant') ?? authorization.tenant;
        provider = member(body.value, 'provider');
        const candidate = credentialValues(member(body.value, 'credentials'), 'credentials');
        issues.push(...candidate.issues);
        values = candidate.values;
      }
      for (const issue of [identifierIssue(tenant, 'tenant', true), identifierIssue(provider, 'provider', true)])
        if (issue) issues.push(issue);
      if (issues.length) return problem(400, 'invalid_request', 'Invalid credentials request', issues);
      if (authorization.tenant !== undefined && tenant !== authorization.tenant)
        return problem(403, 'forbidden', 'Not allowed for this tenant');

      const admin = patchbay.credentials;
      const t = tenant as string;
      const p = provider as string;
      try {
        if (method === 'GET') return jsonAnswer(200, await admin.describe(t, p));
        if (method === 'DELETE') return jsonAnswer(200, await admin.delete(t, p, actor));
        const written = values as Record<string, string>;
        return jsonAnswer(
          200,
          method === 'PUT' ? await admin.set(t, p, written, actor) : await admin.rotate(t, p, written, actor),
        );
      } catch (error) {
        return errorAnswer(withRequestPaths(error));
      }
    } catch (error) {
      return errorAnswer(error);
    }
  };
}
