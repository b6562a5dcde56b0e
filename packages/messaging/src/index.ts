export * from './delivery-log/index.js';
export * from './dual-channel/index.js';
export { type NormalizePhoneNumberOptions, normalizePhoneNumber } from './phone-number.js';
export { countSmsSegments, isGsm7, type SmsSegmentInfo, smsLimits, splitSmsSegments } from './sms-segments.js';
export * from './webhooks/index.js';
