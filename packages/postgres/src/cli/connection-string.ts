// What the CLI may say about a connection string it was given: nothing of the string itself.

/**
 * Whether `value` has a form `pg` reads as a connection string: `postgres://` or `postgresql://`, `socket:`, or
 * an absolute socket directory. Anything else `pg` would resolve against a default host, using what it could
 * of the text (a password included) as the database name, which a server then names in its error.
 */
export function isConnectionString(value: string): boolean {
  return /^(postgres(ql)?:\/\/|socket:)/i.test(value) || value.startsWith('/');
}

/** What of `url` must never be printed: the string, its password (as typed and decoded), a `password=` parameter. */
function connectionSecrets(url: string): string[] {
  const secrets = new Set<string>([url]);
  // The userinfo ends at the authority's last `@`: an `@` further on (in the path or the query) is not part of it.
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url)?.[1] ?? '';
  const userinfo = authority.slice(0, Math.max(0, authority.lastIndexOf('@')));
  const colon = userinfo.indexOf(':');
  if (colon >= 0) secrets.add(userinfo.slice(colon + 1));
  // And as `pg` reads it (through `URL`, which may encode what was typed raw).
  if (URL.canParse(url)) secrets.add(new URL(url).password);
  for (const match of url.matchAll(/[?&]password=([^&#]*)/gi)) secrets.add(match[1] as string);
  for (const secret of [...secrets]) {
    try {
      secrets.add(decodeURIComponent(secret));
    } catch {
      // Not valid percent-encoding: the text as typed is all there is.
    }
  }
  return [...secrets].filter((secret) => secret.length > 0).sort((a, b) => b.length - a.length);
}

/** `text` with every secret of `url` replaced by `***`. */
export function redactConnectionSecrets(text: string, url: string): string {
  return connectionSecrets(url).reduce((redacted, secret) => redacted.split(secret).join('***'), text);
}

/** A failure's message; a connection error to several addresses (an AggregateError) has an empty one. */
export function failureMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message !== '') return error.message;
  const inner = error instanceof AggregateError ? error.errors.map(failureMessage).filter(Boolean) : [];
  return inner.length > 0 ? inner.join('; ') : ((error as { code?: string }).code ?? error.name);
}
