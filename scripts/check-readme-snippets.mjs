// Type-checks every ```ts block of every README and docs page, so documented code compiles as written.
//
// Each block becomes one module in .snippets/ (inside the workspace, git-ignored) and all of them are checked in one
// `tsc` run with `strict` and `exactOptionalPropertyTypes`. `@patchbay/*` resolve through tsconfig paths to the
// built declaration files named by each package's exports map — the surface a user installs, so run `pnpm build`
// first. A block that is deliberately partial opts out with `<!-- snippet: skip -->` on the line before it.
// A block whose first line is a file name comment (`// acme-error.ts`) is one file of a multi-file example: the
// named blocks of one markdown file share a folder, so they import each other (`./acme-error.js`) as written.
//
//   node scripts/check-readme-snippets.mjs          check every block
//   node scripts/check-readme-snippets.mjs --list   print which blocks are checked and which are skipped
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, '.snippets');
export const SKIP_MARKER = '<!-- snippet: skip -->';

/** The markdown files whose code users copy: the root README, each package README and every docs page. */
export function documentationFiles() {
  const files = ['README.md'];
  for (const name of readdirSync(join(root, 'packages')).sort()) {
    if (existsSync(join(root, 'packages', name, 'README.md'))) files.push(`packages/${name}/README.md`);
  }
  for (const name of readdirSync(join(root, 'docs')).sort()) {
    if (name.endsWith('.md')) files.push(`docs/${name}`);
  }
  return files;
}

const fileNameComment = /^\/\/ ([a-z0-9][a-z0-9.-]*\.ts)\s*$/;

/**
 * The TypeScript blocks of one markdown text. `line` is the 1-based line of the first code line; fences may be
 * indented (blocks inside list items), and the indentation is removed from the code.
 */
export function extractTypeScriptBlocks(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript)\s*$/.exec(lines[index]);
    if (!open) continue;
    const [, indent, fence] = open;
    let previous = index - 1;
    while (previous >= 0 && lines[previous].trim() === '') previous--;
    const skip = previous >= 0 && lines[previous].trim() === SKIP_MARKER;
    const code = [];
    let end = index + 1;
    while (end < lines.length && lines[end].trim() !== fence) {
      code.push(lines[end].startsWith(indent) ? lines[end].slice(indent.length) : lines[end]);
      end++;
    }
    const fileName = fileNameComment.exec(code[0] ?? '')?.[1];
    blocks.push({ line: index + 2, code: code.join('\n'), skip, fileName });
    index = end;
  }
  return blocks;
}

/** tsconfig `paths` for every exported subpath of every package, pointing at its built declarations. */
function declarationPaths() {
  const paths = {};
  for (const name of readdirSync(join(root, 'packages')).sort()) {
    const manifestFile = join(root, 'packages', name, 'package.json');
    if (!existsSync(manifestFile)) continue;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      if (typeof target !== 'object' || !target.types) continue;
      const types = join('packages', name, target.types);
      if (!existsSync(join(root, types))) {
        throw new Error(`${types} is missing: run \`pnpm build\` before checking README snippets`);
      }
      paths[subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`] = [`../${types}`];
    }
  }
  // Snippets import zod and vitest like a user would; both resolve to the workspace's single copy.
  paths.zod = ['../packages/core/node_modules/zod/index.d.cts'];
  return paths;
}

function main() {
  const list = process.argv.includes('--list');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  /** @type {Map<string, { file: string, line: number }>} */
  const origins = new Map();
  let skipped = 0;
  for (const file of documentationFiles()) {
    const blocks = extractTypeScriptBlocks(readFileSync(join(root, file), 'utf8'));
    for (const block of blocks) {
      if (list) console.log(`${block.skip ? 'skip ' : 'check'} ${file}:${block.line}`);
      if (block.skip) {
        skipped++;
        continue;
      }
      const slug = file.replace(/\.md$/, '').replace(/[^a-zA-Z0-9]+/g, '-');
      const name = block.fileName ? `${slug}/${block.fileName}` : `${slug}-${block.line}.ts`;
      if (origins.has(name)) throw new Error(`${file}:${block.line}: a second block named ${block.fileName}`);
      if (block.fileName) mkdirSync(join(outDir, slug), { recursive: true });
      // `export {}` makes every block its own module: names never clash and top-level await works.
      writeFileSync(join(outDir, name), `${block.code}\nexport {};\n`);
      origins.set(name, { file, line: block.line });
    }
  }
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ private: true, type: 'module' })}\n`);
  writeFileSync(
    join(outDir, 'tsconfig.json'),
    `${JSON.stringify(
      {
        extends: '../tsconfig.base.json',
        compilerOptions: {
          noEmit: true,
          strict: true,
          exactOptionalPropertyTypes: true,
          noUnusedLocals: false,
          types: ['node'],
          typeRoots: ['../node_modules/@types'],
          paths: declarationPaths(),
        },
        include: ['**/*.ts'],
      },
      null,
      2,
    )}\n`,
  );

  let output = '';
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', outDir, '--pretty', 'false'], {
      cwd: outDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
  }
  // Report each error at its line in the markdown file instead of the generated module.
  const problems = output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const match = /^(?:\.snippets\/)?([^(]+\.ts)\((\d+),(\d+)\): (.*)$/.exec(line);
      const origin = match && origins.get(match[1]);
      if (!origin) return line;
      return `${origin.file}:${origin.line + Number(match[2]) - 1}:${match[3]} ${match[4]}`;
    });
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    console.error(`\n${problems.length} problem(s) in README snippets (blocks are in ${relative(root, outDir)}/)`);
    process.exit(1);
  }
  console.log(`README snippets: ${origins.size} blocks type-check (${skipped} skipped with ${SKIP_MARKER})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
