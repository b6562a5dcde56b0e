// Runs every package benchmark (packages/*/bench/*.bench.{mjs,ts}) one after another, after a build.
// Benchmarks only talk to 127.0.0.1 and stop by themselves.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv[2];
const files = [];
for (const name of readdirSync('packages')) {
  const folder = join('packages', name, 'bench');
  if (!existsSync(folder)) continue;
  for (const file of readdirSync(folder).sort()) {
    if (/\.bench\.(mjs|ts)$/.test(file) && (!only || name === only)) files.push(join(folder, file));
  }
}
let failed = 0;
for (const file of files) {
  console.log(`\n▶ ${file}`);
  const result = spawnSync(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', '--experimental-strip-types', file],
    {
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
