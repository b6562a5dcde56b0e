/** Removes secrets and key-shaped tokens from a vendor's error message before it reaches a PatchbayError. */
export function scrubMessage(message: string, secrets: readonly (string | undefined)[] = []): string {
  let text = message;
  for (const secret of secrets) if (secret && secret.length >= 4) text = text.split(secret).join('[redacted]');
  return text.replace(/\b(sk|dg|xi|sk_)[-_][A-Za-z0-9_*.-]{6,}/g, '[redacted]').slice(0, 500);
}
