import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { redactConfig, redactHeaders, redactUrl } from './redact.js';
import { Secret } from './secret.js';

describe('redactHeaders', () => {
  it('catches credential headers whatever their case or vendor', () => {
    const headers = {
      'Proxy-Authorization': 'Basic cHJveHk6cGFzcw==',
      'Api-Key': 'azure-key-1',
      AUTHORIZATION: 'Bearer gw-1',
      'X-API-KEY': 'xkey-1',
      Cookie: 'session=abc',
      'X-Goog-Api-Key': 'goog-1',
      'Ocp-Apim-Subscription-Key': 'apim-1',
      'xi-api-key': 'eleven-1',
      'X-Auth-Token': 'auth-1',
      'x-team': 'blue',
    };
    const redacted = redactHeaders(headers);
    expect(redacted).toEqual({
      'Proxy-Authorization': '[redacted]',
      'Api-Key': '[redacted]',
      AUTHORIZATION: '[redacted]',
      'X-API-KEY': '[redacted]',
      Cookie: '[redacted]',
      'X-Goog-Api-Key': '[redacted]',
      'Ocp-Apim-Subscription-Key': '[redacted]',
      'xi-api-key': '[redacted]',
      'X-Auth-Token': '[redacted]',
      'x-team': 'blue',
    });
    expect(redactHeaders(new Headers({ 'X-Api-Key': 'xkey-1', accept: 'json' }))).toEqual({
      'x-api-key': '[redacted]',
      accept: 'json',
    });
    expect(redactHeaders([['Authorization', 'Bearer t-1']])).toEqual([['Authorization', '[redacted]']]);
  });

  it('cuts a bearer token under an innocent header name', () => {
    expect(redactHeaders({ 'X-Forward': 'Bearer sk-live-abcdef123' })).toEqual({ 'X-Forward': 'Bearer [redacted]' });
  });
});

describe('redactUrl', () => {
  it('cuts userinfo, credential parameters and key-shaped path segments', () => {
    expect(redactUrl('https://user:pa55word@proxy.example.com:8080/v1')).toBe(
      'https://[redacted]@proxy.example.com:8080/v1',
    );
    expect(redactUrl('https://sk-proj-abcdef123456@host/v1')).toBe('https://[redacted]@host/v1');
    expect(redactUrl('https://host/v1?key=AIzaSy123&alt=json&api_key=k&token=t&access_token=a&sig=s&signature=x')).toBe(
      'https://host/v1?key=[redacted]&alt=json&api_key=[redacted]&token=[redacted]&access_token=[redacted]&sig=[redacted]&signature=[redacted]',
    );
    expect(redactUrl('https://hooks.example.com/status?X-Amz-Signature=abc&X-Amz-Credential=def')).toBe(
      'https://hooks.example.com/status?X-Amz-Signature=[redacted]&X-Amz-Credential=[redacted]',
    );
    expect(redactUrl('https://hooks.example.com/twilio/9f8e7d6c5b4a39281706f5e4d3c2b1a0/status')).toBe(
      'https://hooks.example.com/twilio/[redacted]/status',
    );
    expect(redactUrl('https://app.example.com/cb#access_token=abc&state=1')).toBe(
      'https://app.example.com/cb#access_token=[redacted]&state=1',
    );
    expect(redactUrl(new URL('https://u:p@host/'))).toBe('https://[redacted]@host/');
  });

  it('leaves a URL without credentials byte for byte', () => {
    for (const url of ['http://127.0.0.1:4010', 'https://api.openai.com/v1', 'https://h/p?page=2&model=gpt-4o#top']) {
      expect(redactUrl(url)).toBe(url);
    }
  });
});

describe('redactConfig', () => {
  it('applies the one rule at any depth', () => {
    const config = {
      model: 'gpt-4o-mini',
      maxTokens: 100,
      apiKey: 'plain-key',
      AUTH_TOKEN: 'tok',
      webhookSecret: 'whsec',
      empty: '',
      baseURL: 'https://user:pass@gateway.example.com/v1?api-key=zz',
      statusCallbackUrl: 'https://hooks.example.com/status?token=cb-token',
      headers: { AUTHORIZATION: 'Bearer gw', 'Ocp-Apim-Subscription-Key': 'apim', 'x-team': 'blue' },
      nested: { defaultHeaders: { cookie: 'c=1' }, list: [new Secret('s')], prompt: `use ${'sk-'}abcdef123456` },
      callback: () => 1,
    };
    const redacted = redactConfig(config);
    expect(redacted).toEqual({
      model: 'gpt-4o-mini',
      maxTokens: 100,
      apiKey: '[redacted]',
      AUTH_TOKEN: '[redacted]',
      webhookSecret: '[redacted]',
      empty: '',
      baseURL: 'https://[redacted]@gateway.example.com/v1?api-key=[redacted]',
      statusCallbackUrl: 'https://hooks.example.com/status?token=[redacted]',
      headers: { AUTHORIZATION: '[redacted]', 'Ocp-Apim-Subscription-Key': '[redacted]', 'x-team': 'blue' },
      nested: { defaultHeaders: { cookie: '[redacted]' }, list: ['[redacted]'], prompt: 'use [redacted]' },
    });
    const printed = `${JSON.stringify(redacted)} ${inspect(redacted, { depth: 10 })}`;
    for (const secret of ['plain-key', 'whsec', 'pass@', 'zz', 'cb-token', 'Bearer gw', 'apim', 'c=1', 'abcdef123456'])
      expect(printed).not.toContain(secret);
  });

  it('still honours explicit secret field names, case-insensitively', () => {
    expect(redactConfig({ accountPin: '1234', nested: { ACCOUNTPIN: '5678' } }, new Set(['accountPin']))).toEqual({
      accountPin: '[redacted]',
      nested: { ACCOUNTPIN: '[redacted]' },
    });
  });
});
