// Cold import: how long `await import(root)` takes in a fresh Node process, for every Patchbay
// package root and, side by side, for the Vercel AI SDK (`ai`). Then, once per root, which files
// that import loaded: no vendor SDK may be among them (adapters load theirs on first use).
// Run after a build: `./run bench benchmarks` (or `node benchmarks/cold-import.bench.mjs`).
// Options (env): BENCH_COLD_RUNS (default 21 fresh processes per module).
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { loadedOnFirstUse, packageOf, traceImportScript, vendorSdks } from '../scripts/import-policy.mjs';
import { roundOrder } from '../scripts/round-order.mjs';

const roots = [
  '@patchbay/core',
  '@patchbay/llm',
  '@patchbay/tts',
  '@patchbay/stt',
  '@patchbay/messaging',
  '@patchbay/postgres',
  '@patchbay/redis',
  '@patchbay/testing',
];
const reference = 'ai';
const targets = [...roots, reference];
const runs = Number(process.env.BENCH_COLD_RUNS ?? 21);
const targetRatio = 0.7;

// The child measures only the import itself, not Node's own start-up, which is the same for everyone:
// wall time, and CPU time (user + system, all threads), which load on a shared machine distorts less.
const timedImport =
  'const cpu = process.cpuUsage(); const started = performance.now(); await import(process.argv[1]); ' +
  'const wall = performance.now() - started; const used = process.cpuUsage(cpu); ' +
  'process.stdout.write(JSON.stringify([wall, (used.user + used.system) / 1000]));';

function child(script, specifier) {
  // No compile cache: every run parses and compiles from scratch, as a fresh deploy does.
  const env = { ...process.env, NODE_COMPILE_CACHE: '', NODE_OPTIONS: '' };
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, specifier], {
    cwd: import.meta.dirname,
    env,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`import('${specifier}') failed:\n${result.stderr}`);
  return result.stdout;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const quantile = (values, share) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
};

const started = performance.now();
const wall = new Map(targets.map((target) => [target, []]));
const cpu = new Map(targets.map((target) => [target, []]));
child(timedImport, reference); // one untimed run so the first timed one does not pay for a cold disk cache
for (let round = 0; round < runs; round++) {
  // Interleaved: each round imports every module once, in a new order, so load on a shared machine hits every
  // module alike.
  for (const target of roundOrder(targets, round)) {
    const [wallMs, cpuMs] = JSON.parse(child(timedImport, target));
    wall.get(target).push(wallMs);
    cpu.get(target).push(cpuMs);
  }
}

const referenceWall = median(wall.get(reference));
const referenceCpu = median(cpu.get(reference));
const verdict = (target, ratio) => (target === reference ? '' : ratio <= targetRatio ? 'yes' : 'NO');
const failures = [];
const rows = targets.map((target) => {
  const files = JSON.parse(child(traceImportScript, target));
  const byPackage = new Map();
  for (const url of files) byPackage.set(packageOf(url), (byPackage.get(packageOf(url)) ?? 0) + 1);
  const sdks = vendorSdks.filter((sdk) => byPackage.has(sdk));
  if (roots.includes(target) && sdks.length > 0) failures.push(`${target} loads vendor SDK(s) on import: ${sdks}`);
  const eager = loadedOnFirstUse.filter((name) => byPackage.has(name));
  if (roots.includes(target) && eager.length > 0) failures.push(`${target} loads ${eager} on import`);
  // An adapter package takes its core values from `@patchbay/core/adapter`: its root never loads the router.
  if (roots.includes(target) && target !== '@patchbay/core' && files.some((url) => url.endsWith('/core/dist/index.js')))
    failures.push(`${target} loads @patchbay/core's root (and the router behind it) on import`);
  const wallRatio = median(wall.get(target)) / referenceWall;
  const cpuRatio = median(cpu.get(target)) / referenceCpu;
  return {
    module: target,
    'wall median ms': median(wall.get(target)).toFixed(1),
    'wall p90 ms': quantile(wall.get(target), 0.9).toFixed(1),
    [`wall × ${reference}`]: `${wallRatio.toFixed(2)} ${verdict(target, wallRatio)}`,
    'CPU median ms': median(cpu.get(target)).toFixed(1),
    [`CPU × ${reference}`]: `${cpuRatio.toFixed(2)} ${verdict(target, cpuRatio)}`,
    files: files.length,
    'largest dependencies (files)': [...byPackage]
      .filter(([name]) => !name.startsWith('@patchbay/') && name !== reference)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([name, count]) => `${name} ${count}`)
      .join(', '),
  };
});

console.log(
  `Cold import: \`await import(module)\` inside a fresh Node ${process.version} process (start-up excluded, ` +
    `no compile cache), ${runs} processes per module, interleaved in a new order each round; wall time (median, p90) and ` +
    `CPU time (median). Target: every Patchbay root ≤ ${targetRatio} × \`${reference}\` ("yes"/"NO"). ` +
    `Took ${((performance.now() - started) / 1000).toFixed(0)} s.`,
);
console.table(rows);
console.log(
  `Loaded by a root on import (must be none): ${failures.length ? 'SOME, see below' : 'none'} ` +
    `(checked: ${[...vendorSdks, ...loadedOnFirstUse].join(', ')})`,
);
if (failures.length) {
  for (const failure of failures) console.error(failure);
  process.exitCode = 1;
}
