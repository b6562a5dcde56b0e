import { redactedText } from './secret.js';

/**
 * Removes secrets from free text that is about to leave through an error,
 * a log line, a delivery log or a status report — typically a vendor's error
 * message, which may echo the key it refused. Known values are cut out
 * wherever they stand; key-shaped tokens are cut out even when unknown.
 * The one scrubber every kind uses for vendor text.
 */
export function scrubText(text: string, secrets: readonly (string | undefined)[] = []): string {
  let scrubbed = text;
  for (const secret of secrets) if (secret && secret.length >= 4) scrubbed = scrubbed.split(secret).join(redactedText);
  return scrubbed.replace(/\b(sk|dg|xi|sk_)[-_][A-Za-z0-9_*.-]{6,}/g, redactedText).slice(0, 500);
}
