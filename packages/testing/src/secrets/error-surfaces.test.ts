import { describe, expect, it } from 'vitest';
import { errorSurfaces, expectNoSecretIn } from './error-surfaces.js';

describe('errorSurfaces', () => {
  it('reads the message, stack, JSON, details and hidden properties of every error in the chain', () => {
    const root = Object.assign(new Error('root says r00t'), { code: 'ECONNRESET' });
    Object.defineProperty(root, 'hidden', { value: 'h1dden', enumerable: false });
    const outer = Object.assign(new Error('outer', { cause: root }), { details: { field: 'd3tail' } });
    const texts = errorSurfaces(outer).join('\n');
    for (const part of ['outer', 'r00t', 'ECONNRESET', 'h1dden', 'd3tail']) expect(texts).toContain(part);
    expect(errorSurfaces(undefined)).toEqual([]);
  });

  it('still reads an error JSON cannot serialise (a circular or BigInt property), and checks it', () => {
    const circular = Object.assign(new Error('loops s3cr3t'), { details: { count: 1n } });
    Object.assign(circular, { self: circular });
    const texts = errorSurfaces(circular).join('\n');
    expect(texts).toContain('loops s3cr3t');
    expect(texts).toContain('[not serialisable:');
    expect(() => expectNoSecretIn(circular, ['s3cr3t'])).toThrow(/secrets\[0\] appears/);
  });
});

describe('expectNoSecretIn', () => {
  it('passes when no surface holds a secret, and fails naming the secret by index, not by value', () => {
    const error = new Error('outer', { cause: Object.assign(new Error('root'), { details: { key: 'Qx7k' } }) });
    expect(() => expectNoSecretIn(error, ['Wj4z'])).not.toThrow();
    expect(() => expectNoSecretIn(error, ['Wj4z', 'Qx7k'])).toThrow(/secrets\[1\] appears in surface \d+ of the error/);
    expect(() => expectNoSecretIn(error, ['Wj4z', 'Qx7k'])).not.toThrow(/Qx7k/);
  });
});
