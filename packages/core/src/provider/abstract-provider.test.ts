import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCredentials } from '../credentials/credential-spec.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import { AbstractProvider, type ConnectionCheck } from './abstract-provider.js';

const credentials = defineCredentials({
  fields: { apiKey: z.string().min(1) },
  env: { apiKey: ['EXAMPLE_API_KEY'] },
  secret: ['apiKey'],
});

const schema = z.object({
  apiKey: z.string().optional(),
  baseURL: z.string().optional(),
  statusCallbackUrl: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  model: z.string().optional(),
  maxTokens: z.number().optional(),
});

class ExampleProvider extends AbstractProvider<z.infer<typeof schema>, { apiKey: string }> {
  readonly kind = 'llm' as const;
  vendorText = '';

  constructor(settings: unknown) {
    super({ id: 'example', vendor: 'example', schema, settings, credentials, runtime: { env: false } });
  }

  protected async checkConnection(): Promise<ConnectionCheck> {
    // A vendor that echoes the key it refused, the way OpenAI does.
    throw new PatchbayError({ code: 'auth', message: this.vendorText });
  }
}

const gatewayHeaders = {
  'Proxy-Authorization': 'Basic cHJveHktc2VjcmV0',
  'Api-Key': 'azure-secret-1',
  AUTHORIZATION: 'Bearer gateway-secret-2',
  'X-API-KEY': 'x-secret-3',
  Cookie: 'session=cookie-secret-4',
  'X-Goog-Api-Key': 'goog-secret-5',
  'Ocp-Apim-Subscription-Key': 'apim-secret-6',
  'xi-api-key': 'eleven-secret-7',
  'X-Auth-Token': 'auth-secret-8',
  'x-team': 'blue',
};

describe('AbstractProvider redaction', () => {
  const provider = new ExampleProvider({
    apiKey: 'sk-CANARY-provider-0001',
    baseURL: 'https://user:userinfo-secret-9@gateway.example.com/v1?api_key=query-secret-10',
    statusCallbackUrl: 'https://hooks.example.com/status?token=callback-secret-11',
    headers: gatewayHeaders,
    model: 'gpt-4o-mini',
    maxTokens: 64,
  });
  const secrets = [
    'sk-CANARY-provider-0001',
    'cHJveHktc2VjcmV0',
    ...Array.from({ length: 11 }, (_, index) => `secret-${index + 1}`).filter((secret) => secret !== 'secret-1'),
    'azure-secret-1',
  ];

  it('shows no credential header, URL credential or key through getConfig, JSON or inspect', () => {
    const shown = [
      JSON.stringify(provider.getConfig()),
      JSON.stringify(provider),
      inspect(provider, { depth: 10 }),
      inspect({ provider }, { depth: 10 }),
    ];
    for (const text of shown) for (const secret of secrets) expect(text).not.toContain(secret);
    expect(provider.getConfig()).toMatchObject({
      model: 'gpt-4o-mini',
      maxTokens: 64,
      baseURL: 'https://[redacted]@gateway.example.com/v1?api_key=[redacted]',
      headers: { 'x-team': 'blue', 'Ocp-Apim-Subscription-Key': '[redacted]' },
    });
  });

  it('scrubs its own key out of a failed test() even when the vendor text was not scrubbed', async () => {
    const probe = new ExampleProvider({ apiKey: 'short-plain-key' });
    probe.vendorText = 'Incorrect API key provided: short-plain-key';
    const result = await probe.test();
    expect(result.status).toBe('error');
    expect(result.message).toBe('Incorrect API key provided: [redacted]');
  });
});

describe('AbstractProvider credential resolution per call', () => {
  class Resolving extends AbstractProvider<z.infer<typeof schema>, { apiKey: string }> {
    readonly kind = 'llm' as const;
    constructor(settings: unknown, env: Record<string, string | undefined> | false) {
      super({ id: 'example', vendor: 'example', schema, settings, credentials, runtime: { env } });
    }
    protected async checkConnection(): Promise<ConnectionCheck> {
      return {};
    }
    resolve(tenant?: string) {
      return this.resolveCredentials(this.settings, { tenant });
    }
  }

  it('answers repeated tenant-less calls from the same settings snapshot with the same credentials', async () => {
    const provider = new Resolving({ apiKey: 'sk-first-key-0001' }, false);
    const first = await provider.resolve();
    expect(await provider.resolve()).toBe(first);
    await provider.updateConfig({ apiKey: 'sk-rotated-key-0002' });
    const rotated = await provider.resolve();
    expect(rotated).not.toBe(first);
    expect(rotated.values.apiKey).toBe('sk-rotated-key-0002');
  });

  it('reads the environment again on every call when a field comes from it', async () => {
    const env: Record<string, string | undefined> = { EXAMPLE_API_KEY: 'sk-env-key-0001' };
    const provider = new Resolving({}, env);
    expect((await provider.resolve()).values.apiKey).toBe('sk-env-key-0001');
    env.EXAMPLE_API_KEY = 'sk-env-key-0002';
    expect((await provider.resolve()).values.apiKey).toBe('sk-env-key-0002');
  });
});
