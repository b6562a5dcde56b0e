import { countOption, durationOption, invalidOption } from '../config/option-checks.js';
import type { FieldIssue } from '../config/zod-issues.js';
import { InMemoryLimitStore } from '../limits/in-memory-limit-store.js';
import type { Patchbay } from '../patchbay.js';
import type { LimitStore } from '../spec/state.js';
import {
  type AuthorizeRequest,
  authorizeRequest,
  credentialValues,
  defaultMaxBodyBytes,
  errorAnswer,
  type HandlerAuthorization,
  hookAnswer,
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

export interface ValidateCredentialsHandlerOptions {
  /** Who may validate (and save). Required: a credential endpoint is never open by accident. */
  authorize: AuthorizeRequest;
  /**
   * Largest body read (default 16 KiB); the rest of a larger one is never read. A whole number of bytes from 1 to
   * 64 MiB, else `invalid_request` naming `maxBodyBytes` at construction.
   */
  maxBodyBytes?: number | undefined;
  /**
   * Validations per window per caller (each one reaches a vendor). Default 10 per minute, keyed by the
   * authorised actor, else tenant, else one shared counter; `false` turns it off. Checked at construction:
   * `max` a whole number ≥ 1, `windowMs` a duration above 0 up to 2,147,483,647 ms, `store` a `LimitStore`
   * (default an in-memory one of 10,000 counters), `key` a function — else `invalid_request` naming
   * `rateLimit.<option>` (a NaN `max` would otherwise grant every validation).
   */
  rateLimit?:
    | {
        max: number;
        windowMs: number;
        store?: LimitStore | undefined;
        key?: ((request: Request, authorization: HandlerAuthorization) => string) | undefined;
      }
    | false
    | undefined;
  /** Whether `save: true` may store valid credentials for the tenant (default true). */
  allowSave?: boolean | undefined;
  /**
   * How long the handler waits for your code — `authorize`, and a rate-limit `store` — before answering 503
   * `timeout` (default 5,000 ms; a duration above 0 up to 2,147,483,647 ms, else `invalid_request` naming
   * `hookTimeoutMs`). One that throws answers 500.
   */
  hookTimeoutMs?: number | undefined;
}

/** What the handler answers for a well-formed request. */
export interface ValidateCredentialsAnswer {
  valid: boolean;
  issues: FieldIssue[];
  /** The live test's status (`connected`, `not_configured`, `error`); null when the schema check failed. */
  status: string | null;
  /** The live test's message (scrubbed of secrets). */
  message: string | null;
  /** True when the credentials were stored for the tenant. */
  saved: boolean;
}

const bodyFields = ['provider', 'tenant', 'credentials', 'save'];

interface RateLimit {
  max: number;
  windowMs: number;
  store: LimitStore;
  key: ((request: Request, authorization: HandlerAuthorization) => string) | undefined;
}

/**
 * `rateLimit`, checked whole at construction: a NaN `max` would grant every validation (`used + 1 > NaN` is
 * never true) and a bad `windowMs` would make every counter's window NaN.
 */
function rateLimitOption(value: ValidateCredentialsHandlerOptions['rateLimit']): RateLimit | undefined {
  if (value === false) return undefined;
  if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value)))
    throw invalidOption('rateLimit', 'must be an object ({ max, windowMs, store?, key? }) or false');
  const given: Partial<Exclude<typeof value, false | undefined>> = value ?? {};
  const store = given.store;
  if (
    store !== undefined &&
    (store === null || typeof store !== 'object' || typeof (store as Partial<LimitStore>).reserve !== 'function')
  )
    throw invalidOption('rateLimit.store', 'must be a LimitStore (an object with a reserve method)');
  if (given.key !== undefined && typeof given.key !== 'function')
    throw invalidOption('rateLimit.key', 'must be a function');
  return {
    max: countOption(given.max, 10, 'rateLimit.max'),
    windowMs: durationOption(given.windowMs, 60_000, 'rateLimit.windowMs', true),
    store: store ?? new InMemoryLimitStore({ maxKeys: 10_000 }),
    key: given.key,
  };
}

/**
 * "Test connection" before saving, as a Fetch handler: `POST` `{ provider, credentials, tenant?, save? }`.
 * The candidate is checked against the adapter's schema — credential fields only, so a `baseURL` is
 * refused by name and a key is never sent to a host the caller chose — then live with `test()` using the
 * candidate alone. Answers `{ valid, issues, status, message, saved }`; with `save: true` and a tenant,
 * valid credentials are stored (audited as the authorised actor). Bad input is a typed 4xx.
 */
export function createValidateCredentialsHandler(
  patchbay: Pick<Patchbay, 'validateCredentials' | 'credentials'>,
  options: ValidateCredentialsHandlerOptions,
): (request: Request) => Promise<Response> {
  const authorize = hookOption(options?.authorize, 'authorize');
  const maxBodyBytes = maxBodyBytesOption(options.maxBodyBytes, defaultMaxBodyBytes);
  const rate = rateLimitOption(options.rateLimit);
  const hookTimeoutMs = hookTimeoutOption(options.hookTimeoutMs);

  return async (request) => {
    try {
      if (request.method !== 'POST')
        return problem(405, 'method_not_allowed', 'Use POST', undefined, { allow: 'POST' });
      const authorization = await authorizeRequest(authorize, request, hookTimeoutMs);
      if (authorization instanceof Response) return authorization;
      const body = await readJsonObject(request, maxBodyBytes);
      if (!body.ok) return body.response;
      const input = body.value;
      const issues: FieldIssue[] = unknownKeys(input, bodyFields);
      const provider = member(input, 'provider');
      const tenant = member(input, 'tenant') ?? authorization.tenant;
      const save = member(input, 'save') ?? false;
      const providerIssue = identifierIssue(provider, 'provider', true);
      const tenantIssue = identifierIssue(tenant, 'tenant', false);
      if (providerIssue) issues.push(providerIssue);
      if (tenantIssue) issues.push(tenantIssue);
      if (typeof save !== 'boolean') issues.push({ path: 'save', message: 'must be a boolean' });
      else if (save && tenant === undefined) issues.push({ path: 'tenant', message: 'required to save' });
      else if (save && options.allowSave === false) issues.push({ path: 'save', message: 'saving is not enabled' });
      const candidate = credentialValues(member(input, 'credentials'), 'credentials');
      issues.push(...candidate.issues);
      if (issues.length) return problem(400, 'invalid_request', 'Invalid validation request', issues);
      if (authorization.tenant !== undefined && tenant !== authorization.tenant)
        return problem(403, 'forbidden', 'Not allowed for this tenant');

      if (rate) {
        const key =
          rate.key?.(request, authorization) ??
          (authorization.actor ? `actor:${authorization.actor}` : tenant ? `tenant:${tenant}` : 'all');
        const reserved = await hookAnswer(
          () => rate.store.reserve(`http:validate:${key}`, 1, rate.max, rate.windowMs, Date.now()),
          hookTimeoutMs,
          'The rate limit could not be checked',
        );
        if (!reserved.ok) return reserved.response;
        const reservation = reserved.value;
        if (!reservation.granted) {
          const seconds = Math.max(1, Math.ceil((reservation.resetAt - Date.now()) / 1_000));
          return problem(429, 'rate_limited', 'Too many validations; try again later', undefined, {
            'retry-after': String(seconds),
          });
        }
      }

      const result = await patchbay.validateCredentials(provider as string, candidate.values, {
        ...(tenant === undefined ? {} : { tenant: tenant as string }),
        actor: authorization.actor ?? null,
        signal: request.signal,
      });
      const answer: ValidateCredentialsAnswer = {
        valid: result.valid,
        issues: result.issues.map((issue) => ({ ...issue, path: `credentials.${issue.path}` })),
        status: result.health?.status ?? null,
        message: result.health?.message ?? null,
        saved: false,
      };
      if (result.valid && save === true) {
        try {
          await patchbay.credentials.set(tenant as string, provider as string, candidate.values, {
            actor: authorization.actor ?? null,
          });
        } catch (error) {
          return errorAnswer(withRequestPaths(error));
        }
        answer.saved = true;
      }
      return jsonAnswer(200, answer);
    } catch (error) {
      return errorAnswer(error);
    }
  };
}
