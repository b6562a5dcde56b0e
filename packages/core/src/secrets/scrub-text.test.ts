import { describe, expect, it } from 'vitest';
import { maxScrubbedLength, scrubText } from './scrub-text.js';

const openaiKey = 'sk-proj-Abc123Def456Ghi789Jkl012Mno345';
const anthropicKey = 'sk-ant-api03-Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2';
const elevenlabsKey = 'sk_4f1c2b9e8d7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a';
const deepgramKey = '0123456789abcdef0123456789abcdef01234567';
const twilioAuthToken = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const twilioApiKeySid = 'SK0123456789abcdef0123456789abcdef';
const googleKey = 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q';
const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

describe('scrubText', () => {
  it('cuts known secrets out wherever they stand, also URL-encoded', () => {
    const secret = 'plain secret/with+chars';
    const text = `refused ${secret} and ${encodeURIComponent(secret)}; short ab stays`;
    const scrubbed = scrubText(text, [secret, undefined, 'ab']);
    expect(scrubbed).not.toContain('plain secret');
    expect(scrubbed).not.toContain(encodeURIComponent(secret));
    expect(scrubbed).toContain('short ab stays');
  });

  it.each([
    ['OpenAI', `Incorrect API key provided: ${openaiKey}.`],
    ['OpenAI masked', 'Incorrect API key provided: sk-proj-********************************************abcd.'],
    ['Anthropic', `invalid x-api-key ${anthropicKey}`],
    ['ElevenLabs', `Invalid API key: ${elevenlabsKey}`],
    ['Deepgram', `Invalid credentials for key ${deepgramKey}`],
    ['Deepgram token header', `Authorization: Token ${deepgramKey}`],
    ['Twilio URL', `https://AC0123456789abcdef0123456789abcdef:${twilioAuthToken}@api.twilio.com/2010-04-01`],
    ['Twilio API key', `key ${twilioApiKeySid} is not valid`],
    ['Twilio auth token', `auth token ${twilioAuthToken} rejected`],
    ['Google', `API key not valid: ${googleKey}`],
    ['Bearer', 'Authorization: Bearer abc.DEF-123_xyz~tok'],
    ['Basic', 'Authorization: Basic QUMxMjM6c2VjcmV0dG9rZW4='],
    ['query key', 'GET https://generativelanguage.googleapis.com/v1/models?key=shortkey1&alt=json'],
    ['query token', 'callback https://hooks.example.com/status?access_token=tok123&x=1'],
    ['JSON member', '{"api_key":"hunter2","model":"m"}'],
    ['JWT', `token ${jwt} expired`],
    ['Meta', `Invalid OAuth access token - EAAGm0PX4ZCpsBAKZBZCZA1b2c3d4e5f6g7h8i9j0kLmNoPqRsTuV`],
  ])('cuts an unknown %s credential', (_name, text) => {
    const scrubbed = scrubText(text);
    for (const secret of [
      openaiKey,
      anthropicKey,
      elevenlabsKey,
      deepgramKey,
      twilioAuthToken,
      twilioApiKeySid,
      googleKey,
      jwt,
      'abc.DEF-123_xyz~tok',
      'QUMxMjM6c2VjcmV0dG9rZW4',
      'shortkey1',
      'tok123',
      'hunter2',
      '********abcd',
      'EAAGm0PX4ZCpsBAKZBZCZA',
    ]) {
      expect(scrubbed).not.toContain(secret);
    }
    expect(scrubbed).toContain('[redacted]');
  });

  it('keeps the words, ids and numbers a reader needs', () => {
    const text =
      'Rate limit reached for gpt-4o-mini on tokens per min: limit 30000, used 29950. ' +
      'Message SM0123456789abcdef0123456789abcdef to +15005550006 failed; request 123e4567-e89b-12d3-a456-426614174000; ' +
      'maxTokens=4096; token: expired; voice 21m00Tcm4TlvDq8ikWAM';
    expect(scrubText(text)).toBe(text);
  });

  it('bounds its output', () => {
    const scrubbed = scrubText('word '.repeat(10_000));
    expect(scrubbed.length).toBeLessThanOrEqual(maxScrubbedLength);
    // A cut text is exactly the bound long, its ellipsis included; a text at the bound is kept whole.
    expect(scrubbed).toHaveLength(maxScrubbedLength);
    expect(scrubbed.endsWith('…')).toBe(true);
    const atBound = 'a'.repeat(maxScrubbedLength);
    expect(scrubText(atBound)).toBe(atBound);
    expect(scrubText(`${atBound}b`)).toBe(`${'a'.repeat(maxScrubbedLength - 1)}…`);
  });

  it('never cuts a surrogate pair in half when it bounds its output', () => {
    const scrubbed = scrubText(`${'a'.repeat(maxScrubbedLength - 2)}${'😀'.repeat(10)}`);
    expect(scrubbed.length).toBeLessThanOrEqual(maxScrubbedLength);
    // The character before the ellipsis is not the first half of a pair.
    const beforeEllipsis = scrubbed.charCodeAt(scrubbed.length - 2);
    expect(beforeEllipsis >= 0xd800 && beforeEllipsis <= 0xdbff).toBe(false);
    expect(scrubbed.endsWith('…')).toBe(true);
  });

  it('finishes on 1 MB adversarial inputs and still cuts what follows', () => {
    const tail = ` then ${openaiKey}`;
    const inputs = [
      'eyJ'.repeat(350_000),
      'eyJa.'.repeat(210_000),
      'sk-'.repeat(350_000),
      'a'.repeat(1_048_576),
      'key='.repeat(260_000),
      '//a:'.repeat(260_000),
      'Bearer '.repeat(150_000),
      'a1'.repeat(524_288),
    ];
    for (const input of inputs) {
      // The known secret sits at the very end: the scan must reach it, and the output stays bounded.
      const scrubbed = scrubText(`${input}${tail}`, [openaiKey]);
      expect(scrubbed.length).toBeLessThanOrEqual(maxScrubbedLength);
      expect(scrubbed).not.toContain(openaiKey);
    }
    expect(scrubText(`${'x '.repeat(100)}Bearer ${'-'.repeat(100)}9`)).toContain('Bearer [redacted]');
  });
});
