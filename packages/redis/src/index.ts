// Patchbay's shared state on Redis: breakers, limit counters, credential-change fan-out and the
// status cache, for several instances behind one load balancer. Messaging stores: `@patchbay/redis/messaging`.
export { RedisBreakerState } from './redis-breaker-state.js';
export {
  type RedisClientLike,
  RedisConnection,
  type RedisConnectionOptions,
  RedisUnavailableError,
  type RedisWarning,
} from './redis-connection.js';
export { shareCredentialChanges } from './redis-credential-changes.js';
export { RedisLimitStore, type RedisLimitStoreOptions } from './redis-limit-store.js';
export {
  createRedisSharedState,
  type RedisSharedState,
  type RedisSharedStateEvents,
  type RedisSharedStateOptions,
} from './redis-shared-state.js';
export { RedisStatusReportCache } from './redis-status-report-cache.js';
