import { readFile } from 'node:fs/promises';
import * as nodeModule from 'node:module';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PatchbayError } from '../errors/patchbay-error.js';
import type { ProviderFactory } from '../provider/provider-factory.js';

export interface LoadedConfigFile {
  config: Record<string, unknown>;
  factories: ProviderFactory[];
  /** Where each factory came from, for messages. */
  factorySources: string[];
}

const moduleExtensions = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts']);

function invalid(message: string, field?: string): PatchbayError {
  return new PatchbayError({ code: 'invalid_request', message, details: field ? { field } : undefined });
}

function isFactory(value: unknown): value is ProviderFactory {
  const candidate = value as Partial<ProviderFactory> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.kind === 'string' &&
    typeof candidate.vendor === 'string' &&
    typeof candidate.create === 'function'
  );
}

/** The file an `exports` entry points to for `import` (conditions `import`, `node`, `default`, nested). */
function exportTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
  for (const condition of ['import', 'node', 'default']) {
    if (Object.hasOwn(entry, condition)) {
      const target = exportTarget((entry as Record<string, unknown>)[condition]);
      if (target) return target;
    }
  }
  return undefined;
}

/**
 * Resolves a factory module named in a configuration file the way that file would import it:
 * relative paths from its folder, package names from the `node_modules` above it (so the CLI
 * finds `@patchbay/llm/openai` in the user's project, not next to itself).
 */
export function resolveFactoryModule(specifier: string, configFile: string): string {
  if (specifier.startsWith('./') || specifier.startsWith('../'))
    return pathToFileURL(resolve(dirname(configFile), specifier)).href;
  if (isAbsolute(specifier)) return pathToFileURL(specifier).href;
  if (specifier.startsWith('file:') || specifier.startsWith('node:')) return specifier;
  // node:module findPackageJSON (Node 22.14+); older Nodes import the name from the CLI's own place.
  const find = (nodeModule as { findPackageJSON?: (specifier: string, base: string) => string | undefined })
    .findPackageJSON;
  if (!find) return specifier;
  let manifestPath: string | undefined;
  try {
    manifestPath = find(specifier, pathToFileURL(configFile).href);
  } catch {
    manifestPath = undefined;
  }
  if (!manifestPath)
    throw invalid(`factories: cannot find the package of "${specifier}" from ${dirname(configFile)}`, 'factories');
  return manifestPath;
}

async function importFactoryModule(specifier: string, configFile: string): Promise<Record<string, unknown>> {
  let url = resolveFactoryModule(specifier, configFile);
  if (url.endsWith('package.json')) {
    const manifest = JSON.parse(await readFile(url, 'utf8')) as { name?: string; exports?: unknown; main?: string };
    const subpath =
      manifest.name && specifier.length > manifest.name.length ? `.${specifier.slice(manifest.name.length)}` : '.';
    const exportsField = manifest.exports;
    const entry =
      typeof exportsField === 'object' &&
      exportsField !== null &&
      !Array.isArray(exportsField) &&
      Object.keys(exportsField).some((key) => key.startsWith('.'))
        ? Object.hasOwn(exportsField, subpath)
          ? (exportsField as Record<string, unknown>)[subpath]
          : undefined
        : subpath === '.'
          ? (exportsField ?? manifest.main ?? 'index.js')
          : undefined;
    const target = exportTarget(entry);
    if (!target)
      throw invalid(`factories: "${specifier}" is not exported by ${manifest.name ?? 'its package'}`, 'factories');
    url = pathToFileURL(join(dirname(url), target)).href;
  }
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw invalid(`factories: could not load "${specifier}": ${(error as Error).message ?? error}`, 'factories');
  }
}

/**
 * Reads a configuration file: JSON, or a module whose default export is the configuration. A
 * `factories` list (module names or factory objects) is taken out of it; every export of a named
 * module that is a provider factory is used.
 */
export async function loadConfigFile(path: string): Promise<LoadedConfigFile> {
  const file = resolve(path);
  let raw: unknown;
  if (moduleExtensions.has(extname(file))) {
    try {
      raw = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
    } catch (error) {
      throw invalid(`${path}: could not load the module: ${(error as Error).message ?? error}`);
    }
  } else {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw invalid(`${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw invalid(`${path}: not valid JSON: ${(error as Error).message}`);
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalid(`${path}: expected an object (the configuration)`);
  }
  const { factories: named, ...config } = raw as Record<string, unknown>;
  if (named !== undefined && !Array.isArray(named))
    throw invalid('factories: expected a list of module names', 'factories');
  const factories: ProviderFactory[] = [];
  const factorySources: string[] = [];
  for (const [index, item] of (named ?? []).entries()) {
    if (isFactory(item)) {
      factories.push(item);
      factorySources.push(`factories[${index}]`);
      continue;
    }
    if (typeof item !== 'string' || item.length === 0) {
      throw invalid(`factories[${index}]: expected a module name or a provider factory`, `factories[${index}]`);
    }
    const loaded = await importFactoryModule(item, file);
    const found = Object.values(loaded).filter(isFactory);
    if (found.length === 0)
      throw invalid(`factories[${index}]: "${item}" exports no provider factory`, `factories[${index}]`);
    for (const factory of found) {
      factories.push(factory);
      factorySources.push(item);
    }
  }
  return { config, factories, factorySources };
}
