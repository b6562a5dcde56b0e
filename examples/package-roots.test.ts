// What importing each package root loads, traced in a fresh Node process against the built packages, the way a
// user's service resolves them. `pnpm check` builds before testing; run alone, missing builds are made here (a
// stale build is not: rebuild after changing imports). Cold-import times are measured by
// `benchmarks/cold-import.bench.mjs`; this test holds the module graph those times depend on.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadedOnFirstUse, packageOf, traceImportScript, vendorSdks } from '../scripts/import-policy.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const here = fileURLToPath(new URL('./', import.meta.url));

const adapterRoots = [
  '@patchbay/llm',
  '@patchbay/tts',
  '@patchbay/stt',
  '@patchbay/messaging',
  '@patchbay/postgres',
  '@patchbay/testing',
];
/** Roots that take only types and `@patchbay/core/errors` from core: neither the router nor zod loads. */
const typeOnlyRoots = ['@patchbay/redis'];
const allRoots = ['@patchbay/core', ...adapterRoots, ...typeOnlyRoots];

const notOnImport = [...vendorSdks, ...loadedOnFirstUse];

/** The `file:` URLs `import(specifier)` loads, from `examples/` (where every package resolves as in a user's project). */
function urlsLoadedBy(specifier: string): string[] {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', traceImportScript, specifier], {
    cwd: here,
    env: { ...process.env, NODE_OPTIONS: '' },
    encoding: 'utf8',
  });
  return JSON.parse(output) as string[];
}

const filesLoadedBy = (specifier: string): string[] => urlsLoadedBy(specifier).map((url) => fileURLToPath(url));

// tsup marks each bundled source file with a `// src/<path>` line: these are `createPatchbay` and the router.
const routerSources = ['// src/patchbay.ts', '// src/routing/route-executor.ts'];

beforeAll(() => {
  for (const name of allRoots) {
    const folder = name.replace('@patchbay/', '');
    if (!existsSync(`${root}packages/${folder}/dist/index.js`)) {
      execFileSync('pnpm', ['--filter', name, 'build'], { cwd: root, stdio: 'ignore' });
    }
  }
}, 600_000);

describe('package roots load what they need and no more', () => {
  it.each(adapterRoots)('%s takes its core values from @patchbay/core/adapter: the router is not loaded', (name) => {
    const coreFiles = filesLoadedBy(name).filter((file) => file.includes('/packages/core/dist/'));
    expect(coreFiles.length).toBeGreaterThan(0);
    expect(coreFiles.map((file) => file.slice(file.indexOf('/dist/')))).not.toContain('/dist/index.js');
    for (const file of coreFiles) {
      const text = readFileSync(file, 'utf8');
      for (const marker of routerSources) expect(text.includes(marker), `${file} holds ${marker}`).toBe(false);
    }
  });

  it.each(typeOnlyRoots)('%s loads only @patchbay/core/errors of core: neither the router nor zod', (name) => {
    const files = filesLoadedBy(name);
    expect(files.some((file) => file.includes(`/packages/${name.replace('@patchbay/', '')}/dist/`))).toBe(true);
    const coreFiles = files.filter((file) => file.includes('/packages/core/'));
    expect(coreFiles.map((file) => file.slice(file.indexOf('/dist/')))).toContain('/dist/errors/index.js');
    expect(coreFiles.map((file) => file.slice(file.indexOf('/dist/')))).not.toContain('/dist/index.js');
    expect(coreFiles.map((file) => file.slice(file.indexOf('/dist/')))).not.toContain('/dist/adapter/index.js');
    for (const file of coreFiles) {
      const text = readFileSync(file, 'utf8');
      for (const marker of routerSources) expect(text.includes(marker), `${file} holds ${marker}`).toBe(false);
    }
    expect(new Set(urlsLoadedBy(name).map(packageOf)).has('zod')).toBe(false);
  });

  it('@patchbay/core holds the router (so the check above looks for what is there)', () => {
    const texts = filesLoadedBy('@patchbay/core')
      .filter((file) => file.includes('/packages/core/dist/'))
      .map((file) => readFileSync(file, 'utf8'));
    for (const marker of routerSources) expect(texts.some((text) => text.includes(marker))).toBe(true);
  });

  it.each(allRoots)('%s loads no vendor SDK and no dependency meant for first use', (name) => {
    const packages = new Set(urlsLoadedBy(name).map(packageOf));
    expect(packages.has(name)).toBe(true);
    if (!typeOnlyRoots.includes(name)) expect(packages.has('zod')).toBe(true);
    expect(notOnImport.filter((dependency) => packages.has(dependency))).toEqual([]);
  });
});
