import { mockFactories } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCredentials, secretInput } from '../credentials/credential-spec.js';
import { createPatchbay } from '../patchbay.js';
import { AbstractProvider, type ConnectionCheck } from '../provider/abstract-provider.js';
import { defineProviderFactory, type ProviderRuntime } from '../provider/provider-factory.js';
import { describeFactory } from './provider-catalogue.js';

const credentials = defineCredentials({
  fields: { apiKey: z.string().min(1), phoneNumberId: z.string().regex(/^\d+$/), label: z.string().optional() },
  env: { apiKey: ['ACME_API_KEY'], phoneNumberId: ['ACME_PHONE_NUMBER_ID'] },
  secret: ['apiKey'],
  policy: { apiKey: 'platform', phoneNumberId: 'tenant' },
});

const settingsSchema = z.object({
  apiKey: secretInput.optional(),
  phoneNumberId: z.string().optional(),
  label: z.string().optional(),
  baseURL: z.url().default('https://api.acme.test'),
  previewUrl: z.boolean().default(false),
});

class AcmeWhatsApp extends AbstractProvider<z.output<typeof settingsSchema>, z.output<typeof credentials.schema>> {
  readonly kind = 'whatsapp' as const;
  readonly capabilities = { media: true, templates: true };
  constructor(options: { id: string; settings: unknown; runtime: ProviderRuntime }) {
    super({ ...options, vendor: 'acme', schema: settingsSchema, credentials });
  }
  protected async checkConnection(): Promise<ConnectionCheck> {
    return {};
  }
}

let created = 0;
const acmeFactory = defineProviderFactory({
  kind: 'whatsapp',
  vendor: 'acme',
  label: 'Acme WhatsApp',
  docsUrl: 'https://acme.test/whatsapp',
  create: ({ id, settings, runtime }) => {
    created++;
    return new AcmeWhatsApp({ id, settings, runtime }) as never;
  },
});

describe('provider catalogue', () => {
  it('describes each factory: label, docs, capabilities, credential fields with policy, settings as JSON Schema', () => {
    const pb = createPatchbay({ config: { providers: {} }, factories: [acmeFactory, ...mockFactories], env: false });
    const catalogue = pb.catalogue();
    expect(catalogue.map((entry) => `${entry.kind}:${entry.vendor}`)).toEqual([
      'whatsapp:acme',
      ...mockFactories.map((factory) => `${factory.kind}:mock`),
    ]);
    const acme = catalogue[0];
    expect(acme).toMatchObject({
      label: 'Acme WhatsApp',
      docsUrl: 'https://acme.test/whatsapp',
      capabilities: { media: true, templates: true },
      credentials: [
        { name: 'apiKey', env: ['ACME_API_KEY'], secret: true, policy: 'platform', required: true },
        { name: 'phoneNumberId', env: ['ACME_PHONE_NUMBER_ID'], secret: false, policy: 'tenant', required: true },
        { name: 'label', env: [], secret: false, policy: 'either', required: false },
      ],
    });
    const properties = acme?.settings?.properties as Record<string, { type?: string; default?: unknown }>;
    // Credential fields are the form's credential section, not settings.
    expect(Object.keys(properties).sort()).toEqual(['baseURL', 'previewUrl']);
    expect(properties.previewUrl).toMatchObject({ type: 'boolean', default: false });
    // A factory without label or docs still gets a label.
    expect(catalogue[1]).toMatchObject({ label: 'mock (language models)', docsUrl: undefined });
    expect(catalogue[1]?.credentials).toEqual([
      { name: 'apiKey', env: ['MOCK_API_KEY'], secret: true, policy: 'either', required: false },
    ]);
    void pb.close();
  });

  it('builds each description once, on first use, and hands out copies', () => {
    const before = created;
    const first = describeFactory(acmeFactory);
    const again = describeFactory(acmeFactory);
    expect(created - before).toBeLessThanOrEqual(1);
    expect(again).toBe(first);
    const pb = createPatchbay({ config: { providers: {} }, factories: [acmeFactory], env: false });
    const listed = pb.catalogue();
    (listed[0] as { label: string }).label = 'changed';
    expect(pb.catalogue()[0]?.label).toBe('Acme WhatsApp');
    void pb.close();
  });

  it('still lists a factory whose instance cannot be built without settings', () => {
    const strict = defineProviderFactory({
      kind: 'llm',
      vendor: 'needs-settings',
      create: () => {
        throw new Error('baseURL required');
      },
    });
    expect(describeFactory(strict)).toMatchObject({
      kind: 'llm',
      vendor: 'needs-settings',
      label: 'needs-settings (language models)',
      credentials: [],
      settings: undefined,
    });
  });

  it('describes an adapter whose schema requires settings (a model, an endpoint) by filling placeholders', () => {
    const strictSchema = z.object({
      apiKey: secretInput.optional(),
      model: z.string().min(1),
      baseURL: z.url(),
      temperature: z.number().default(1),
    });
    class StrictModel extends AbstractProvider<z.output<typeof strictSchema>, z.output<typeof credentials.schema>> {
      readonly kind = 'llm' as const;
      constructor(options: { id: string; settings: unknown; runtime: ProviderRuntime }) {
        super({ ...options, vendor: 'strict', schema: strictSchema, credentials });
      }
      protected async checkConnection(): Promise<ConnectionCheck> {
        return {};
      }
    }
    const strict = defineProviderFactory({
      kind: 'llm',
      vendor: 'strict',
      create: ({ id, settings, runtime }) => new StrictModel({ id, settings, runtime }) as never,
    });
    const entry = describeFactory(strict);
    expect(entry.credentials.map((field) => field.name)).toEqual(['apiKey', 'phoneNumberId', 'label']);
    expect(entry.settings?.required).toEqual(['model', 'baseURL']);
    expect(Object.keys(entry.settings?.properties as object)).toEqual(['model', 'baseURL', 'temperature']);
  });
});
