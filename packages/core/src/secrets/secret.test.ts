import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { redactConfig } from './redact.js';
import { Secret } from './secret.js';

describe('Secret', () => {
  const secret = new Secret('sk-very-secret');

  it('never prints its value', () => {
    expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted]"}');
    expect(inspect(secret)).not.toContain('sk-very');
    expect(inspect({ nested: { secret } }, { depth: 5 })).not.toContain('sk-very');
    expect(String(secret)).toBe('[redacted]');
    expect(`${secret}`).toBe('[redacted]');
    expect(Object.keys(secret)).not.toContain('value');
    expect(JSON.stringify({ ...secret })).not.toContain('sk-very');
  });

  it('reveals only on request and compares without revealing', () => {
    expect(secret.reveal()).toBe('sk-very-secret');
    expect(secret.equals('sk-very-secret')).toBe(true);
    expect(secret.equals('sk-other')).toBe(false);
  });

  it('redacts secrets and named fields in configs at any depth', () => {
    const redacted = redactConfig(
      { model: 'm', apiKey: 'plain-key', nested: { token: secret, list: [secret] }, empty: '' },
      new Set(['apiKey']),
    );
    expect(redacted).toEqual({
      model: 'm',
      apiKey: '[redacted]',
      nested: { token: '[redacted]', list: ['[redacted]'] },
      empty: '',
    });
  });
});
