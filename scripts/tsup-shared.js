// One build setup for every package: every exports subpath `./x` is built from src/x/index.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** @param {string} packageDir */
export function packageEntries(packageDir) {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  /** @type {Record<string, string>} */
  const entry = {};
  for (const subpath of Object.keys(manifest.exports)) {
    if (subpath === './package.json') continue;
    const name = subpath === '.' ? 'index' : `${subpath.slice(2)}/index`;
    entry[name] = subpath === '.' ? 'src/index.ts' : `src/${subpath.slice(2)}/index.ts`;
  }
  return {
    entry,
    format: ['esm'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node22',
    platform: 'node',
    splitting: true,
    treeshake: true,
    tsconfig: 'tsconfig.build.json',
  };
}
