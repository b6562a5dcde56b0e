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
export * from './delivery-log/index.js';
export * from './dual-channel/index.js';
export * from './idempotency/index.js';
export { closeMessagingAgent } from './messaging-http.js';
export { type NormalizePhoneNumberOptions, normalizePhoneNumber } from './phone-number.js';
export * from './sessions/index.js';
export { countSmsSegments, isGsm7, type SmsSegmentInfo, smsLimits, splitSmsSegments } from './sms-segments.js';
export * from './webhooks/index.js';
