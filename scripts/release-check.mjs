// Rehearses a release without publishing: `changeset version` on a throwaway copy of the manifests and changesets,
// then `pnpm pack` of every package, asserting what each tarball holds and that it is ready for
// `pnpm publish --provenance` from CI; then the consumer fixture installs those same tarballs (skip it with
// `--no-consumer`). Run after `pnpm build`.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConsumerFixture } from './consumer-fixture.mjs';
import { packPackages, publishedPackages, readTarball, root } from './pack-packages.mjs';

const REPOSITORY_URL = 'git+https://github.com/patchbay-dev/patchbay.git';
const problems = [];
const problem = (text) => problems.push(text);

/** `changeset version` on a copy: every package moves to the same version, below 1.0, with a changelog. */
function rehearseVersion() {
  const copy = mkdtempSync(join(tmpdir(), 'patchbay-release-'));
  try {
    for (const file of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(root, file), join(copy, file));
    cpSync(join(root, '.changeset'), join(copy, '.changeset'), { recursive: true });
    const folders = ['examples', ...readdirSync(join(root, 'packages')).map((name) => `packages/${name}`)];
    for (const folder of folders) {
      if (!existsSync(join(root, folder, 'package.json'))) continue;
      mkdirSync(join(copy, folder), { recursive: true });
      cpSync(join(root, folder, 'package.json'), join(copy, folder, 'package.json'));
    }
    const pending = readdirSync(join(copy, '.changeset')).filter(
      (name) => name.endsWith('.md') && name !== 'README.md',
    );
    if (pending.length === 0) {
      console.log('release check: no pending changesets, version step skipped');
      return;
    }
    execFileSync(process.execPath, [join(root, 'node_modules/@changesets/cli/bin.js'), 'version'], {
      cwd: copy,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const versions = new Map();
    for (const { folder, manifest } of publishedPackages()) {
      const bumped = JSON.parse(readFileSync(join(copy, 'packages', folder, 'package.json'), 'utf8'));
      versions.set(manifest.name, bumped.version);
      if (bumped.version === manifest.version)
        problem(`${manifest.name}: changeset version left it at ${bumped.version}`);
      if (!existsSync(join(copy, 'packages', folder, 'CHANGELOG.md')))
        problem(`${manifest.name}: no CHANGELOG.md written`);
    }
    const distinct = new Set(versions.values());
    if (distinct.size !== 1) problem(`the fixed group split: ${JSON.stringify(Object.fromEntries(versions))}`);
    const [version] = distinct;
    // Below 1.0 breaking changes are minors; a major here means a changeset (or a peer range) bumped by mistake.
    if (version && Number(version.split('.')[0]) >= 1) problem(`changeset version would release ${version} (>= 1.0)`);
    const left = readdirSync(join(copy, '.changeset')).filter((name) => name.endsWith('.md') && name !== 'README.md');
    if (left.length > 0) problem(`changesets not consumed: ${left.join(', ')}`);
    console.log(
      `release check: changeset version → ${version} for ${versions.size} packages (${pending.length} changesets)`,
    );
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** Which files a tarball may hold: the manifest, README, LICENSE, the build, and the testing examples. */
function allowed(folder, file) {
  if (['package.json', 'README.md', 'LICENSE'].includes(file)) return true;
  if (file.startsWith('dist/')) return /\.(js|d\.ts|js\.map)$/.test(file) && !/\.(test|bench)\./.test(file);
  // @patchbay/postgres ships its SQL migrations and the `patchbay-postgres` command.
  if (folder === 'postgres')
    return /^migrations\/\d{4}_[a-z0-9_]+\.sql$/.test(file) || file === 'bin/patchbay-postgres.js';
  // @patchbay/testing ships its worked examples as documented sources (see its README).
  return folder === 'testing' && file.startsWith('src/examples/');
}

/** @param {{ name: string, tarball: string, folder: string }[]} tarballs */
function checkTarballs(tarballs) {
  for (const { folder, name, tarball } of tarballs) {
    const { files, manifest, license } = readTarball(tarball);
    const where = `${name} (${tarball.split('/').at(-1)})`;
    for (const required of ['package.json', 'README.md', 'LICENSE']) {
      if (!files.includes(required)) problem(`${where}: ${required} missing`);
    }
    if (!files.some((file) => file.startsWith('dist/'))) problem(`${where}: no dist/`);
    for (const file of files) if (!allowed(folder, file)) problem(`${where}: unexpected file ${file}`);
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const targets = typeof target === 'string' ? [target] : Object.values(target);
      for (const path of targets) {
        if (!files.includes(path.replace(/^\.\//, ''))) problem(`${where}: exports["${subpath}"] → ${path} not packed`);
      }
    }
    if (!/^MIT License\n\nCopyright \(c\) 2026 Patchbay contributors\n/.test(license))
      problem(`${where}: LICENSE text`);
    if (manifest.license !== 'MIT') problem(`${where}: license field is ${manifest.license}`);
    if (manifest.publishConfig?.access !== 'public') problem(`${where}: publishConfig.access is not "public"`);
    if (manifest.publishConfig?.provenance !== true) problem(`${where}: publishConfig.provenance is not true`);
    // npm provenance requires the manifest's repository to be the repository that built it.
    const repository = manifest.repository ?? {};
    if (repository.url !== REPOSITORY_URL) problem(`${where}: repository.url is ${repository.url}`);
    const directory = `packages/${folder}`;
    if (repository.directory !== directory) problem(`${where}: repository.directory is not ${directory}`);
    if (!manifest.homepage) problem(`${where}: no homepage`);
    if (!manifest.bugs?.url) problem(`${where}: no bugs.url`);
    if (manifest.type !== 'module') problem(`${where}: not "type": "module"`);
    if (JSON.stringify(manifest).includes('workspace:')) problem(`${where}: a workspace: range survived packing`);
    // zod is shared with the consumer (settings schemas, tool()), never a private copy.
    if (manifest.dependencies?.zod) problem(`${where}: zod is a dependency; it must be a peer`);
    if (manifest.peerDependencies?.zod !== '^4.1.0') problem(`${where}: peerDependencies.zod is not ^4.1.0`);
  }
}

rehearseVersion();
const destination = mkdtempSync(join(tmpdir(), 'patchbay-pack-'));
try {
  const tarballs = packPackages(destination);
  checkTarballs(tarballs);
  if (problems.length > 0) throw new Error(problems.map((text) => `✗ ${text}`).join('\n'));
  console.log(`release check: ${tarballs.length} tarballs hold LICENSE, README and dist only; publish-ready`);
  if (!process.argv.includes('--no-consumer')) runConsumerFixture({ tarballs });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  rmSync(destination, { recursive: true, force: true });
}
