// @patchbay/core — the application API: createPatchbay, credential stores, errors,
// Secret, configuration, events, status and usage types, and the spec's types a caller
// names. Adapter authors build on `@patchbay/core/adapter`; the spec alone is
// `@patchbay/core/spec`. The router's parts are internal and not exported.
export {
  type AuditActor,
  type AuditFingerprintKey,
  type AuditOptions,
  createFingerprinter,
  defaultAuditLogCapacity,
  InMemoryAuditLog,
} from './audit/index.js';
export {
  type CredentialPolicy,
  type CredentialSourceName,
  type CredentialStore,
  type CredentialValues,
  EncryptedCredentialStore,
  type EncryptionKeyring,
  InMemoryCredentialStore,
  InMemorySealedStorage,
  type ReencryptionReport,
  type SealedCredentialStorage,
  type SealedEntry,
  type SealedRow,
  sealedRowKey,
} from './credentials/index.js';
export {
  AllProvidersFailedError,
  type AttemptRecord,
  type ErrorCode,
  errorCodes,
  healthCodes,
  PatchbayError,
  type PatchbayErrorOptions,
  retryableByDefault,
} from './errors/index.js';
export type { IntegrationStatus, OverallStatus, StatusReport } from './health/index.js';
export { defaultLimitStoreMaxKeys, InMemoryLimitStore, type LimitWarningEvent } from './limits/index.js';
export {
  InMemoryUsageAggregator,
  type PriceLookup,
  PriceTable,
  type ReportedCost,
  type UnitPrice,
  type UsageSink,
  type UsageSummaryRow,
} from './metering/index.js';
export {
  type CustomCheck,
  type CustomCheckResult,
  createStatusMonitor,
  type InMemoryStatusHistoryOptions,
  InMemoryStatusHistoryStore,
  InMemoryStatusReportCache,
  type InMemoryStatusReportCacheOptions,
  type StatusChangedEvent,
  type StatusMonitor,
  type StatusMonitorErrorEvent,
  type StatusMonitorEvents,
  type StatusMonitorOptions,
  type StatusSummary,
  summarizeStatusSamples,
  type TenantStatusView,
  type UsageWindowRow,
  UsageWindows,
  type UsageWindowsOptions,
} from './monitor/index.js';
export {
  type CatalogueCredentialField,
  type CatalogueEntry,
  type CredentialAdmin,
  type CredentialDescription,
  type CredentialFieldDescription,
  type CredentialValidation,
  createPatchbay,
  type Patchbay,
  type PatchbayErrorEvent,
  type PatchbayErrorHandler,
  type PatchbayErrorSource,
  type PatchbayEventMap,
  type PatchbayOptions,
  type PatchbayProviders,
  type PatchbaySizes,
  patchbaySizes,
  type UsageQueueOptions,
} from './patchbay.js';
export type { ProviderFactory, ProviderRuntime } from './provider/provider-factory.js';
export type { IdentifierField, RouteAliases } from './routing/route-aliases.js';
export type {
  RoutedLanguageModel,
  RoutedMessagingProvider,
  RoutedSpeechSynthesizer,
  RoutedTranscriber,
} from './routing/routed-providers.js';
export type {
  BreakerPolicy,
  LimitConfig,
  LimitConfigInput,
  LimitMetric,
  PatchbayConfig,
  PatchbayConfigInput,
  PriceEntry,
  RetryPolicy,
  RouteConfig,
  RouteConfigInput,
  TenantConfig,
} from './routing/routing-config.js';
export type {
  AttemptEvent,
  BreakerEvent,
  BreakerState,
  FailoverEvent,
  PatchbayEvents,
  RetryEvent,
} from './routing/routing-events.js';
export { redactedText, reveal, Secret, scrubText } from './secrets/index.js';
export type * from './spec/index.js';
