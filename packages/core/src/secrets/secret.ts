import { timingSafeEqual } from 'node:crypto';

const brand = Symbol.for('patchbay.secret');
const inspect = Symbol.for('nodejs.util.inspect.custom');
export const redactedText = '[redacted]';

/**
 * Holds a credential so that it cannot leak by accident: JSON, `util.inspect`,
 * string conversion and template literals all print `[redacted]`. The value
 * lives in a private field, so even a structured clone or a spread sees nothing.
 * Only `reveal()` gives it out, at the one place it goes on the wire.
 */
export class Secret {
  readonly #value: string;
  readonly [brand] = true;

  constructor(value: string) {
    this.#value = value;
  }

  static isInstance(value: unknown): value is Secret {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }

  /** Wraps a plain string; passes an existing Secret through. */
  static from(value: string | Secret): Secret {
    return Secret.isInstance(value) ? value : new Secret(value);
  }

  reveal(): string {
    return this.#value;
  }

  /** Compares in constant time for equal lengths, without revealing either value. */
  equals(other: Secret | string): boolean {
    const a = Buffer.from(this.#value);
    const b = Buffer.from(Secret.isInstance(other) ? other.reveal() : other);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  toString(): string {
    return redactedText;
  }

  toJSON(): string {
    return redactedText;
  }

  [Symbol.toPrimitive](): string {
    return redactedText;
  }

  [inspect](): string {
    return `Secret(${redactedText})`;
  }
}

/** The value of a secret-or-string, for the single place it is sent to a vendor. */
export function reveal(value: string | Secret | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Secret.isInstance(value) ? value.reveal() : value;
}
