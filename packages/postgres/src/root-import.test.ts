// What importing `@patchbay/postgres` loads, traced in a fresh Node process against the built package (its
// `dist/`, resolved by the package's own name as a user's service would), with the tracer
// examples/package-roots.test.ts uses. Missing builds are made here; a stale one is not (rebuild after changing
// imports).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('../', import.meta.url));
const importPolicy = new URL('../../../scripts/import-policy.mjs', import.meta.url).href;

interface ImportPolicy {
  traceImportScript: string;
  packageOf(url: string): string;
}

let policy: ImportPolicy;

beforeAll(async () => {
  policy = (await import(importPolicy)) as ImportPolicy;
  if (!existsSync(`${packageDir}dist/index.js`) || !existsSync(`${packageDir}dist/messaging/index.js`)) {
    execFileSync('pnpm', ['build'], { cwd: packageDir, stdio: 'ignore' });
  }
}, 600_000);

/** The packages `import(specifier)` loads, run from this package (where `@patchbay/messaging` is installed). */
function packagesLoadedBy(specifier: string): Set<string> {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', policy.traceImportScript, specifier], {
    cwd: packageDir,
    env: { ...process.env, NODE_OPTIONS: '' },
    encoding: 'utf8',
  });
  return new Set((JSON.parse(output) as string[]).map((url) => policy.packageOf(url)));
}

describe('@patchbay/postgres entry points', () => {
  it('the main entry never loads @patchbay/messaging', () => {
    const loaded = packagesLoadedBy('@patchbay/postgres');
    expect(loaded.has('@patchbay/postgres')).toBe(true);
    expect(loaded.has('@patchbay/messaging')).toBe(false);
  });

  it('the /messaging entry does load it (so the check above can see it)', () => {
    expect(packagesLoadedBy('@patchbay/postgres/messaging').has('@patchbay/messaging')).toBe(true);
  });
});
