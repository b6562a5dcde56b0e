export {
  createDualChannelMessenger,
  type DualChannelMessenger,
  type DualChannelMessengerOptions,
  type MessengerErrorContext,
} from './dual-channel-messenger.js';
export {
  type DualChannelStateStore,
  InMemoryDualChannelState,
  type InMemoryDualChannelStateOptions,
  type SentWhatsAppMessage,
} from './dual-channel-state.js';
export type {
  ChannelAttempt,
  ChannelOverrides,
  DeliveryStatusAction,
  DualChannelMessage,
  DualChannelSendOptions,
  DualChannelSendResult,
  RecipientCheck,
  SkipReason,
  SmsFirstReason,
} from './dual-channel-types.js';
export {
  InMemoryRecipientPreferences,
  type RecipientLookupContext,
  type RecipientPreferences,
  type RecipientPreferencesLookup,
  whatsappSessionMs,
} from './recipient-preferences.js';
