// Installs the packed packages into a fresh project outside the workspace (fixtures/consumer copied to a temp
// folder) the way a user would — `npm install` of the tarballs plus their registry dependencies — then type-checks it
// with `strict` + `exactOptionalPropertyTypes` under `nodenext` and `bundler` resolution, runs the small service, the
// CommonJS check and a vitest file against the installed packages. Run after `pnpm build`.
//
//   node scripts/consumer-fixture.mjs          pack, install, check, remove the temp project
//   node scripts/consumer-fixture.mjs --keep   leave the temp project for inspection
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packPackages, root } from './pack-packages.mjs';

/**
 * @param {{ tarballs?: { name: string, tarball: string }[], keep?: boolean }} [options]
 *   `tarballs` reuses packs made by the caller (the release check); otherwise the packages are packed here.
 */
export function runConsumerFixture(options = {}) {
  const project = mkdtempSync(join(tmpdir(), 'patchbay-consumer-'));
  const started = performance.now();
  const step = (label, command, args) => {
    const begun = performance.now();
    try {
      execFileSync(command, args, { cwd: project, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    } catch (error) {
      throw new Error(`consumer fixture: ${label} failed in ${project}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
    console.log(`consumer fixture: ${label} (${((performance.now() - begun) / 1000).toFixed(1)} s)`);
  };
  // The READMEs promise that a project on zod 3 gets a peer conflict at install time, not a second zod.
  const refusesZod3 = () => {
    const begun = performance.now();
    try {
      execFileSync('npm', ['install', '--dry-run', '--no-audit', '--no-fund', '--prefer-offline', 'zod@3'], {
        cwd: project,
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
      });
    } catch (error) {
      if (`${error.stdout}${error.stderr}`.includes('ERESOLVE')) {
        console.log(
          `consumer fixture: zod 3 refused with ERESOLVE (${((performance.now() - begun) / 1000).toFixed(1)} s)`,
        );
        return;
      }
      throw new Error(`consumer fixture: installing zod 3 failed without ERESOLVE\n${error.stdout}${error.stderr}`);
    }
    throw new Error('consumer fixture: npm accepted zod 3 next to the packages (zod must be a peer dependency)');
  };
  try {
    cpSync(join(root, 'fixtures/consumer'), project, {
      recursive: true,
      filter: (source) => !/[\\/](node_modules|dist)$/.test(source),
    });
    const tarballs = options.tarballs ?? packPackages(mkdtempSync(join(project, 'tarballs-')));
    const workspace = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    manifest.dependencies = Object.fromEntries(tarballs.map(({ name, tarball }) => [name, `file:${tarball}`]));
    // zod is a peer of every package: the application brings it, as a user's would.
    manifest.dependencies.zod = '^4.1.0';
    manifest.devDependencies = {
      typescript: workspace.devDependencies.typescript,
      vitest: workspace.devDependencies.vitest,
      '@types/node': workspace.devDependencies['@types/node'],
    };
    writeFileSync(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

    step('npm install of the tarballs', 'npm', [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      '--ignore-scripts',
    ]);
    const tsc = join(project, 'node_modules/typescript/bin/tsc');
    step('typecheck, module nodenext (strict, exactOptionalPropertyTypes)', process.execPath, [
      tsc,
      '-p',
      'tsconfig.json',
    ]);
    // The declaration files themselves were checked by the nodenext run (skipLibCheck: false).
    step('typecheck, moduleResolution bundler', process.execPath, [tsc, '-p', 'tsconfig.bundler.json']);
    step('service run', process.execPath, ['dist/src/main.js']);
    step('CommonJS require() refused, import() works', process.execPath, ['src/commonjs.cjs']);
    step('vitest', process.execPath, [join(project, 'node_modules/vitest/vitest.mjs'), 'run', '--dir', 'test']);
    refusesZod3();
    console.log(`consumer fixture: green in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    if (options.keep) console.log(`consumer fixture: kept ${project}`);
    else rmSync(project, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    runConsumerFixture({ keep: process.argv.includes('--keep') });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
