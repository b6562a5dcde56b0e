import { isCredentialHeaderName, isCredentialName, isHeadersName } from './credential-names.js';
import { redactKeyShapedParts, scrubSecrets } from './scrub-text.js';
import { redactedText, Secret } from './secret.js';

/**
 * A deep copy of a config object that is safe to log, store or send to a
 * browser. One rule, applied at any depth:
 * - every `Secret`, every field named in `secretFields`, and every field whose
 *   name looks like a credential (`apiKey`, `auth_token`, `webhookSecret`,
 *   `password`…, case-insensitive) reads `[redacted]`;
 * - in a `headers`-like record (`headers`, `defaultHeaders`…), every header
 *   whose name carries a credential (see `redactHeaders`);
 * - every URL-looking string loses its userinfo and credential query
 *   parameters (see `redactUrl`);
 * - every other string loses key-shaped tokens (see `scrubText`).
 * Functions are dropped. Used by `getConfig()`, `toJSON()` and `util.inspect`.
 * `knownValues` are secret values to cut out of every string wherever they stand.
 */
export function redactConfig<T>(
  value: T,
  secretFields: ReadonlySet<string> = new Set(),
  knownValues: readonly string[] = [],
): T {
  const lowered = new Set([...secretFields].map((field) => field.toLowerCase()));
  return redactValue(value, undefined, { secretFields: lowered, knownValues, seen: new WeakSet() }) as T;
}

interface RedactionContext {
  secretFields: ReadonlySet<string>;
  /** Secret values to cut out of any string, wherever they stand. */
  knownValues: readonly string[];
  seen: WeakSet<object>;
  /** When given, receives every value the rule redacts (to remember it as a known secret). */
  collect?: ((value: string) => void) | undefined;
}

/** The string values `redactConfig` would hide: credential fields, credential headers, URL userinfo is not included. */
export function secretValuesOf(value: unknown, secretFields: ReadonlySet<string> = new Set()): string[] {
  const values: string[] = [];
  const lowered = new Set([...secretFields].map((field) => field.toLowerCase()));
  redactValue(value, undefined, {
    secretFields: lowered,
    knownValues: [],
    seen: new WeakSet(),
    collect: (found) => values.push(found),
  });
  return values;
}

function isUrlLike(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]{0,20}:\/\//.test(text);
}

function redactValue(value: unknown, key: string | undefined, context: RedactionContext): unknown {
  const { secretFields, seen } = context;
  if (Secret.isInstance(value)) {
    context.collect?.(value.reveal());
    return redactedText;
  }
  if (typeof value === 'function') return undefined;
  if (typeof value === 'string') {
    if (key !== undefined && value !== '' && (secretFields.has(key.toLowerCase()) || isCredentialName(key))) {
      context.collect?.(value);
      return redactedText;
    }
    if (isUrlLike(value)) return redactUrlCollecting(value, context.collect);
    return scrubSecrets(value, context.knownValues);
  }
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof URL) return redactUrlCollecting(value.href, context.collect);
  if (value instanceof Date) return value.toISOString();
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if ((key !== undefined && isHeadersName(key)) || value instanceof Headers) {
    if (context.collect) collectHeaderSecrets(value as HeadersLike, context.collect);
    return redactHeaders(value as HeadersLike);
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, key, context));
  const copy: Record<string, unknown> = {};
  for (const [field, item] of Object.entries(value)) {
    if (item === undefined) continue;
    const redacted = redactValue(item, field, context);
    if (redacted !== undefined) copy[field] = redacted;
  }
  return copy;
}

/** Anything a `headers` setting may hold: a record, a `Headers`, or `[name, value]` pairs. */
export type HeadersLike = Headers | Readonly<Record<string, unknown>> | readonly (readonly [string, unknown])[];

function collectHeaderSecrets(headers: HeadersLike, collect: (value: string) => void): void {
  const pairs: [string, unknown][] =
    headers instanceof Headers
      ? [...headers.entries()]
      : Array.isArray(headers)
        ? (headers as [string, unknown][])
        : Object.entries(headers as Record<string, unknown>);
  for (const [name, value] of pairs) {
    if (typeof name !== 'string' || !isCredentialHeaderName(name)) continue;
    if (typeof value === 'string') {
      collect(value);
      // `Bearer <token>`: the token alone is what a vendor would echo.
      const space = value.indexOf(' ');
      if (space > 0) collect(value.slice(space + 1));
    } else if (Secret.isInstance(value)) collect(value.reveal());
  }
}

function redactHeaderValue(name: string, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (Secret.isInstance(value) || (isCredentialHeaderName(name) && value !== '')) return redactedText;
  if (typeof value === 'string') return scrubSecrets(value);
  if (Array.isArray(value)) return value.map((item) => redactHeaderValue(name, item));
  return typeof value === 'object' ? redactConfig(value) : value;
}

/**
 * A copy of HTTP headers with every credential header's value replaced by
 * `[redacted]`. Names are matched case-insensitively and by pattern, so
 * `Authorization`, `Proxy-Authorization`, `AUTHORIZATION`, `Cookie`, `Api-Key`,
 * `X-API-KEY`, `X-Goog-Api-Key`, `Ocp-Apim-Subscription-Key`, `xi-api-key` and
 * `X-Auth-Token` are all caught; other values lose key-shaped tokens.
 * A `Headers` object comes back as a plain record.
 */
export function redactHeaders(headers: Headers | Readonly<Record<string, unknown>>): Record<string, unknown>;
export function redactHeaders(headers: readonly (readonly [string, unknown])[]): [string, unknown][];
export function redactHeaders(headers: HeadersLike): Record<string, unknown> | [string, unknown][];
export function redactHeaders(headers: HeadersLike): Record<string, unknown> | [string, unknown][] {
  if (headers instanceof Headers) {
    const copy: Record<string, unknown> = {};
    headers.forEach((value, name) => {
      copy[name] = redactHeaderValue(name, value);
    });
    return copy;
  }
  if (Array.isArray(headers)) {
    return (headers as readonly (readonly [unknown, unknown])[]).map(([name, value]): [string, unknown] =>
      typeof name === 'string' ? [name, redactHeaderValue(name, value)] : [String(name), redactedText],
    );
  }
  if (typeof headers !== 'object' || headers === null) return redactConfig(headers);
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) copy[name] = redactHeaderValue(name, value);
  }
  return copy;
}

function redactParameters(query: string, collect?: (value: string) => void): string {
  return query
    .split('&')
    .map((parameter) => {
      const equals = parameter.indexOf('=');
      if (equals < 0) return redactKeyShapedParts(parameter);
      const name = parameter.slice(0, equals);
      const value = parameter.slice(equals + 1);
      if (value !== '' && isCredentialName(safeDecode(name))) {
        collect?.(value);
        collect?.(safeDecode(value));
        return `${name}=${redactedText}`;
      }
      return `${name}=${redactKeyShapedParts(value)}`;
    })
    .join('&');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A URL with its credentials cut out: the userinfo (`https://user:key@host`),
 * query and fragment parameters named like credentials (`key`, `api_key`,
 * `token`, `access_token`, `sig`, `signature`, `X-Amz-Signature`…) and
 * key-shaped path segments (a token in a `statusCallbackUrl`). Everything else
 * is kept byte for byte, so an unchanged URL compares equal to its input.
 */
export function redactUrl(url: string | URL): string {
  return redactUrlCollecting(typeof url === 'string' ? url : url.href, undefined);
}

function redactUrlCollecting(text: string, collect: ((value: string) => void) | undefined): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]{0,20}:\/\//.exec(text);
  const authorityStart = scheme ? scheme[0].length : text.startsWith('//') ? 2 : 0;
  let pathStart = text.length;
  for (let index = authorityStart; index < text.length; index++) {
    const character = text[index];
    if (character === '/' || character === '?' || character === '#') {
      pathStart = index;
      break;
    }
  }
  let authority = authorityStart > 0 ? text.slice(authorityStart, pathStart) : '';
  if (authorityStart === 0) pathStart = 0;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    if (collect) {
      const userinfo = authority.slice(0, at);
      collect(userinfo);
      for (const part of userinfo.split(':')) collect(safeDecode(part));
    }
    authority = `${redactedText}@${authority.slice(at + 1)}`;
  }
  const rest = text.slice(pathStart);
  const hashAt = rest.indexOf('#');
  const beforeHash = hashAt < 0 ? rest : rest.slice(0, hashAt);
  const fragment = hashAt < 0 ? undefined : rest.slice(hashAt + 1);
  const queryAt = beforeHash.indexOf('?');
  const path = queryAt < 0 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt < 0 ? undefined : beforeHash.slice(queryAt + 1);
  let result = `${text.slice(0, authorityStart)}${authority}${redactKeyShapedParts(path)}`;
  if (query !== undefined) result += `?${redactParameters(query, collect)}`;
  if (fragment !== undefined)
    result += `#${fragment.includes('=') ? redactParameters(fragment, collect) : redactKeyShapedParts(fragment)}`;
  return result;
}
