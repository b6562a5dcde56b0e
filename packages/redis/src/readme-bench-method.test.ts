// The README's benchmark method matches the script's defaults (what `./run bench redis` runs).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
const script = readFileSync(new URL('../bench/shared-state.bench.mjs', import.meta.url), 'utf8');

function scriptDefault(pattern: RegExp): string | undefined {
  return pattern.exec(script)?.[1];
}

describe('README benchmark method', () => {
  it('states the rounds and calls per round the script runs by default', () => {
    const rounds = scriptDefault(/const rounds = Number\(process\.env\.BENCH_ROUNDS \?\? (\d+)\)/);
    const batch = scriptDefault(/const batch = Number\(process\.env\.BENCH_BATCH \?\? (\d+)\)/);
    const warmup = scriptDefault(/const warmupRounds = (\d+);/);
    expect([rounds, batch, warmup]).not.toContain(undefined);
    expect(readme).toContain(`runs ${warmup} warm-up rounds then ${rounds} interleaved rounds (\`BENCH_ROUNDS\`)`);
    expect(readme).toContain(`of ${batch} sequential calls per variant`);
  });
});
