export * from './config/index.js';
export * from './credentials/index.js';
export * from './errors/index.js';
export { EventHub } from './events/event-hub.js';
export * from './health/index.js';
export * from './metering/index.js';
export {
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
export * from './provider/index.js';
export * from './requests/index.js';
export { ProviderBreaker } from './routing/circuit-breaker.js';
export { loadConfig } from './routing/load-config.js';
export { backoffDelay } from './routing/retry-policy.js';
export type { IdentifierField, IdentifierPlan, RouteAliases } from './routing/route-aliases.js';
export {
  type Operation,
  type ResolvedRoute,
  RouteExecutor,
  type RouteMember,
  type StreamOperation,
  shortRetryAfterMs,
} from './routing/route-executor.js';
export {
  createRoutedProvider,
  RoutedLanguageModel,
  RoutedMessagingProvider,
  RoutedSpeechSynthesizer,
  RoutedTranscriber,
  type RouteHandle,
} from './routing/routed-providers.js';
export {
  type BreakerPolicy,
  breakerPolicySchema,
  defaultFailover,
  type PatchbayConfig,
  type PatchbayConfigInput,
  type PriceEntry,
  patchbayConfigSchema,
  type RetryPolicy,
  type RouteConfig,
  type RouteConfigInput,
  retryPolicySchema,
  routeConfigSchema,
  type TenantConfig,
} from './routing/routing-config.js';
export type {
  AttemptEvent,
  BreakerEvent,
  BreakerState,
  FailoverEvent,
  PatchbayEvents,
  RetryEvent,
} from './routing/routing-events.js';
export { linkSignal, raceSignal, sleep } from './routing/signals.js';
export { stableHash } from './routing/strategies.js';
export * from './secrets/index.js';
export * from './spec/index.js';
