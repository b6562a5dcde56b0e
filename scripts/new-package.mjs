// Writes the boilerplate files of a package (used once per package; kept for the next one).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

const [name, description] = process.argv.slice(2);
const dir = `packages/${name}`;
mkdirSync(`${dir}/src`, { recursive: true });
const write = (file, text) => existsSync(`${dir}/${file}`) || writeFileSync(`${dir}/${file}`, text);
write(
  'package.json',
  `${JSON.stringify(
    {
      name: `@patchbay/${name}`,
      version: '0.0.0',
      description,
      license: 'MIT',
      type: 'module',
      sideEffects: false,
      engines: { node: '>=22' },
      files: ['dist', 'README.md'],
      exports: {
        '.': { types: './dist/index.d.ts', import: './dist/index.js' },
        './package.json': './package.json',
      },
      scripts: {
        build: 'tsup',
        typecheck: 'tsc --noEmit',
        packaging: 'publint --strict && attw --pack . --profile esm-only',
      },
    },
    null,
    2,
  )}\n`,
);
write(
  'tsconfig.json',
  `${JSON.stringify(
    {
      extends: '../../tsconfig.base.json',
      compilerOptions: { noEmit: true, paths: { '@patchbay/*': ['../*/src/index.ts', '../*/src/*/index.ts'] } },
      include: ['src'],
    },
    null,
    2,
  )}\n`,
);
write(
  'tsconfig.build.json',
  `${JSON.stringify(
    {
      extends: '../../tsconfig.base.json',
      include: ['src'],
      exclude: ['src/**/*.test.ts', 'src/**/*.bench.ts'],
    },
    null,
    2,
  )}\n`,
);
write(
  'tsup.config.ts',
  `import { defineConfig } from 'tsup';
import { packageEntries } from '../../scripts/tsup-shared.js';

export default defineConfig(packageEntries(import.meta.dirname));
`,
);
