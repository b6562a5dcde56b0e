// Runs every package benchmark (packages/*/bench/*.bench.{mjs,ts}) one after another, after a build:
// plain scripts with Node, files written for `vitest bench` with vitest (from sources).
// Benchmarks only talk to 127.0.0.1 and stop by themselves. `pnpm bench <package>` runs one package's.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv[2];
const files = [];
for (const name of readdirSync('packages')) {
  const folder = join('packages', name, 'bench');
  if (!existsSync(folder) || (only && name !== only)) continue;
  for (const file of readdirSync(folder).sort()) if (/\.bench\.(mjs|ts)$/.test(file)) files.push(join(folder, file));
}
let failed = 0;
for (const file of files) {
  console.log(`\n▶ ${file}`);
  const usesVitest = /from ['"]vitest['"]/.test(readFileSync(file, 'utf8'));
  const [command, args] = usesVitest
    ? ['pnpm', ['exec', 'vitest', 'bench', '--run', file]]
    : [process.execPath, ['--disable-warning=ExperimentalWarning', '--experimental-strip-types', file]];
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
