// Test helpers (not exported): the run's real redis-server and per-test isolation by key prefix.
import { randomUUID } from 'node:crypto';
import type { RedisClientLike } from './redis-connection.js';
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

/**
 * A connected node-redis client (the caller owns it: close it) that calls `beforeSend` with each command
 * just before it goes out. The pub/sub duplicate is not hooked.
 */
export async function hookedClient(
  url: string,
  beforeSend: (args: readonly string[]) => void,
): Promise<RedisClientLike> {
  const { createClient } = await import('redis');
  const target = createClient({ url, disableOfflineQueue: true }) as unknown as RedisClientLike;
  target.on('error', () => {});
  const client = new Proxy(target, {
    get(object, property) {
      if (property === 'sendCommand') {
        return (args: ReadonlyArray<string>) => {
          beforeSend(args);
          return object.sendCommand(args);
        };
      }
      const value = Reflect.get(object, property, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
  await client.connect();
  return client;
}

/**
 * A connected client whose commands are recorded (see `hookedClient`), to count round trips or to check
 * that nothing is sent.
 */
export async function recordingClient(url: string): Promise<{ client: RedisClientLike; sent: string[][] }> {
  const sent: string[][] = [];
  const client = await hookedClient(url, (args) => sent.push([...args]));
  return { client, sent };
}
