// Messaging state in Redis: the dual-channel exactly-once state and idempotency keys.
export { RedisDualChannelState, type RedisDualChannelStateOptions } from './redis-dual-channel-state.js';
export { RedisIdempotencyStore } from './redis-idempotency-store.js';
