/**
 * The one rule for "does this name hold a credential?", shared by config
 * redaction, header redaction, URL redaction and the text scrubber. Names are
 * compared case-insensitively with punctuation removed, so `X-API-KEY`,
 * `x_api_key` and `xApiKey` are the same name.
 */

function normalise(name: string): string {
  let normalised = '';
  for (let index = 0; index < name.length && normalised.length < 64; index++) {
    const code = name.charCodeAt(index);
    if (code >= 65 && code <= 90) normalised += String.fromCharCode(code + 32);
    else if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) normalised += name[index];
  }
  return normalised;
}

/** Field and parameter names that are credentials on their own (`key=`, `sig=`). */
const exactNames = new Set([
  'key',
  'sig',
  'auth',
  'pwd',
  'pass',
  'jwt',
  'session',
  'sessionid',
  'credential',
  'credentials',
]);

/** Endings of field names that hold a credential: `apiKey`, `authToken`, `apiSecret`, `X-Amz-Signature`. */
const credentialEndings = [
  'key',
  'token',
  'secret',
  'password',
  'passwd',
  'passphrase',
  'signature',
  'credential',
  'credentials',
  'cookie',
  'authorization',
  'sig',
];

/**
 * True for a settings field, JSON member or URL query parameter whose value is
 * a credential (`apiKey`, `auth_token`, `access_token`, `key`, `sig`). Plural
 * counters such as `maxTokens` are not credentials.
 */
export function isCredentialName(name: string): boolean {
  const normalised = normalise(name);
  if (normalised.length === 0) return false;
  if (exactNames.has(normalised)) return true;
  return credentialEndings.some((ending) => normalised.endsWith(ending));
}

/** Fragments that mark an HTTP header as carrying a credential wherever they stand in its name. */
const headerFragments = [
  'auth',
  'key',
  'token',
  'secret',
  'password',
  'passwd',
  'signature',
  'cookie',
  'session',
  'credential',
];

/**
 * True for an HTTP header name that carries a credential: `Authorization`,
 * `Proxy-Authorization`, `Cookie`, `X-API-KEY`, `Ocp-Apim-Subscription-Key`,
 * `xi-api-key`, `X-Auth-Token`, `X-Goog-Api-Key`… Header names are free-form,
 * so any name containing a credential word counts (a false positive only hides
 * a harmless value).
 */
export function isCredentialHeaderName(name: string): boolean {
  const normalised = normalise(name);
  return headerFragments.some((fragment) => normalised.includes(fragment)) || isCredentialName(name);
}

/** True for a settings field that holds HTTP headers (`headers`, `defaultHeaders`, `extraHeaders`). */
export function isHeadersName(name: string): boolean {
  return normalise(name).endsWith('headers');
}
