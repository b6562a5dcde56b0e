// The README's benchmark method matches the script's defaults (what `./run bench postgres` runs).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
const script = readFileSync(new URL('../bench/usage-writes.bench.mjs', import.meta.url), 'utf8');

describe('README benchmark method', () => {
  it('states the rounds of 50,000 records the script runs by default, per variant', () => {
    const rounds = /const rounds = Number\(process\.env\.BENCH_ROUNDS \?\? (\d+)\)/.exec(script)?.[1];
    const perRound = /const perRound = ([\d_]+);/.exec(script)?.[1];
    const pgliteRounds = /throughput\(pglite, '[a-z_]+', 500, (\d+)\)/.exec(script)?.[1];
    expect([rounds, perRound, pgliteRounds]).not.toContain(undefined);
    const records = Number(perRound?.replaceAll('_', '')).toLocaleString('en-US');
    expect(readme).toContain(
      `${rounds} × ${records} usage records per PostgreSQL variant, ${pgliteRounds} × ${records} for PGlite`,
    );
    expect(script).toMatch(/for \(const batchSize of \[100, 500, 2_000\]\)/);
    expect(readme).toContain('| PostgreSQL, batch 100 |');
    expect(readme).toContain('| PostgreSQL, batch 2,000 |');
  });
});
