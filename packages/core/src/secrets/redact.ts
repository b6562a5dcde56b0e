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
 */
export function redactConfig<T>(value: T, secretFields: ReadonlySet<string> = new Set()): T {
  const lowered = new Set([...secretFields].map((field) => field.toLowerCase()));
  return redactValue(value, undefined, lowered, new WeakSet()) as T;
}

function isUrlLike(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]{0,20}:\/\//.test(text);
}

function redactValue(value: unknown, key: string | undefined, secretFields: ReadonlySet<string>, seen: WeakSet<object>): unknown {
  if (Secret.isInstance(value)) return redactedText;
  if (typeof value === 'function') return undefined;
  if (typeof value === 'string') {
    if (key !== undefined && value !== '' && (secretFields.has(key.toLowerCase()) || isCredentialName(key)))
      return redactedText;
    return isUrlLike(value) ? redactUrl(value) : scrubSecrets(value);
  }
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof URL) return redactUrl(value.href);
  if (value instanceof Date) return value.toISOString();
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (key !== undefined && isHeadersName(key)) return redactHeaders(value as HeadersLike);
  
  if (value instanceof Headers) return redactHeaders(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, key, secretFields, seen));
  const copy: Record<string, unknown> = {};
  for (const [field, item] of Object.entries(value)) {
    if (item === undefined) continue;
    const redacted = redactValue(item, field, secretFields, seen);
    if (redacted !== undefined) copy[field] = redacted;
  }
  return copy;
}

/** Anything a `headers` setting may hold: a record, a `Headers`, or `[name, value]` pairs. */
export type HeadersLike = Headers | Readonly<Record<string, unknown>> | readonly (readonly [string, unknown])[];

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
    return (headers as readonly (readonly [unknown, unknown])[]).map(([name, value]) =>
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

function redactParameters(query: string): string {
  return query
    .split('&')
    .map((parameter) => {
      const equals = parameter.indexOf('=');
      if (equals < 0) return redactKeyShapedParts(parameter);
      const name = parameter.slice(0, equals);
      const value = parameter.slice(equals + 1);
      if (value !== '' && isCredentialName(safeDecode(name))) return `${name}=${redactedText}`;
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
  const text = typeof url === 'string' ? url : url.href;
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
  if (at >= 0) authority = `${redactedText}@${authority.slice(at + 1)}`;
  const rest = text.slice(pathStart);
  const hashAt = rest.indexOf('#');
  const beforeHash = hashAt < 0 ? rest : rest.slice(0, hashAt);
  const fragment = hashAt < 0 ? undefined : rest.slice(hashAt + 1);
  const queryAt = beforeHash.indexOf('?');
  const path = queryAt < 0 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt < 0 ? undefined : beforeHash.slice(queryAt + 1);
  let result = `${text.slice(0, authorityStart)}${authority}${redactKeyShapedParts(path)}`;
  if (query !== undefined) result += `?${redactParameters(query)}`;
  if (fragment !== undefined)
    result += `#${fragment.includes('=') ? redactParameters(fragment) : redactKeyShapedParts(fragment)}`;
  return result;
}
