import { assert, inspect } from '../conformance/lazy-node.js';

/**
 * Everything a caller, a logger or a serialiser can read of an error and its cause chain: per error in the chain,
 * its message, its stack, `JSON.stringify` of it and of its details, and `util.inspect` with hidden properties. For
 * asserting that a secret appears in none of them:
 * `for (const text of errorSurfaces(error)) expect(text).not.toContain(key)`.
 */
export function errorSurfaces(error: unknown): string[] {
  const texts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    const item = current as { message?: unknown; stack?: unknown; details?: unknown; cause?: unknown };
    texts.push(
      String(item.message),
      String(item.stack),
      serialised(current),
      serialised(item.details),
      inspect(current, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    );
    current = item.cause;
  }
  return texts;
}

/** `JSON.stringify`'s text, or what it threw (a circular or `BigInt` value): a serialiser gets no more. */
function serialised(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch (error) {
    return `[not serialisable: ${String((error as { message?: unknown }).message)}]`;
  }
}

/**
 * Asserts that none of `secrets` appears in any of the error's surfaces (see `errorSurfaces`). A failure names the
 * secret by its index in `secrets` and the surface by its index, never the secret's value.
 */
export function expectNoSecretIn(error: unknown, secrets: readonly string[]): void {
  for (const [surface, text] of errorSurfaces(error).entries()) {
    for (const [index, secret] of secrets.entries()) {
      assert.ok(!text.includes(secret), `secrets[${index}] appears in surface ${surface} of the error`);
    }
  }
}
