// Test helpers (not exported): the run's real redis-server and per-test isolation by key prefix.
import { randomUUID } from 'node:crypto';
import { createRedisSharedState, type RedisSharedState, type RedisSharedStateOptions } from './redis-shared-state.js';

/** Set by the test command's global setup (a redis-server on 127.0.0.1); unset when servers are off. */
export const testRedisUrl: string | undefined = process.env.PATCHBAY_TEST_REDIS_URL;

export function uniquePrefix(): string {
  return `test:${randomUUID()}:`;
}

/** Shared-state instances on one prefix (one "cluster"), connected; closed by `closeAll`. */
export async function cluster(
  count: number,
  options: Partial<RedisSharedStateOptions> = {},
): Promise<{ members: RedisSharedState[]; closeAll: () => Promise<void> }> {
  const prefix = options.prefix ?? uniquePrefix();
  const members = Array.from({ length: count }, (_, index) =>
    createRedisSharedState({
      url: testRedisUrl,
      prefix,
      instanceId: `instance-${index}`,
      // Generous on a loaded test machine; the outage tests set their own short timeouts.
      commandTimeoutMs: 2_000,
      ...options,
    }),
  );
  await Promise.all(members.map((member) => member.ready()));
  return { members, closeAll: async () => void (await Promise.all(members.map((member) => member.close()))) };
}

/** Resolves when `predicate` holds, checked on every macrotask (for messages crossing Redis pub/sub). */
export async function eventually(predicate: () => boolean, what: string, attempts = 400): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never happened: ${what}`);
}
