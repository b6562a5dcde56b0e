// Resolve hooks for child processes in tests: run the TypeScript sources (Node strips the types)
// instead of dist, as vitest does — `@patchbay/x` → packages/x/src/index.ts, `./a.js` → `./a.ts`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packagesDir = fileURLToPath(new URL('../../../', import.meta.url));

export async function resolve(specifier, context, next) {
  const workspace = /^@patchbay\/([a-z-]+)(?:\/(.+))?$/.exec(specifier);
  if (workspace) {
    const [, name, subpath] = workspace;
    const file = `${packagesDir}${name}/src/${subpath ? `${subpath}/` : ''}index.ts`;
    if (existsSync(file)) return { url: pathToFileURL(file).href, shortCircuit: true };
  }
  if (specifier.endsWith('.js') && (specifier.startsWith('./') || specifier.startsWith('../')) && context.parentURL) {
    // A bin script's `../dist/x/index.js` runs from `../src/x/index.ts`.
    const source = specifier.replace('/dist/', '/src/').replace(/\.js$/, '.ts');
    const candidate = new URL(source, context.parentURL);
    if (candidate.protocol === 'file:' && existsSync(fileURLToPath(candidate))) {
      return { url: candidate.href, shortCircuit: true };
    }
  }
  return next(specifier, context);
}
