import { assert } from './lazy-node.js';

/**
 * Resource kinds checked by default: servers and sockets. Timers (`Timeout`)
 * can be added via `types`, but the test runner's own timers come and go, so
 * compare them only with a margin you control.
 */
export const leakableResources = ['TCPServerWrap', 'TCPSocketWrap'] as const;

/** Counts of the process's active resources by type (`process.getActiveResourcesInfo()`). */
export function openResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/**
 * Fails when more servers, sockets or timers are open than at `baseline`.
 * Waits up to `waitMs` first: closed sockets leave the list asynchronously.
 * Capture the baseline before starting simulators; check after closing them.
 */
export async function assertNoLeakedResources(
  baseline: Record<string, number>,
  options: { types?: readonly string[]; waitMs?: number } = {},
): Promise<void> {
  const types = options.types ?? leakableResources;
  const deadline = Date.now() + (options.waitMs ?? 1_000);
  for (;;) {
    const now = openResources();
    const leaked = types.filter((type) => (now[type] ?? 0) > (baseline[type] ?? 0));
    if (leaked.length === 0) return;
    if (Date.now() > deadline) {
      assert.fail(`left open: ${leaked.map((type) => `${type} ${now[type]} (was ${baseline[type] ?? 0})`).join(', ')}`);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}
