export { type AuditLogConformanceOptions, defineAuditLogConformance } from './audit-log-conformance.js';
export {
  type DeliveryLogConformanceOptions,
  type DeliveryLogStoreLike,
  defineDeliveryLogConformance,
} from './delivery-log-conformance.js';
export {
  type DualChannelStateConformanceOptions,
  type DualChannelStateLike,
  defineDualChannelStateConformance,
  type SentWhatsAppMessageLike,
} from './dual-channel-state-conformance.js';
export {
  defineIdempotencyStoreConformance,
  type IdempotencyClaimLike,
  type IdempotencyStoreConformanceOptions,
  type IdempotencyStoreLike,
  type IdempotentOutcomeLike,
} from './idempotency-store-conformance.js';
export { defineLimitStoreConformance, type LimitStoreConformanceOptions } from './limit-store-conformance.js';
export {
  defineSealedCredentialStorageConformance,
  type SealedCredentialStorageConformanceOptions,
} from './sealed-credential-storage-conformance.js';
export {
  defineSessionStoreConformance,
  type SessionStoreConformanceOptions,
  type SessionStoreLike,
} from './session-store-conformance.js';
export { defineStatusHistoryConformance, type StatusHistoryConformanceOptions } from './status-history-conformance.js';
export {
  defineStatusReportCacheConformance,
  type StatusReportCacheConformanceOptions,
} from './status-report-cache-conformance.js';
export type { StoreConformanceOptions, StoreUnderTest } from './store-under-test.js';
export {
  defineUsageStoreConformance,
  type UsageStoreConformanceOptions,
  type UsageStoreLike,
} from './usage-store-conformance.js';
