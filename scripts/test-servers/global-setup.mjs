// Vitest global setup: the real servers tests use are started once per run, on 127.0.0.1 with
// ephemeral ports and temporary data directories, and stopped at the end. Tests read their
// addresses from PATCHBAY_TEST_POSTGRES_URL / PATCHBAY_TEST_REDIS_URL (also `inject()`able).
// PATCHBAY_TEST_SERVERS=off skips them (tests that need them then skip with a reason).
import { ensureDebianPackages } from './debian-packages.mjs';
import { startPostgres } from './postgres-server.mjs';
import { startRedis } from './redis-server.mjs';

export default async function setup(project) {
  if (process.env.PATCHBAY_TEST_SERVERS === 'off') return undefined;
  ensureDebianPackages(['postgresql', 'redis-server']);
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  if (postgres) {
    process.env.PATCHBAY_TEST_POSTGRES_URL = postgres.url;
    project.provide('postgresUrl', postgres.url);
  }
  if (redis) {
    process.env.PATCHBAY_TEST_REDIS_URL = redis.url;
    project.provide('redisUrl', redis.url);
  }
  return async () => {
    await Promise.allSettled([postgres?.stop(), redis?.stop()]);
  };
}
