// Runs every benchmark, one after another, after a build (`./run bench`): each file named
// `*.bench.mjs` or `*.bench.ts` under packages/*/bench/ and benchmarks/ (the comparisons with other
// libraries, whose bench-only dependencies live in benchmarks/package.json). Plain scripts run with
// Node; files written for `vitest bench` run with vitest (from sources).
// Benchmarks only talk to 127.0.0.1 and print their method and figures; each is stopped after
// BENCH_FILE_TIMEOUT_S seconds (default 150) so the whole run stays bounded.
// `pnpm bench <filter>` runs the files whose path contains the filter (`core`, `benchmarks`, `cold-import`).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const filter = process.argv[2];
const timeoutMs = Number(process.env.BENCH_FILE_TIMEOUT_S ?? 150) * 1000;
const benchFile = /\.bench\.(mjs|ts)$/;

function benchFiles(folder) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true })
    .map(String)
    .filter((file) => benchFile.test(file) && !file.includes('node_modules'))
    .sort()
    .map((file) => join(folder, file));
}

const folders = [...readdirSync('packages').map((name) => join('packages', name, 'bench')), 'benchmarks'];
const files = folders.flatMap(benchFiles).filter((file) => !filter || file.includes(filter));
if (files.length === 0) {
  console.error(`no benchmark file matches "${filter}"`);
  process.exit(1);
}

function run(file) {
  const usesVitest = /from ['"]vitest['"]/.test(readFileSync(file, 'utf8'));
  const [command, args] = usesVitest
    ? ['pnpm', ['exec', 'vitest', 'bench', '--run', file]]
    : [process.execPath, ['--disable-warning=ExperimentalWarning', '--experimental-strip-types', file]];
  return new Promise((resolve) => {
    const started = performance.now();
    // Its own process group, so a timeout stops the bench and everything it started.
    const child = spawn(command, args, { stdio: 'inherit', detached: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      process.kill(-child.pid, 'SIGTERM');
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      resolve({
        file,
        seconds,
        status: timedOut ? `timed out after ${timeoutMs / 1000} s` : code === 0 ? 'ok' : `failed (${code})`,
      });
    });
  });
}

const results = [];
for (const file of files) {
  console.log(`\n▶ ${file}`);
  results.push(await run(file));
}
console.log('\nBenchmarks:');
console.table(results.map(({ file, seconds, status }) => ({ file, seconds: seconds.toFixed(0), status })));
process.exit(results.some((result) => result.status !== 'ok') ? 1 : 0);
