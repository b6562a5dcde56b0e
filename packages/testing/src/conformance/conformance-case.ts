/** One self-contained conformance check; run it with any test runner. */
export interface ConformanceCase {
  /** Stable identifier, usable in `skip` options. */
  id: string;
  /** Human-readable test name. */
  name: string;
  run: () => Promise<void>;
}

/** Any runner's `it`/`test` (vitest, jest, node:test, mocha). */
export type TestRegistrar = (name: string, run: () => Promise<void>) => unknown;

/**
 * Registers every case with the runner's `it`:
 * `runConformance(defineLanguageModelConformance({...}), { it })`.
 */
export function runConformance(
  cases: readonly ConformanceCase[],
  options: { it: TestRegistrar; prefix?: string | undefined },
): void {
  for (const conformanceCase of cases) {
    options.it(
      options.prefix ? `${options.prefix} ${conformanceCase.name}` : conformanceCase.name,
      conformanceCase.run,
    );
  }
}
