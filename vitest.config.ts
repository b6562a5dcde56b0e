import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));

// Tests run against sources, not dist: `@patchbay/x` is packages/x/src/index.ts and
// `@patchbay/x/a/b` is packages/x/src/a/b/index.ts, mirroring each package's exports map.
function sourceOf(specifier: string): string | undefined {
  const match = /^@patchbay\/([a-z-]+)(?:\/(.+))?$/.exec(specifier);
  if (!match) return undefined;
  const [, name, subpath] = match;
  const file = subpath ? `${packagesDir}${name}/src/${subpath}/index.ts` : `${packagesDir}${name}/src/index.ts`;
  return existsSync(file) ? file : undefined;
}

export default defineConfig({
  plugins: [
    {
      name: 'patchbay-sources',
      enforce: 'pre',
      resolveId(source) {
        return sourceOf(source) ?? null;
      },
    },
  ],
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/**/*.test.ts'],
    environment: 'node',
    testTimeout: 15_000,
    hookTimeout: 15_000,
    // A test that leaves a socket or timer behind keeps the worker alive; fail instead of hanging.
    teardownTimeout: 5_000,
    pool: 'forks',
    globalSetup: ['./scripts/test-servers/global-setup.mjs'],
    reporters: ['default', './scripts/closing-line-reporter.ts'],
  },
});
