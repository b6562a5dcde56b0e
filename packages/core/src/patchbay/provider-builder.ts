import { closestKey, unknownKeyMessage } from '../config/unknown-keys.js';
import { type FieldIssue, invalidFieldsError } from '../config/zod-issues.js';
import type { CredentialSpec } from '../credentials/credential-spec.js';
import type { CredentialStore } from '../credentials/credential-store.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import { AbstractProvider } from '../provider/abstract-provider.js';
import type { ProviderFactory, ProviderRuntime } from '../provider/provider-factory.js';
import type { BaseProvider, ProviderKind } from '../spec/provider.js';

export interface ProviderDefinition {
  kind: ProviderKind | string;
  vendor: string;
}

export interface BuildRequest {
  id: string;
  definition: ProviderDefinition;
  settings: Record<string, unknown>;
  /** Whether the instance may read the platform's environment credentials. */
  environment: boolean;
  /** Where the settings sit in the configuration, for error paths. */
  path: string;
}

export interface HostRuntime {
  credentialStore?: CredentialStore | undefined;
  env?: Readonly<Record<string, string | undefined>> | false | undefined;
  fetch?: typeof globalThis.fetch | undefined;
}

/** The credential spec an adapter built on AbstractProvider declares (read from its resolver). */
export function credentialSpecOf(
  provider: BaseProvider,
): CredentialSpec<Record<string, string | undefined>> | undefined {
  const resolver = (
    provider as unknown as { credentialResolver?: { spec?: CredentialSpec<Record<string, string | undefined>> } }
  ).credentialResolver;
  return resolver?.spec?.fields ? resolver.spec : undefined;
}

/** The credential fields an adapter built on AbstractProvider declares (read from its resolver's spec). */
export function credentialFieldsOf(provider: BaseProvider): readonly string[] | undefined {
  const resolver = (provider as unknown as { credentialResolver?: { spec?: { fields?: readonly string[] } } })
    .credentialResolver;
  return resolver?.spec?.fields;
}

/**
 * A strict adapter schema reports unknown keys at the settings root
 * (`Unrecognized key: "apikey"`); name each key in the path, with a suggestion.
 */
function withUnknownKeyPaths(error: unknown, known: () => string[]): unknown {
  if (!PatchbayError.isInstance(error) || error.code !== 'invalid_request') return error;
  const issues = error.details?.issues as FieldIssue[] | undefined;
  if (!issues?.some((issue) => /^Unrecognized keys?: /.test(issue.message))) return error;
  const rewritten = issues.flatMap((issue) => {
    const match = /^Unrecognized keys?: (.*)$/.exec(issue.message);
    if (!match) return [issue];
    const keys = [...(match[1] as string).matchAll(/"([^"]*)"/g)].map((found) => found[1] as string);
    const base = issue.path === '(root)' ? '' : `${issue.path}.`;
    return keys.map((key) => ({ path: `${base}${key}`, message: unknownKeyMessage(key, known()) }));
  });
  return invalidFieldsError('settings', rewritten, error.provider);
}

/** Re-roots an adapter's settings error under its place in the configuration. */
export function prefixSettingsError(error: unknown, prefix: string): unknown {
  if (!PatchbayError.isInstance(error) || error.code !== 'invalid_request') return error;
  const issues = error.details?.issues as FieldIssue[] | undefined;
  if (!issues) return error;
  return invalidFieldsError(
    'Patchbay configuration',
    issues.map((issue) => ({
      path: issue.path.startsWith(prefix) ? issue.path : `${prefix}.${issue.path}`,
      message: issue.message,
    })),
  );
}

/**
 * Builds provider instances from configuration through the given factories.
 * Adapter schemas drop keys they do not know; a dropped key that is a near miss
 * of a credential field (`apikey` for `apiKey`) is reported as unknown, because
 * it would otherwise let a call go out with another key (the platform's).
 */
export class ProviderBuilder {
  readonly #factories: readonly ProviderFactory[];
  readonly #runtime: HostRuntime;

  constructor(factories: readonly ProviderFactory[], runtime: HostRuntime) {
    this.#factories = factories;
    this.#runtime = runtime;
  }

  get factories(): readonly ProviderFactory[] {
    return this.#factories;
  }

  factoryFor(definition: ProviderDefinition): ProviderFactory | undefined {
    return this.#factories.find(
      (candidate) => candidate.kind === definition.kind && candidate.vendor === definition.vendor,
    );
  }

  runtime(environment: boolean): ProviderRuntime {
    return {
      credentialStore: this.#runtime.credentialStore,
      env: environment ? this.#runtime.env : false,
      fetch: this.#runtime.fetch,
    };
  }

  /** The keys an adapter knows: what its defaults show plus its credential fields (for suggestions). */
  #knownKeys(factory: ProviderFactory): string[] {
    try {
      const template = factory.create({ id: 'template', settings: {}, runtime: { env: false } });
      const keys = new Set([...Object.keys(template.getConfig()), ...(credentialFieldsOf(template) ?? [])]);
      for (const key of ['id', 'vendor', 'kind']) keys.delete(key);
      return [...keys];
    } catch {
      return [];
    }
  }

  build(request: BuildRequest): BaseProvider {
    const factory = this.factoryFor(request.definition);
    if (!factory) {
      throw invalidFieldsError('Patchbay configuration', [
        {
          path: request.path.replace(/\.settings$/, '.vendor'),
          message: `no adapter for "${request.definition.vendor}"`,
        },
      ]);
    }
    let provider: BaseProvider;
    try {
      provider = factory.create({
        id: request.id,
        settings: request.settings,
        runtime: this.runtime(request.environment),
      });
    } catch (error) {
      throw prefixSettingsError(
        withUnknownKeyPaths(error, () => this.#knownKeys(factory)),
        request.path,
      );
    }
    const unknown = unknownSettings(provider, request.settings, request.path);
    if (unknown.length) throw invalidFieldsError('Patchbay configuration', unknown);
    return provider;
  }
}

function unknownSettings(provider: BaseProvider, settings: Record<string, unknown>, path: string): FieldIssue[] {
  if (!(provider instanceof AbstractProvider)) return [];
  const fields = credentialFieldsOf(provider) ?? [];
  if (!fields.length) return [];
  const shown = provider.getConfig();
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined || value === null || Object.hasOwn(shown, key) || fields.includes(key)) continue;
    // Only a near miss of a credential field is known to be a mistake here (mocks and adapters may
    // read keys their schema leaves out); adapter schemas own the strictness of everything else.
    if (closestKey(key, fields) !== undefined)
      issues.push({ path: `${path}.${key}`, message: unknownKeyMessage(key, fields) });
  }
  return issues;
}
