export { createDeduplicator, type DeduplicateOptions, defaultIdempotencyWindowMs } from './deduplicate.js';
export type {
  IdempotencyClaim,
  IdempotencyStore,
  IdempotencyWindow,
  IdempotentOutcome,
} from './idempotency-store.js';
export { type IdempotentMessagingOptions, withIdempotency } from './idempotent-messaging-provider.js';
export {
  IdempotencyKeyEvictedError,
  InMemoryIdempotencyStore,
  type InMemoryIdempotencyStoreOptions,
} from './in-memory-idempotency-store.js';
