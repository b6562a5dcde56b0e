// The kind package: spec types, phone numbers, segments, webhooks, WhatsApp-or-SMS routing and the
// delivery log. Vendor adapters live in subpaths (`@patchbay/messaging/twilio`, …).
export type {
  DeliveryStatus,
  MessageMedia,
  MessagingCapabilities,
  MessagingChannel,
  MessagingProvider,
  OutboundMessage,
  SendResult,
  WhatsAppTemplate,
} from '@patchbay/core';
export { closeVendorHttpAgent as closeMessagingAgent } from '@patchbay/core/adapter';
export * from './delivery-log/index.js';
export * from './dual-channel/index.js';
export * from './idempotency/index.js';
export { type NormalizePhoneNumberOptions, normalizePhoneNumber } from './phone-number.js';
export * from './sessions/index.js';
export {
  type MessagingAdapterRuntimeOptions,
  type MessagingErrorContext,
  MessagingProviderAdapter,
  type MessagingProviderAdapterInit,
  type SendContext,
  VendorErrorAnswer,
} from './shared/messaging-provider-adapter.js';
export { countSmsSegments, isGsm7, type SmsSegmentInfo, smsLimits, splitSmsSegments } from './sms-segments.js';
export * from './webhooks/index.js';
