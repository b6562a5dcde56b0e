import { z } from 'zod';
import type { FieldIssue } from '../config/zod-issues.js';
import { type CredentialPolicy, policyOf } from '../credentials/credential-spec.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import type { ProviderFactory } from '../provider/provider-factory.js';
import type { ProviderKind } from '../spec/provider.js';
import { credentialSpecOf } from './provider-builder.js';

/** One credential field as a form renders it. */
export interface CatalogueCredentialField {
  name: string;
  /** Environment variables the platform may set it with (first set wins). */
  env: readonly string[];
  /** Render as a password input; never shown back. */
  secret: boolean;
  /** Who may supply it: `tenant` fields are what a tenant enters in the form. */
  policy: CredentialPolicy;
  /** Whether a call fails without it. */
  required: boolean;
}

/** What one factory offers: enough for an "add integration" form, without hard-coding a vendor. */
export interface CatalogueEntry {
  kind: ProviderKind;
  vendor: string;
  label: string;
  docsUrl: string | undefined;
  /** The adapter's capabilities (streaming, formats, live…), as its instances declare them; undefined when unknown. */
  capabilities: Readonly<Record<string, unknown>> | undefined;
  credentials: CatalogueCredentialField[];
  /** JSON Schema (draft 2020-12) of the settings besides the credential fields; undefined when unknown. */
  settings: Record<string, unknown> | undefined;
}

const kindLabels: Record<ProviderKind, string> = {
  llm: 'language models',
  tts: 'speech synthesis',
  stt: 'transcription',
  sms: 'SMS',
  whatsapp: 'WhatsApp',
};

// Built on first use per factory (JSON Schema generation is not free) and kept while the factory lives.
const described = new WeakMap<ProviderFactory, CatalogueEntry>();

function settingsSchemaOf(template: unknown, credentialFields: readonly string[]): Record<string, unknown> | undefined {
  const schema = (template as { settingsSchema?: unknown }).settingsSchema;
  if (!schema || typeof schema !== 'object') return undefined;
  try {
    const json = z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >;
    const properties = json.properties as Record<string, unknown> | undefined;
    if (properties) {
      for (const field of credentialFields) delete properties[field];
      if (Array.isArray(json.required))
        json.required = (json.required as string[]).filter((name) => !credentialFields.includes(name));
    }
    return json;
  } catch {
    return undefined;
  }
}

function cloned(value: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  try {
    return value === undefined ? undefined : structuredClone(value);
  } catch {
    return undefined;
  }
}

/**
 * A throwaway instance that reads nothing. Adapters whose schema requires a setting (a `model`, an endpoint)
 * refuse empty settings naming the field: those fields get a placeholder, a few rounds at most.
 */
function buildTemplate(factory: ProviderFactory): unknown {
  const settings: Record<string, unknown> = {};
  for (let round = 0; round < 4; round++) {
    try {
      return factory.create({ id: `${factory.vendor}-catalogue`, settings: { ...settings }, runtime: { env: false } });
    } catch (error) {
      const issues = PatchbayError.isInstance(error) ? (error.details?.issues as FieldIssue[] | undefined) : undefined;
      const missing = (issues ?? []).filter(
        (issue) =>
          /received undefined|\brequired\b/i.test(issue.message) &&
          !issue.path.includes('.') &&
          !(issue.path in settings),
      );
      if (!missing.length) return undefined;
      for (const { path } of missing) settings[path] = /url/i.test(path) ? 'https://catalogue.invalid' : 'catalogue';
    }
  }
  return undefined;
}

/**
 * Describes a factory from what it already declares: a throwaway instance (no settings, no environment,
 * nothing read) gives the credential spec, the capabilities and the settings schema; the factory may add
 * `label` and `docsUrl`. A factory whose instance cannot be built without settings is still listed, with
 * what is known.
 */
export function describeFactory(factory: ProviderFactory): CatalogueEntry {
  const known = described.get(factory);
  if (known) return known;
  const template = buildTemplate(factory);
  const spec = template ? credentialSpecOf(template as Parameters<typeof credentialSpecOf>[0]) : undefined;
  const shape = (spec?.schema as { shape?: Record<string, z.ZodType> } | undefined)?.shape;
  const credentials: CatalogueCredentialField[] = (spec?.fields ?? []).map((name) => ({
    name,
    env: [...(spec?.env[name] ?? [])],
    secret: spec?.secret.includes(name) ?? false,
    policy: spec ? policyOf(spec, name) : 'either',
    required: shape?.[name] ? !shape[name].safeParse(undefined).success : true,
  }));
  const capabilities = (template as { capabilities?: Record<string, unknown> } | undefined)?.capabilities;
  const entry: CatalogueEntry = {
    kind: factory.kind,
    vendor: factory.vendor,
    label: factory.label ?? `${factory.vendor} (${kindLabels[factory.kind] ?? factory.kind})`,
    docsUrl: factory.docsUrl,
    capabilities: cloned(capabilities),
    credentials,
    settings: template ? settingsSchemaOf(template, spec?.fields ?? []) : undefined,
  };
  (template as { dispose?: () => void } | undefined)?.dispose?.();
  described.set(factory, entry);
  return entry;
}
