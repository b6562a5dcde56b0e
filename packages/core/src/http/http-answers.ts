import { countOption, durationOption, invalidOption } from '../config/option-checks.js';
import type { FieldIssue } from '../config/zod-issues.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import { withTimeLimit } from './status-responses.js';

/** Default bound on a request body the credential handlers read. */
export const defaultMaxBodyBytes = 16 * 1024;

/** The largest `maxBodyBytes` any handler or listener accepts (64 MiB): a body is buffered whole. */
export const maxBodyBytesCap = 64 * 1024 * 1024;

/**
 * A `maxBodyBytes` option: a whole number of bytes from 1 to `maxBodyBytesCap`; `undefined` answers `fallback`.
 * NaN, a negative or a fractional cap would let every body through (`size > NaN` is never true): refused.
 */
export function maxBodyBytesOption(value: unknown, fallback: number): number {
  return countOption(value, fallback, 'maxBodyBytes', 1, maxBodyBytesCap);
}

/** A required hook option (`authorize`): a function, else `invalid_request` naming it. */
export function hookOption<T>(value: T, path: string): T {
  if (typeof value !== 'function') throw invalidOption(path, 'must be a function');
  return value;
}

/** What an `authorize` hook answers: `false` refuses (401); an object lets the request through. */
export interface HandlerAuthorization {
  /** Recorded as the audit actor. */
  actor?: string | null | undefined;
  /** When set, the caller may act for this tenant only (another tenant in the request: 403). */
  tenant?: string | undefined;
}

/** Decides who may call a handler; it may read headers (a session cookie, a bearer token). */
export type AuthorizeRequest = (
  request: Request,
) => boolean | HandlerAuthorization | Promise<boolean | HandlerAuthorization>;

const jsonHeaders = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...jsonHeaders, ...headers } });
}

/** A typed 4xx/5xx answer: `{ error: { code, message, issues? } }`. */
export function problem(
  status: number,
  code: string,
  message: string,
  issues?: readonly FieldIssue[] | undefined,
  headers: Record<string, string> = {},
): Response {
  return jsonAnswer(status, { error: { code, message, ...(issues?.length ? { issues } : {}) } }, headers);
}

/** A thrown error as an answer: a caller's mistake is a 4xx naming the field; our own failure a bare 500. */
export function errorAnswer(error: unknown): Response {
  if (PatchbayError.isInstance(error)) {
    const issues = error.details?.issues as FieldIssue[] | undefined;
    if (error.code === 'invalid_request') return problem(400, 'invalid_request', error.message, issues);
    if (error.code === 'limit_exceeded') {
      const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 1_000) / 1_000));
      return problem(429, 'limit_exceeded', error.message, undefined, { 'retry-after': String(seconds) });
    }
    if (error.code === 'not_configured') return problem(503, 'not_configured', error.message);
  }
  return problem(500, 'internal', 'The request could not be handled');
}

/** How long the credential handlers wait for user code (`authorize`, a rate-limit store) before answering 503. */
export function hookTimeoutOption(value: unknown): number {
  return durationOption(value, 5_000, 'hookTimeoutMs', true);
}

/**
 * Runs user code the handler waits on (an auth hook, a rate-limit store) for at most `timeoutMs`: its answer, or
 * the response to give when it throws (500, with `failure` as the message: our failure, never the caller's way in)
 * or hangs (503 `timeout`).
 */
export async function hookAnswer<T>(
  call: () => T | Promise<T>,
  timeoutMs: number,
  failure: string,
): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  const answer = await withTimeLimit(call, timeoutMs);
  if (answer.ok) return answer;
  return {
    ok: false,
    response: answer.timedOut
      ? problem(503, 'timeout', `${failure}: no answer within ${timeoutMs} ms (hookTimeoutMs)`)
      : problem(500, 'internal', failure),
  };
}

/** Runs the `authorize` hook, bounded by `timeoutMs` (see `hookAnswer`). */
export async function authorizeRequest(
  authorize: AuthorizeRequest,
  request: Request,
  timeoutMs: number,
): Promise<HandlerAuthorization | Response> {
  const checked = await hookAnswer(() => authorize(request), timeoutMs, 'Authorization could not be checked');
  if (!checked.ok) return checked.response;
  const answer = checked.value;
  if (answer === false || answer === undefined || answer === null)
    return problem(401, 'unauthorized', 'Not authorized');
  return answer === true ? {} : answer;
}

type BodyResult = { ok: true; value: Record<string, unknown> } | { ok: false; response: Response };

/**
 * Reads a JSON object body safely: `application/json` only (415), at most `maxBytes` counted while
 * streaming (413, the rest never read), strict UTF-8 (400), JSON (400), and an object at the root
 * (400). The parsed object keeps every key as an own property (`__proto__` included); callers look
 * keys up with `Object.hasOwn` and copy into null-prototype records.
 */
export async function readJsonObject(request: Request, maxBytes: number): Promise<BodyResult> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type))
    return { ok: false, response: problem(415, 'unsupported_media_type', 'The body must be application/json') };
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  const tooLarge = () => ({
    ok: false as const,
    response: problem(413, 'body_too_large', `The body must be at most ${maxBytes} bytes`, undefined, {
      connection: 'close',
    }),
  });
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > maxBytes) {
          await reader.cancel().catch(() => {});
          return tooLarge();
        }
        chunks.push(value);
      }
    } catch {
      return { ok: false, response: problem(400, 'invalid_body', 'The body could not be read') };
    } finally {
      reader.releaseLock();
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, response: problem(400, 'invalid_encoding', 'The body is not valid UTF-8') };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, response: problem(400, 'invalid_json', 'The body is not valid JSON') };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, response: problem(400, 'invalid_request', 'The body must be a JSON object') };
  return { ok: true, value: value as Record<string, unknown> };
}

/** Keys of an untrusted object that are not in `allowed`, as issues naming each. */
export function unknownKeys(value: Record<string, unknown>, allowed: readonly string[], prefix = ''): FieldIssue[] {
  return Object.keys(value)
    .filter((key) => !allowed.includes(key))
    .slice(0, 20)
    .map((key) => ({
      path: `${prefix}${key.slice(0, 100)}`,
      message: `unknown field (allowed: ${allowed.join(', ')})`,
    }));
}

/** An own member of an untrusted object (never an inherited one such as `constructor`). */
export function member(value: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(value, key) ? value[key] : undefined;
}

/** Credential values from an untrusted body: a null-prototype record of strings, or issues naming the fields. */
export function credentialValues(
  value: unknown,
  path: string,
): { values: Record<string, string>; issues: FieldIssue[] } {
  const values = Object.create(null) as Record<string, string>;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { values, issues: [{ path, message: 'must be an object of credential fields' }] };
  const issues: FieldIssue[] = [];
  const keys = Object.keys(value);
  if (keys.length > 64) return { values, issues: [{ path, message: 'has too many fields' }] };
  for (const key of keys) {
    const field = (value as Record<string, unknown>)[key];
    if (typeof field !== 'string') issues.push({ path: `${path}.${key.slice(0, 100)}`, message: 'must be a string' });
    else values[key] = field;
  }
  return { values, issues };
}

/** A tenant or provider id from an untrusted body or query. */
export function identifierIssue(value: unknown, path: string, required: boolean): FieldIssue | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value === '' || value.length > 256)
    return { path, message: 'must be a non-empty string of at most 256 characters' };
  return undefined;
}

/** The credential admin API names its paths under `values.`; a handler's request names that field `credentials.`. */
export function withRequestPaths(error: unknown): unknown {
  const details = (error as { details?: { issues?: FieldIssue[] } } | undefined)?.details;
  if (details?.issues)
    details.issues = details.issues.map((issue) => ({
      ...issue,
      path: issue.path.startsWith('values') ? `credentials${issue.path.slice('values'.length)}` : issue.path,
    }));
  return error;
}
